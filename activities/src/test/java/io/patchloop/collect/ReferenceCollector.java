package io.patchloop.collect;

import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The collector as it was before the fast scans (issue 17), kept as the oracle the new one is
 * compared with: one script that runs {@code dnf makecache}, {@code dnf repolist enabled} and
 * {@code dnf needs-restarting -r} on the host and prints every cached updateinfo file whole. It
 * asks dnf itself what the new collector works out from files, so agreeing with it on every lab
 * host is the point of the comparison.
 */
final class ReferenceCollector {

  private static final String SCRIPT = """
      M='%s'
      s() { printf '\\n%s%%s %%s@@\\n' "$M" "$1"; }
      export LC_ALL=C
      s os-release; cat /etc/os-release 2>&1
      s uname; uname -r
      s boot; date +%%s; stat -c %%Y /proc/1; cut -d' ' -f1 /proc/uptime
      if command -v dnf >/dev/null 2>&1; then PM=dnf; CACHE='/var/cache/dnf /var/cache/libdnf5'
      elif command -v yum >/dev/null 2>&1; then PM=yum; CACHE=/var/cache/yum
      else PM=none; CACHE=/nonexistent; fi
      s package-manager; echo "$PM"
      s makecache
      if [ "$PM" = dnf ]; then dnf -q makecache 2>&1; echo "exit=$?"
      elif [ "$PM" = yum ]; then yum -q makecache fast 2>&1; echo "exit=$?"; fi
      s repos
      if [ "$PM" != none ]; then $PM -q repolist enabled 2>/dev/null | awk 'NR>1 {print $1}'; fi
      s rpm; rpm -qa --qf '%%{NAME}|%%{EPOCH}|%%{VERSION}|%%{RELEASE}|%%{ARCH}|%%{INSTALLTIME}\\n'
      s kernels; rpm -q --whatprovides 'installonlypkg(kernel)' --qf '%%{NAME}\\n' 2>/dev/null
      s needs-restarting
      if [ "$PM" = dnf ]; then dnf -q needs-restarting -r >/dev/null 2>&1; echo "exit=$?"
      elif command -v needs-restarting >/dev/null 2>&1; then needs-restarting -r >/dev/null 2>&1; echo "exit=$?"
      else echo "exit=unavailable"; fi
      s metadata
      NOW=$(date +%%s)
      find $CACHE -name repomd.xml -type f 2>/dev/null | while IFS= read -r f; do
        printf '%%s %%s %%s\n' "$(dirname "$f" | sed 's|/repodata$||; s|.*/||')" \
          "$((NOW - $(stat -c %%Y -- "$f")))" "$(grep -c 'type="updateinfo"' -- "$f")"
      done
      find $CACHE -name '*updateinfo.xml*' -type f 2>/dev/null | while IFS= read -r f; do
        s "updateinfo $(dirname "$f" | sed 's|/repodata$||; s|.*/||')"
        case "$f" in
          *.gz) zcat -- "$f" ;; *.bz2) bzcat -- "$f" ;; *.xz) xzcat -- "$f" ;; *.zst) zstdcat -- "$f" ;; *) cat -- "$f" ;;
        esac
      done
      s end
      """;

  private ReferenceCollector() {}

  private static final String NONCE = "0123456789abcdef";

  private static String output(HostSession session) {
    return session.run(ShellCommand.constant(String.format(SCRIPT, NONCE, CollectorScript.MARKER_PREFIX)),
        Duration.ofMinutes(5)).stdout();
  }

  /** What the collector before issue 17 received from the host, in bytes (UTF-8). */
  static long outputBytes(HostSession session) {
    return output(session).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  static HostInventory collect(HostSession session) {
    CollectorOutput out = CollectorOutput.split(output(session), NONCE);
    OsRelease os = OsRelease.parse(out.require("os-release"));
    List<InstalledPackage> packages = RpmQaParser.parse(out.require("rpm"));
    Map<String, Set<String>> installed = new HashMap<>();
    for (InstalledPackage p : packages) {
      installed.computeIfAbsent(p.name(), n -> new HashSet<>()).add(p.arch());
    }
    Set<String> enabled = out.require("repos").lines().map(String::strip).filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    Map<String, Advisory> advisories = new LinkedHashMap<>();
    out.each("updateinfo", (cacheDir, xml) -> {
      String repo = cacheDir.replaceFirst("-[0-9a-f]{16}$", "");
      if (!enabled.contains(repo)) {
        return;
      }
      for (Advisory a : UpdateInfoParser.parse(xml, repo).advisories()) {
        Advisory relevant = AdvisorySelection.relevantPart(a, installed);
        if (relevant != null) {
          advisories.merge(relevant.id(), relevant, AdvisorySelection::union);
        }
      }
    });
    String restart = out.require("needs-restarting").strip();
    Boolean needsRestarting = restart.equals("exit=1") ? Boolean.TRUE : restart.equals("exit=0") ? Boolean.FALSE : null;
    Set<String> kernels = out.require("kernels").lines().map(String::strip)
        .filter(s -> !s.isEmpty() && !s.startsWith("no package")).collect(Collectors.toCollection(LinkedHashSet::new));
    return new HostInventory(os.id(), os.versionId(), os.product(), out.require("uname").strip(),
        BootReading.parse(out.require("boot")).bootTime(), packages, kernels, List.copyOf(advisories.values()),
        needsRestarting, null);
  }
}
