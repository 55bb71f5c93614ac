package io.patchloop.collect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables dnf substitutes in repository configuration ({@code $releasever}, {@code $basearch},
 * {@code $arch}, and one per file of the vars directories), and the substitution itself.
 *
 * <p>Substitution as libdnf 0.69's {@code ConfigParser::substitute} does it (checked on the lab's
 * libdnf 0.69): {@code $name} and {@code ${name}} with a name of letters, digits and {@code _};
 * an unknown variable stays as written; no escapes and no {@code ${name:-word}} (those came with
 * libdnf 0.73, which dnf 4 hosts of EL 8/9 and openEuler 22.03 do not have).
 */
final class RepoVariables {

  /** A variable name dnf can ever substitute: the characters its scanner accepts. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern REFERENCE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)}|([A-Za-z0-9_]+))");

  /**
   * dnf 4's {@code dnf.rpm._BASEARCH_MAP} (dnf/rpm/__init__.py), arch to base arch. {@code uname -m}
   * says {@code armv7l} where libdnf's {@code hy_detect_arch} says {@code armv7hl} on a hard-float
   * machine (it reads the CPU's VFP capability); EL and Fedora armv7 are hard-float, so
   * {@code armv7l} maps to {@code armhfp} here, not to dnf's {@code arm}.
   */
  private static final Map<String, String> BASEARCH = basearchMap();

  private final Map<String, String> values;

  RepoVariables(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  Map<String, String> values() {
    return values;
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The text with every known variable replaced, unknown ones left as written. */
  String substitute(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = values.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The base arch of an arch as {@code uname -m} or rpm names it; empty for one dnf does not know. */
  static Optional<String> basearchOf(String arch) {
    return Optional.ofNullable(BASEARCH.get(arch));
  }

  private static Map<String, String> basearchMap() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "aarch64", "aarch64");
    put(m, "alpha", "alpha", "alphaev4", "alphaev45", "alphaev5", "alphaev56", "alphaev6", "alphaev67", "alphaev68",
        "alphaev7", "alphapca56");
    put(m, "arm", "armv5tejl", "armv5tel", "armv5tl", "armv6l", "armv8l");
    put(m, "armhfp", "armv6hl", "armv7hl", "armv7hnl", "armv8hl", "armv7l");
    put(m, "i386", "i386", "athlon", "geode", "i486", "i586", "i686");
    put(m, "ia64", "ia64");
    put(m, "mips", "mips");
    put(m, "mipsel", "mipsel");
    put(m, "mips64", "mips64");
    put(m, "mips64el", "mips64el");
    put(m, "loongarch64", "loongarch64");
    put(m, "noarch", "noarch");
    put(m, "ppc", "ppc");
    put(m, "ppc64", "ppc64", "ppc64iseries", "ppc64p7", "ppc64pseries");
    put(m, "ppc64le", "ppc64le");
    put(m, "riscv32", "riscv32");
    put(m, "riscv64", "riscv64");
    put(m, "riscv128", "riscv128");
    put(m, "s390", "s390");
    put(m, "s390x", "s390x");
    put(m, "sh3", "sh3");
    put(m, "sh4", "sh4", "sh4a");
    put(m, "sparc", "sparc", "sparc64", "sparc64v", "sparcv8", "sparcv9", "sparcv9v");
    put(m, "x86_64", "x86_64", "amd64", "ia32e");
    return Map.copyOf(m);
  }

  private static void put(Map<String, String> m, String basearch, String... arches) {
    for (String arch : arches) {
      m.put(arch, basearch);
    }
  }
}
