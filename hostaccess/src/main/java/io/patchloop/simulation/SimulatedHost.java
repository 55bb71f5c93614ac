package io.patchloop.simulation;

import io.patchloop.collect.CollectorCommands;
import java.util.Set;

/**
 * One generated host of a {@link SimulatedFleet}: what its probe prints, and what a scan of it must
 * find (for the tests and the benchmark to check against).
 *
 * @param rpmQa its {@code rpm -qa} lines, as the probe's query prints them
 * @param packageCount how many packages it has installed
 * @param bootTime its boot time, epoch seconds (before it: every install)
 * @param applicableAdvisoryIds the catalog's advisories that name one of its installed packages
 * @param missingAdvisoryIds of those, the ones that fix a newer release than it has installed
 */
public record SimulatedHost(SimulatedFleet fleet, String address, String rpmQa, int packageCount, long bootTime,
    Set<String> applicableAdvisoryIds, Set<String> missingAdvisoryIds) {

  private static final String RELEASEVER_QUERY = """
      Q system-release(releasever)
      no package provides system-release(releasever)
      Q system-release
      no package provides system-release
      Q distribution-release(releasever)
      no package provides distribution-release(releasever)
      Q distribution-release
      no package provides distribution-release
      Q redhat-release
      no package provides redhat-release
      Q suse-release
      no package provides suse-release
      Q centos-release
      no package provides centos-release
      """;

  /** The probe's framed answer, as the host prints it at {@code now} (epoch seconds, the host's clock). */
  String probe(String nonce, long now) {
    long configTime = SimulatedFleet.PUBLISHED - 90 * 86_400L;
    StringBuilder b = new StringBuilder(rpmQa.length() + 8192);
    b.append(CollectorCommands.marker(nonce, "os-release")).append("""
        NAME="Huawei Cloud EulerOS"
        VERSION="2.0 (x86_64)"
        ID="hce"
        VERSION_ID="2.0"
        PRETTY_NAME="Huawei Cloud EulerOS 2.0 (x86_64)"
        ANSI_COLOR="0;31"
        """);
    b.append(CollectorCommands.marker(nonce, "uname"))
        .append(SimulatedFleet.KERNEL_VERSION).append('-').append(SimulatedFleet.KERNEL_RELEASE).append(".x86_64\n");
    b.append(CollectorCommands.marker(nonce, "arch")).append("x86_64\n");
    b.append(CollectorCommands.marker(nonce, "boot")).append(now).append('\n').append(bootTime).append('\n')
        .append(now - bootTime).append(".42\n");
    b.append(CollectorCommands.marker(nonce, "package-manager")).append("dnf\n");
    b.append(CollectorCommands.marker(nonce, "file " + configTime + " /etc/dnf/dnf.conf")).append("""
        [main]
        gpgcheck=1
        installonly_limit=3
        clean_requirements_on_remove=True
        best=True
        skip_if_unavailable=False
        """);
    b.append(CollectorCommands.marker(nonce, "file " + configTime + " /etc/dnf/vars/releasever")).append("2.0\n");
    b.append(CollectorCommands.marker(nonce, "file " + configTime + " " + SimulatedFleet.REPO_FILE)).append("""
        [%s]
        name=Simulated HCE 2.0 updates
        baseurl=%s
        enabled=1
        gpgcheck=0
        """.formatted(SimulatedFleet.REPO_ID, SimulatedFleet.BASEURL));
    b.append(CollectorCommands.marker(nonce, "releasever")).append(RELEASEVER_QUERY);
    b.append(CollectorCommands.marker(nonce, "rpm")).append(rpmQa);
    b.append(CollectorCommands.marker(nonce, "kernels")).append("kernel-core\nkernel\n");
    b.append(fleet.cacheState(nonce, now));
    b.append(CollectorCommands.marker(nonce, "end"));
    return b.toString();
  }

  /** A refresh's framed answer: makecache succeeded, and the cache state again. */
  String refresh(String nonce, long now) {
    return CollectorCommands.marker(nonce, "makecache") + "exit=0\n" + fleet.cacheState(nonce, now)
        + CollectorCommands.marker(nonce, "end");
  }
}
