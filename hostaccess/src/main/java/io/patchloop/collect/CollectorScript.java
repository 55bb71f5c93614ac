package io.patchloop.collect;

import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.SafeValues;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands a scan runs on an rpm host. None of them starts the package manager unless the
 * platform decided a repository's metadata must be refreshed: a dnf or yum start costs about 0.15 s
 * of CPU (Python), three of them made scans slower than Ansible running dnf once.
 *
 * <ol>
 *   <li>{@link #probe}: OS, kernel, boot, the rpm database, the package manager's configuration
 *       files and the state of its metadata cache (each cached {@code repomd.xml} and the files
 *       beside it), read with cat, stat and rpm only. The platform parses the configuration and
 *       decides, by dnf's own rule, which repositories' metadata has expired.
 *   <li>{@link #refresh}: only when some must be refreshed: {@code makecache} for those
 *       repositories, then the cache state again.
 *   <li>{@link #readUpdateInfo}: only for an updateinfo file whose checksum no host sent before:
 *       that one file, decompressed, nothing else on stdout, so the platform can check its checksum.
 * </ol>
 *
 * <p>Each framed output part starts with a marker that carries a nonce of ours, so a host's output
 * cannot forge a section boundary. The scripts are constants; only the nonce (hex we generated) and
 * values that passed strict patterns, single-quoted, are put into them.
 */
final class CollectorScript {

  static final String MARKER_PREFIX = "@@patchloop:";

  /**
   * The metadata caches of dnf 4, dnf 5 and yum: what dnf 4's {@code dnf clean expire-cache} marked
   * expired, every metadata file with its time and size, and each cached {@code repomd.xml}.
   */
  private static final String CACHE_STATE = """
      cache_state() {
        s expired-repos; cat /var/cache/dnf/expired_repos.json 2>/dev/null
        s cache-listing; %s
        find /var/cache/dnf /var/cache/libdnf5 /var/cache/yum -maxdepth 5 -name repomd.xml -type f 2>/dev/null |
        while IFS= read -r f; do s "repomd $(dirname -- "$f")"; head -c 1048576 -- "$f"; done
      }
      """.formatted(RepoCacheListing.LISTING_COMMAND.replace("%", "%%"));

  private static final String PROLOGUE = """
      M='%s'
      s() { printf '\\n%s%%s %%s@@\\n' "$M" "$1"; }
      export LC_ALL=C
      """;

  private static final String PROBE = PROLOGUE + CACHE_STATE + """
      s os-release; cat /etc/os-release 2>&1
      s uname; uname -r
      s arch; uname -m
      s boot; date +%%s; stat -c %%Y /proc/1; cut -d' ' -f1 /proc/uptime
      PM=none
      if command -v dnf >/dev/null 2>&1; then PM=dnf; case "$(readlink -f -- "$(command -v dnf)")" in *dnf5) PM=dnf5 ;; esac
      elif command -v dnf5 >/dev/null 2>&1; then PM=dnf5
      elif command -v yum >/dev/null 2>&1; then PM=yum; fi
      s package-manager; echo "$PM"
      conf() { [ -f "$1" ] && { s "file $(stat -c %%Y -- "$1") $1"; head -c 1048576 -- "$1"; }; }
      for f in /etc/dnf/dnf.conf /etc/yum.conf /etc/dnf/vars/* /etc/yum/vars/* \\
          /etc/dnf/plugins/needs-restarting.d/*.conf; do conf "$f"; done
      RD=$(sed -n 's/^[[:space:]]*reposdir[[:space:]]*=//p' /etc/dnf/dnf.conf /etc/yum.conf 2>/dev/null | tr ',' ' ')
      for d in /etc/yum.repos.d /etc/yum/repos.d /etc/distro.repos.d $RD; do
        for f in "$d"/*.repo; do conf "$f"; done
      done
      s releasever; %s
      s rpm; rpm -qa --qf '%%{NAME}|%%{EPOCH}|%%{VERSION}|%%{RELEASE}|%%{ARCH}|%%{INSTALLTIME}\\n'
      s kernels; rpm -q --whatprovides 'installonlypkg(kernel)' --qf '%%{NAME}\\n' 2>/dev/null
      cache_state
      s end
      """;

  private static final String REFRESH = PROLOGUE + CACHE_STATE + """
      refresh() {
        s makecache; "$@" 2>&1; echo "exit=$?"
        cache_state
        s end
      }
      refresh""";

  /** A repository id as dnf allows it (no shell metacharacters, no spaces). */
  static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9_.:-][A-Za-z0-9_.:+@-]{0,99}");

  /** An updateinfo file in a package manager's cache, by its absolute path; no {@code ..}. */
  static final Pattern CACHED_FILE = Pattern.compile(
      "/var/cache/(dnf|libdnf5|yum)(/[A-Za-z0-9_+@:-][A-Za-z0-9._+@:-]{0,254}){1,6}");

  private CollectorScript() {}

  static ShellCommand probe(String nonce) {
    return ShellCommand.constant(String.format(PROBE, hex(nonce), MARKER_PREFIX, ReleaseverQuery.RPM_QUERY));
  }

  /**
   * {@code makecache} for the given repositories (all when {@code repoIds} is empty), then the
   * cache state again.
   */
  static ShellCommand refresh(String nonce, String packageManager, List<String> repoIds) {
    String script = String.format(REFRESH, hex(nonce), MARKER_PREFIX);
    ShellCommand.Builder command = switch (packageManager) {
      case "dnf", "dnf5" -> ShellCommand.of(script, packageManager, "-q", "makecache", "--refresh");
      // yum 3 has no per-repository switch that keeps its other repositories' caches; "fast" skips fresh ones
      case "yum" -> ShellCommand.of(script, "yum", "-q", "makecache", "fast");
      default -> throw new IllegalArgumentException("no package manager to refresh with: " + packageManager);
    };
    if (!packageManager.equals("yum")) {
      for (String id : repoIds) {
        command.option("--repo=", id, REPO_ID, "repository id");
      }
    }
    return command.build();
  }

  /** One cached updateinfo file, decompressed by the tool its name calls for, and nothing else. */
  static ShellCommand readUpdateInfo(String path) {
    if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
      throw new IllegalArgumentException("not a plain cache path: " + path);
    }
    return ShellCommand.of("""
        read_file() {
          case "$1" in
            *.gz) zcat -- "$1" ;; *.bz2) bzcat -- "$1" ;; *.xz) xzcat -- "$1" ;; *.zst) zstdcat -- "$1" ;;
            *.xml) cat -- "$1" ;; *) echo "unsupported compression: $1" >&2; exit 3 ;;
          esac
        }
        read_file""").value(path, CACHED_FILE, "cached updateinfo path").build();
  }

  private static String hex(String nonce) {
    if (!SafeValues.HEX.matcher(nonce).matches()) {
      throw new IllegalArgumentException("nonce must be hex");
    }
    return nonce;
  }
}
