package io.patchloop.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules on their own: no Spring, no network (only literal addresses and localhost, which /etc/hosts answers). */
class OutboundPolicyTest {

  static OutboundPolicy policy(List<String> deny, List<String> allow) {
    return new OutboundPolicy(new OutboundProperties(Duration.ofSeconds(2), deny, allow),
        OutboundPolicy.platformEndpoints(
            "jdbc:mysql://127.0.0.1:3307/patchloop?useSSL=false", "dns:///127.0.0.1:7233"));
  }

  static String refusal(OutboundPolicy p, String address, int port) throws Exception {
    return p.refusal(address, InetAddress.getByName(address), port).orElse(null);
  }

  @Test
  void metadataTheDatabaseAndTemporalAreRefusedByDefaultAndOtherLoopbackIsNot() throws Exception {
    OutboundPolicy p = policy(List.of(), List.of());
    assertThat(refusal(p, "169.254.169.254", 80)).isEqualTo(
        "refused by outbound policy: 169.254.169.254:80 is in 169.254.0.0/16 (link-local, cloud metadata)");
    assertThat(refusal(p, "fd00:ec2::254", 80)).isEqualTo(
        "refused by outbound policy: [fd00:ec2:0:0:0:0:0:254]:80 is in fd00:ec2::254 (cloud metadata)");
    assertThat(refusal(p, "127.0.0.1", 3307)).endsWith("is in 127.0.0.1:3307 (the platform's database)");
    assertThat(refusal(p, "127.0.0.1", 7233)).endsWith("is in 127.0.0.1:7233 (the platform's Temporal)");
    assertThat(refusal(p, "127.0.0.1", 8080)).as("loopback in general stays allowed").isNull();
    assertThat(refusal(p, "::ffff:169.254.169.254", 80)).as("an IPv4-mapped IPv6 form is the same address")
        .contains("169.254.0.0/16");
  }

  @Test
  void aHostNameRuleCoversTheAddressesItResolvesToAndAnAllowRuleWinsOverEveryDenyRule() throws Exception {
    OutboundPolicy p = policy(List.of("localhost:9000", "10.0.0.0/8", "[::1]:9001"), List.of("10.1.2.3:443"));
    assertThat(refusal(p, "127.0.0.1", 9000)).as("localhost resolves to 127.0.0.1").endsWith("is in localhost:9000");
    assertThat(refusal(p, "127.0.0.1", 9002)).isNull();
    assertThat(refusal(p, "10.9.9.9", 80)).endsWith("is in 10.0.0.0/8");
    assertThat(refusal(p, "10.1.2.3", 443)).as("allowed by address and port").isNull();
    assertThat(refusal(p, "10.1.2.3", 80)).endsWith("is in 10.0.0.0/8");
    assertThat(refusal(p, "::1", 9001)).endsWith("is in [::1]:9001");
    OutboundPolicy opened = policy(List.of(), List.of("169.254.169.254"));
    assertThat(refusal(opened, "169.254.169.254", 80)).isNull();
    assertThat(refusal(opened, "169.254.1.1", 80)).isNotNull();
  }

  @Test
  void theCheckResolvesTheNameAndRefusesWhenAnyAddressIsRefused() throws Exception {
    OutboundPolicy p = policy(List.of("127.0.0.1:9000"), List.of());
    assertThatThrownBy(() -> p.check("localhost", 9000, System.nanoTime() + Duration.ofSeconds(2).toNanos()))
        .isInstanceOf(OutboundRefusedException.class).hasMessage(
            "refused by outbound policy: 127.0.0.1:9000 is in 127.0.0.1:9000");
    assertThat(p.refusalOfUrl("http://localhost:9000/cb")).isPresent();
    assertThat(p.refusalOfUrl("https://[::1]:9000/cb")).isEmpty();
    assertThat(p.refusalOfUrl("http://no-such-host.invalid/cb")).as("checked again when it is called").isEmpty();
  }

  @Test
  void theDatabaseAndTemporalEndpointsComeFromTheirConnectionSettings() {
    assertThat(OutboundPolicy.platformEndpoints("jdbc:mariadb:replication://db1,db2:3310/p?x=1", "temporal:7233"))
        .extracting(OutboundPolicy.Endpoint::hostPort).containsExactly("db1:3306", "db2:3310", "temporal:7233");
    assertThat(OutboundPolicy.platformEndpoints("jdbc:mysql://user:pw@[::1]/p", "[::1]"))
        .extracting(OutboundPolicy.Endpoint::hostPort).containsExactly("[::1]:3306", "[::1]:7233");
    assertThat(OutboundPolicy.platformEndpoints(null, null)).isEmpty();
  }

  @Test
  void aRuleThatIsNoCidrAddressOrNameStopsTheStartWithItsText() {
    assertThatThrownBy(() -> policy(List.of("10.0.0.0/40"), List.of())).hasMessageContaining("'10.0.0.0/40'");
    assertThatThrownBy(() -> policy(List.of("db:http"), List.of())).hasMessageContaining("port");
    assertThatThrownBy(() -> policy(List.of(), List.of("not a host"))).hasMessageContaining("'not a host'");
  }

  @Test
  void blankEntriesSuchAsAnEmptyVariableGivesAreNoRules() throws Exception {
    OutboundPolicy p = policy(List.of("", " "), List.of(""));
    assertThat(refusal(p, "127.0.0.1", 8080)).isNull();
  }
}
