package io.patchloop.collect;

import static io.patchloop.collect.RepoConfigFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** dnf 4's detect_releasever (dnf/rpm/__init__.py) on {@link ReleaseverQuery#RPM_QUERY} output. */
class ReleaseverQueryTest {

  @Test
  void providedVersionWinsWhenThePackageIsNamedOtherwise() {
    assertThat(ReleaseverQuery.detect(text("openeuler2203/releasever-query.txt"), ReleaseverQuery.DNF_PROVIDES))
        .contains("22.03LTS");
    // CentOS 7: centos-release provides system-release(releasever) = 7
    assertThat(ReleaseverQuery.detect(text("centos7/releasever-query.txt"), ReleaseverQuery.DNF_PROVIDES))
        .contains("7");
  }

  @Test
  void packageNamedLikeTheProvideGivesItsVersion() {
    // yum on CentOS 7 with distroverpkg=centos-release: the package is centos-release itself
    assertThat(ReleaseverQuery.detect(text("centos7/releasever-query.txt"), List.of("centos-release")))
        .contains("7");
  }

  @Test
  void unversionedProvideGivesThePackageVersion() {
    String out = "Q system-release(releasever)\nP fedora-release-common|40\nR system-release(releasever)|0|\n";
    assertThat(ReleaseverQuery.detect(out, ReleaseverQuery.DNF_PROVIDES)).contains("40");
  }

  @Test
  void laterProvideIsUsedWhenNoPackageHasTheFirst() {
    String out = "Q system-release(releasever)\nno package provides system-release(releasever)\n"
        + "Q system-release\nno package provides system-release\nQ distribution-release(releasever)\n"
        + "Q distribution-release\nQ redhat-release\nP redhat-release-server|7.9\nR redhat-release|8|7.9-6.el7\n";
    // a package named otherwise with "redhat-release = 7.9-6.el7": the provide's version, as dnf does
    assertThat(ReleaseverQuery.detect(out, ReleaseverQuery.DNF_PROVIDES)).contains("7.9-6.el7");
  }

  @Test
  void nothingProvidesItOrTheValueIsHostile() {
    assertThat(ReleaseverQuery.detect("Q system-release(releasever)\nno package provides x\n",
        ReleaseverQuery.DNF_PROVIDES)).isEmpty();
    assertThat(ReleaseverQuery.detect("", ReleaseverQuery.DNF_PROVIDES)).isEmpty();
    assertThat(ReleaseverQuery.detect("Q system-release(releasever)\nP evil|7$(reboot)\n",
        ReleaseverQuery.DNF_PROVIDES)).isEmpty();
  }

  @Test
  void queryIsAConstantWithEveryDnfProvide() {
    for (String provide : ReleaseverQuery.DNF_PROVIDES) {
      assertThat(ReleaseverQuery.RPM_QUERY).contains(provide);
    }
    assertThat(ReleaseverQuery.RPM_QUERY).contains("centos-release");
  }
}
