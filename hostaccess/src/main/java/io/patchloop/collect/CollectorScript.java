package io.patchloop.collect;

import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.SafeValues;

/**
 * The one command a scan runs on an rpm host: everything the engine needs in a single SSH round
 * trip, each part framed by a marker that carries a nonce of ours, so a host's output cannot forge
 * a section boundary. The script is a constant of this class; only the nonce (hex we generated) is
 * put into it.
 *
 * <p>It works with dnf (HCE 2.0, openEuler, EulerOS with dnf, CentOS 8+) and yum (CentOS 7, older
 * EulerOS): it says which it found. Advisories come from the repositories' updateinfo.xml in the
 * package manager's own cache, not from {@code dnf updateinfo info}: dnf shows a date-only
 * {@code issued} as 1970 and drops {@code reboot_suggested}, the XML has both as written.
 *
 * <p>The caches it knows: dnf 4 ({@code /var/cache/dnf/<repo>-<hash>/repodata}), dnf 5
 * ({@code /var/cache/libdnf5/<repo>-<hash>/repodata}) and yum ({@code /var/cache/yum/<arch>/<ver>/<repo>}).
 * For every cached {@code repomd.xml} it prints the cache directory, the file's age and whether it
 * lists updateinfo, so an enabled repository whose metadata is missing is seen, not silently empty.
 */
final class CollectorScript {

  static final String MARKER_PREFIX = "@@patchloop:";

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

  private CollectorScript() {}

  static ShellCommand forNonce(String nonce) {
    if (!SafeValues.HEX.matcher(nonce).matches()) {
      throw new IllegalArgumentException("nonce must be hex");
    }
    return ShellCommand.constant(String.format(SCRIPT, nonce, MARKER_PREFIX));
  }
}
