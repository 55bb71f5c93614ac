package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ini rules of libdnf 0.69; each expectation here was first printed by python3-libdnf 0.69's
 * {@code ConfigParser} (read + getValue/getSubstitutedValue) for the same text on the lab machine.
 */
class DnfIniTest {

  @Test
  void continuationCommentsAndLaterValues() throws Exception {
    DnfIni ini = DnfIni.parse("# top\n[main]\ngpgcheck=0\n[a]\nname = A\nbaseurl = http://x/1/\n"
        + "  http://x/2/,http://x/3/\n # indented hash\nenabled = 1 # c\nenabled=0\n[a]\nname=second\n"
        + "metadata_expire=1.5h\n[b] ; c\nkey\t=\t1\t\n");

    assertThat(ini.sections().keySet()).containsExactly("main", "a", "b");
    assertThat(ini.value("a", "baseurl")).contains("http://x/1/\nhttp://x/2/,http://x/3/\n# indented hash");
    assertThat(ini.value("a", "enabled")).contains("0");
    assertThat(ini.value("a", "name")).contains("second");
    assertThat(ini.value("a", "metadata_expire")).contains("1.5h");
    assertThat(ini.value("b", "key")).contains("1");
  }

  @Test
  void inlineHashIsPartOfTheValue() throws Exception {
    assertThat(DnfIni.parse("[a]\nenabled = 1 # c\n").value("a", "enabled")).contains("1 # c");
  }

  @Test
  void bomAndCarriageReturnsAndEmptyValues() throws Exception {
    DnfIni ini = DnfIni.parse("\uFEFF[a]\r\nx=1\r\ny = \r\n");
    assertThat(ini.value("a", "x")).contains("1");
    assertThat(ini.value("a", "y")).contains("");
  }

  @Test
  void whatLibdnfRefuses() {
    for (var c : List.of(
        List.of("[a]\nx=1\n\n  y\n", "Illegal continuation line at line 4"),
        List.of("[a]\nx=1\n# c\n  y\n", "Illegal continuation line at line 4"),
        List.of("[a]\nx=1\n[b] junk\n", "Text after section at line 3"),
        List.of("x=1\n[a]\n", "Missing section header at line 1"),
        List.of("[a]\n =1\n", "Illegal continuation line at line 2"),
        List.of("[a]\nnoequal\n", "Missing '=' at line 2"),
        List.of("[a\nx=1\n", "Missing ']' at line 1"),
        List.of("[]\n", "Empty section name at line 1"),
        List.of("[a]\n=1\n", "Missing key at line 2"))) {
      assertThatThrownBy(() -> DnfIni.parse(c.get(0))).as(c.get(0)).isInstanceOf(DnfIni.SyntaxError.class)
          .hasMessage(c.get(1));
    }
  }

  @Test
  void indentedSectionAfterAValueStartsASection() throws Exception {
    DnfIni ini = DnfIni.parse("[a]\nx=1\n  [b]\ny=2\n");
    assertThat(ini.value("a", "x")).contains("1");
    assertThat(ini.value("b", "y")).contains("2");
  }

  @Test
  void substitutionAsLibdnf069() {
    RepoVariables vars = new RepoVariables(java.util.Map.of("releasever", "8", "basearch", "x86_64"));
    assertThat(vars.substitute("$releasever-${basearch}-${nope}-$nope-\\$x-${releasever:-def}-$releasever_major"))
        .isEqualTo("8-x86_64-${nope}-$nope-\\$x-${releasever:-def}-$releasever_major");
  }
}
