package io.patchloop.collect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, from a host's package-manager configuration files, which repositories are enabled and
 * where their metadata cache is, by the package manager's own rules, so that the host only has to
 * {@code cat} its files instead of starting dnf.
 *
 * <p>Sources (dnf 4.14 and libdnf 0.69 as installed on the lab machine, and upstream):
 * <ul>
 *   <li>dnf/conf/read.py {@code RepoReader}: repositories of the main config file first, then the
 *       {@code *.repo} files of each reposdir, sorted by path component; a file that does not parse
 *       is skipped whole; the section id is substituted, then checked against REPOID_CHARS.</li>
 *   <li>dnf/repodict.py {@code add}: a repository id seen before is refused ("listed more than once"),
 *       the first wins; {@code Repo::verify} refuses an unsupported {@code type} (one without any URL
 *       passes it in libdnf 0.69, see below).</li>
 *   <li>dnf/cli/cli.py {@code _read_conf_file} and dnf/conf/substitutions.py: vars files of varsdir
 *       (/etc/yum/vars, then /etc/dnf/vars; a later one wins) are read before releasever is detected,
 *       and a {@code releasever} vars file makes dnf skip the detection.</li>
 *   <li>dnf/conf/config.py {@code _populate}: an empty value or "None" means empty; a value the option
 *       refuses is logged and the inherited/default value stays. [main] values are not substituted.</li>
 *   <li>libdnf/repo/Repo.cpp {@code Repo::Impl::getCachedir} (and dnf5's
 *       {@code ConfigRepo::get_unique_id}, the same): {@code <cachedir>/<id>-<hex>}, hex = the first
 *       8 bytes of SHA-256 of the metalink, else the mirrorlist, else the first baseurl, else the id.</li>
 *   <li>yum 3.4.3 yum/__init__.py {@code getReposFromConfig}: main config first, then each reposdir's
 *       sorted {@code *.repo}; cache {@code <cachedir>/<id>} with cachedir's variables substituted;
 *       the repo's config age is the later of its file's and the main config's mtime.</li>
 * </ul>
 */
public final class RepoConfigReader {

  static final String DNF_MAIN_CONFIG = "/etc/dnf/dnf.conf";
  static final String YUM_MAIN_CONFIG = "/etc/yum.conf";
  static final List<String> DNF_REPOSDIR = List.of("/etc/yum.repos.d", "/etc/yum/repos.d", "/etc/distro.repos.d");
  /** yum 3.4.3 yum/config.py YumConf.reposdir. */
  static final List<String> YUM_REPOSDIR = List.of("/etc/yum/repos.d", "/etc/yum.repos.d");
  static final List<String> DNF_VARSDIR = List.of("/etc/yum/vars", "/etc/dnf/vars");
  static final List<String> YUM_VARSDIR = List.of("/etc/yum/vars");
  /** libdnf ConfigMain metadata_expire default: 48 hours. */
  static final long DNF_DEFAULT_METADATA_EXPIRE = 172800;
  /** yum 3 yum/config.py: metadata_expire = SecondsOption(60 * 60 * 6). */
  static final long YUM_DEFAULT_METADATA_EXPIRE = 21600;
  static final String DNF4_CACHEDIR = "/var/cache/dnf";
  static final String DNF5_CACHEDIR = "/var/cache/libdnf5";
  static final String YUM_CACHEDIR = "/var/cache/yum/$basearch/$releasever";
  /** libdnf Repo::verify's supported types (an empty type is fine too). */
  private static final Set<String> REPO_TYPES = Set.of("rpm-md", "rpm", "repomd", "rpmmd", "yum", "YUM");
  private static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_]{1,32}");
  private static final int MAX_VALUE_LENGTH = 4096;

  /**
   * For the collector script: the files to {@code cat} (with their mtime) when the main configuration
   * keeps the default reposdir and varsdir; a glob that matches nothing is no error. When it sets
   * others, {@link #read} says so in a warning, and those directories' files have to be sent too.
   */
  public static final String DEFAULT_CONFIG_FILES = "/etc/dnf/dnf.conf /etc/yum.conf /etc/yum.repos.d/*.repo"
      + " /etc/yum/repos.d/*.repo /etc/distro.repos.d/*.repo /etc/dnf/vars/* /etc/yum/vars/*";
  private static final List<String> SENT_DIRS = List.of("/etc/yum.repos.d", "/etc/yum/repos.d", "/etc/distro.repos.d",
      "/etc/dnf/vars", "/etc/yum/vars");

  private RepoConfigReader() {}

  /**
   * @param packageManager whose rules to apply
   * @param unameMachine the host's {@code uname -m}
   * @param releaseverQueryOutput the output of {@link ReleaseverQuery#RPM_QUERY} on the host
   * @param files the main configuration, the {@code *.repo} files of the reposdirs and the vars files
   */
  public static RepoConfiguration read(PackageManagerKind packageManager, String unameMachine,
      String releaseverQueryOutput, List<HostConfigFile> files) {
    List<String> warnings = new ArrayList<>();
    Map<String, HostConfigFile> byPath = new LinkedHashMap<>();
    for (HostConfigFile f : files) {
      if (!HostPaths.isSafeAbsolutePath(f.path())) {
        warnings.add("ignored a configuration file with an unusable path: " + HostPaths.excerpt(String.valueOf(f.path())));
      } else {
        byPath.put(f.path(), f);
      }
    }
    boolean yum = packageManager == PackageManagerKind.YUM;
    String mainPath = yum ? YUM_MAIN_CONFIG : DNF_MAIN_CONFIG;
    HostConfigFile mainFile = byPath.get(mainPath);
    DnfIni main;
    try {
      main = DnfIni.parse(mainFile == null ? "" : mainFile.content());
    } catch (DnfIni.SyntaxError e) {
      warnings.add(mainPath + " cannot be parsed (" + e.getMessage() + "): " + packageManager.label()
          + " would refuse to run, no repository is enabled");
      return new RepoConfiguration(packageManager, Map.of(), null, true, List.of(), warnings);
    }
    MainOptions options = MainOptions.of(packageManager, main, warnings);
    for (String dir : concat(options.reposdir, options.varsdir)) {
      if (!SENT_DIRS.contains(dir)) {
        warnings.add(mainPath + " names " + HostPaths.excerpt(dir) + " (reposdir/varsdir): its files are read only"
            + " when the host sends them");
      }
    }
    RepoVariables vars = variables(packageManager, options, unameMachine, releaseverQueryOutput, byPath, warnings);

    String cacheRoot = yum ? vars.substitute(options.cachedir) : options.cachedir;
    if (!HostPaths.isSafeAbsolutePath(stripTrailingSlashes(cacheRoot))) {
      warnings.add("cachedir " + HostPaths.excerpt(cacheRoot) + " is not a usable path: no cache directory can be named");
      cacheRoot = null;
    } else {
      cacheRoot = stripTrailingSlashes(cacheRoot);
    }

    List<EnabledRepo> repos = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long mainMtime = mainFile == null ? 0 : mainFile.mtimeEpochSeconds();
    if (mainFile != null) {
      addRepos(packageManager, mainFile, main, mainMtime, options, vars, cacheRoot, seen, repos, warnings);
    }
    for (HostConfigFile f : repoFiles(options.reposdir, byPath.values())) {
      DnfIni ini;
      try {
        ini = DnfIni.parse(f.content());
      } catch (DnfIni.SyntaxError e) {
        warnings.add(f.path() + " skipped: " + packageManager.label() + " cannot parse it (" + e.getMessage() + ")");
        continue;
      }
      long configAge = yum ? Math.max(f.mtimeEpochSeconds(), mainMtime) : f.mtimeEpochSeconds();
      addRepos(packageManager, f, ini, configAge, options, vars, cacheRoot, seen, repos, warnings);
    }
    return new RepoConfiguration(packageManager, vars.values(), cacheRoot, options.checkConfigFileAge, repos, warnings);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The main configuration's options that matter here, defaults applied, invalid values reported. */
  private record MainOptions(List<String> reposdir, List<String> varsdir, String cachedir, long metadataExpire,
      boolean checkConfigFileAge, String arch, List<String> distroverpkg) {

    static MainOptions of(PackageManagerKind pm, DnfIni main, List<String> warnings) {
      boolean yum = pm == PackageManagerKind.YUM;
      List<String> reposdir = main.value("main", "reposdir").map(DnfOptionValues::list)
          .map(l -> l.stream().map(RepoConfigReader::stripTrailingSlashes).toList())
          .orElse(yum ? YUM_REPOSDIR : DNF_REPOSDIR);
      List<String> varsdir = yum ? YUM_VARSDIR : main.value("main", "varsdir").map(DnfOptionValues::list)
          .map(l -> l.stream().map(RepoConfigReader::stripTrailingSlashes).toList()).orElse(DNF_VARSDIR);
      String cachedir = main.value("main", "cachedir").filter(v -> !v.isEmpty())
          .orElse(switch (pm) {
            case DNF4 -> DNF4_CACHEDIR;
            case DNF5 -> DNF5_CACHEDIR;
            case YUM -> YUM_CACHEDIR;
          });
      long expire = yum ? YUM_DEFAULT_METADATA_EXPIRE : DNF_DEFAULT_METADATA_EXPIRE;
      Optional<String> expireValue = main.value("main", "metadata_expire");
      if (expireValue.isPresent()) {
        try {
          expire = DnfOptionValues.seconds(expireValue.get());
        } catch (IllegalArgumentException e) {
          warnings.add("[main] metadata_expire: " + e.getMessage() + "; the default applies");
        }
      }
      boolean checkAge = true;
      Optional<String> checkAgeValue = main.value("main", "check_config_file_age");
      if (checkAgeValue.isPresent()) {
        try {
          checkAge = DnfOptionValues.bool(checkAgeValue.get());
        } catch (IllegalArgumentException e) {
          warnings.add("[main] check_config_file_age: " + e.getMessage() + "; the default applies");
        }
      }
      String arch = main.value("main", "arch").filter(v -> !v.isEmpty()).orElse(null);
      List<String> distroverpkg = main.value("main", "distroverpkg").map(DnfOptionValues::list)
          .filter(l -> !l.isEmpty()).orElse(ReleaseverQuery.YUM_DEFAULT_PROVIDES);
      return new MainOptions(reposdir, varsdir, cachedir, expire, checkAge, arch, distroverpkg);
    }
  }

  private static RepoVariables variables(PackageManagerKind pm, MainOptions options, String unameMachine,
      String releaseverQueryOutput, Map<String, HostConfigFile> files, List<String> warnings) {
    Map<String, String> values = new LinkedHashMap<>();
    String arch = options.arch != null ? options.arch : unameMachine == null ? "" : unameMachine.strip();
    if (!ARCH.matcher(arch).matches()) {
      warnings.add("arch " + HostPaths.excerpt(arch) + " is not usable: $arch and $basearch stay unsubstituted");
    } else {
      values.put("arch", arch);
      Optional<String> basearch = RepoVariables.basearchOf(arch);
      if (basearch.isPresent()) {
        values.put("basearch", basearch.get());
      } else {
        warnings.add("arch " + arch + " has no base arch dnf knows: $basearch stays unsubstituted");
      }
    }
    // vars files after arch/basearch (they may override them), in varsdir order: a later directory wins
    for (String dir : options.varsdir) {
      List<HostConfigFile> inDir = files.values().stream().filter(f -> HostPaths.parent(f.path()).equals(dir))
          .sorted(Comparator.comparing(HostConfigFile::path)).toList();
      for (HostConfigFile f : inDir) {
        String name = HostPaths.fileName(f.path());
        int newline = f.content().indexOf('\n');
        String value = newline < 0 ? f.content() : f.content().substring(0, newline);
        if (!RepoVariables.NAME.matcher(name).matches()) {
          warnings.add("vars file " + f.path() + " ignored: not a variable name dnf can substitute");
        } else if (value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
          warnings.add("vars file " + f.path() + " ignored: its value is not plain text");
        } else {
          values.put(name, value);
        }
      }
    }
    if (!values.containsKey("releasever")) {
      List<String> provides = pm == PackageManagerKind.YUM ? options.distroverpkg : ReleaseverQuery.DNF_PROVIDES;
      Optional<String> detected = ReleaseverQuery.detect(releaseverQueryOutput, provides);
      if (detected.isPresent()) {
        values.put("releasever", detected.get());
      } else {
        warnings.add("no release version: no package provides " + String.join(", ", provides)
            + " and no vars file sets it, so $releasever stays unsubstituted (as dnf leaves it)");
      }
    } else if (!ReleaseverQuery.VALUE.matcher(values.get("releasever")).matches()) {
      warnings.add("releasever " + HostPaths.excerpt(values.get("releasever")) + " from a vars file is unusual;"
          + " it is used as dnf uses it");
    }
    return new RepoVariables(values);
  }

  /**
   * The {@code *.repo} files of the reposdirs in the order dnf reads them: sorted by path split into
   * components, ".repo" cut off (dnf/conf/read.py; yum sorts per directory, the same for one directory).
   */
  private static List<HostConfigFile> repoFiles(List<String> reposdir, java.util.Collection<HostConfigFile> files) {
    return files.stream()
        .filter(f -> reposdir.contains(HostPaths.parent(f.path())))
        .filter(f -> f.path().endsWith(".repo") && !HostPaths.fileName(f.path()).startsWith("."))
        .sorted(Comparator.comparing((HostConfigFile f) -> components(f.path()), RepoConfigReader::compareComponents))
        .toList();
  }

  private static List<String> components(String path) {
    return Arrays.asList(path.substring(1, path.length() - ".repo".length()).split("/"));
  }

  private static int compareComponents(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static void addRepos(PackageManagerKind pm, HostConfigFile file, DnfIni ini, long configAge,
      MainOptions main, RepoVariables vars, String cacheRoot, Set<String> seen, List<EnabledRepo> repos,
      List<String> warnings) {
    for (Map.Entry<String, Map<String, String>> section : ini.sections().entrySet()) {
      String rawId = section.getKey();
      if (rawId.equals("main") || (pm == PackageManagerKind.YUM && rawId.equals("installed"))) {
        continue;
      }
      String where = file.path() + " [" + HostPaths.excerpt(rawId) + "]";
      // dnf substitutes the section name, then checks it; yum 3's ConfigPreProcessor substitutes every line first
      String id = vars.substitute(rawId);
      if (!HostPaths.isSafeRepoId(id)) {
        warnings.add(where + " refused: repository id " + HostPaths.excerpt(id)
            + " is not letters, digits and -_.: (at most 100, not starting with -)");
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : section.getValue().entrySet()) {
        String v = vars.substitute(e.getValue());
        values.put(e.getKey(), v.equals("None") ? "" : v);
      }
      if (values.values().stream().anyMatch(v -> v.length() > MAX_VALUE_LENGTH)) {
        warnings.add(where + " refused: a value longer than " + MAX_VALUE_LENGTH + " characters");
        continue;
      }
      boolean enabled = true;
      if (values.containsKey("enabled")) {
        try {
          enabled = DnfOptionValues.bool(values.get("enabled"));
        } catch (IllegalArgumentException e) {
          warnings.add(where + " enabled: " + e.getMessage() + "; the default (enabled) applies, as in dnf");
        }
      }
      List<String> baseurls = DnfOptionValues.list(values.getOrDefault("baseurl", ""));
      String mirrorlist = emptyToNull(values.get("mirrorlist"));
      String metalink = emptyToNull(values.get("metalink"));
      if (baseurls.isEmpty() && mirrorlist == null && metalink == null) {
        // libdnf 0.69's Repo::verify tests baseurl().empty(), "never set", which a default [] is not:
        // dnf 4.14 lists such a repository as enabled (seen on the lab machine) and fails when loading it
        warnings.add(where + " has no baseurl, mirrorlist or metalink: dnf counts it enabled but cannot load it");
      }
      String type = values.getOrDefault("type", "");
      if (!type.isEmpty() && !REPO_TYPES.contains(type)) {
        warnings.add(where + " skipped: unsupported type " + HostPaths.excerpt(type));
        continue;
      }
      if (!seen.add(id)) {
        warnings.add(where + " skipped: repository " + id + " is listed more than once; the first one counts");
        continue;
      }
      if (!enabled) {
        continue;
      }
      long expire = main.metadataExpire;
      if (values.containsKey("metadata_expire")) {
        try {
          expire = DnfOptionValues.seconds(values.get("metadata_expire"));
        } catch (IllegalArgumentException e) {
          warnings.add(where + " metadata_expire: " + e.getMessage() + "; the [main] value applies, as in dnf");
        }
      }
      String cacheDir = null;
      if (cacheRoot != null) {
        cacheDir = pm == PackageManagerKind.YUM ? cacheRoot + "/" + id : cacheRoot + "/" + id + "-" + cacheHash(id,
            metalink, mirrorlist, baseurls);
      }
      repos.add(new EnabledRepo(id, file.path(), configAge, baseurls, mirrorlist, metalink, expire, cacheDir));
    }
  }

  /**
   * The 16 hex digits dnf 4 and dnf 5 append to a repository's cache directory: the first 8 bytes of
   * SHA-256 of its metalink, else its mirrorlist, else its first baseurl, else its id.
   */
  static String cacheHash(String id, String metalink, String mirrorlist, List<String> baseurls) {
    String source = metalink != null ? metalink : mirrorlist != null ? mirrorlist
        : !baseurls.isEmpty() && !baseurls.get(0).isEmpty() ? baseurls.get(0) : id;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String stripTrailingSlashes(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
