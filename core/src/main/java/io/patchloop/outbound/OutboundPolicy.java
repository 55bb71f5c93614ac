package io.patchloop.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where Patchloop may call out to. Checked on the addresses a destination resolves to (so a name
 * that points at a refused address is refused too), when a channel or callback is saved and again
 * on every attempt to call it. Refused by default: link-local (169.254.0.0/16, where cloud metadata
 * lives), AWS's IPv6 metadata address, and the platform's own database and Temporal frontend. An
 * allow rule wins over every deny rule. Loopback in general stays allowed (the lab and local
 * receivers live there).
 */
@Component
public class OutboundPolicy {

  private static final Logger log = LoggerFactory.getLogger(OutboundPolicy.class);

  /** Name lookups run here so a caller can stop waiting at its deadline; a hung lookup holds only this daemon thread. */
  private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "patchloop-outbound-lookup");
    t.setDaemon(true);
    return t;
  });

  private final OutboundProperties properties;
  private final List<OutboundRule> deny;
  private final List<OutboundRule> allow;

  @Autowired
  public OutboundPolicy(OutboundProperties properties, Environment environment) {
    this(properties, platformEndpoints(environment.getProperty("spring.datasource.url"),
        environment.getProperty("spring.temporal.connection.target")));
  }

  /** @param platformEndpoints {@code host:port} entries refused as the platform's own, each with its label */
  public OutboundPolicy(OutboundProperties properties, List<Endpoint> platformEndpoints) {
    this.properties = properties;
    List<OutboundRule> d = new ArrayList<>();
    d.add(OutboundRule.parse("169.254.0.0/16", "link-local, cloud metadata"));
    d.add(OutboundRule.parse("fd00:ec2::254", "cloud metadata"));
    for (Endpoint e : platformEndpoints) {
      d.add(OutboundRule.parse(e.hostPort(), e.label()));
    }
    properties.deny().forEach(entry -> d.add(OutboundRule.parse(entry, null)));
    this.deny = List.copyOf(d);
    this.allow = properties.allow().stream().map(entry -> OutboundRule.parse(entry, null)).toList();
    log.info("outbound calls: {} per call, refused: {}, allowed anyway: {}", properties.timeout(), deny, allow);
  }

  /** One of the platform's own services. */
  public record Endpoint(String hostPort, String label) {}

  public Duration timeout() {
    return properties.timeout();
  }

  /**
   * Resolves a destination and checks every address it resolves to.
   *
   * @param deadlineNanos {@link System#nanoTime()} by which the lookup must have answered
   * @return the addresses, all allowed (the JVM caches them, so the connection made right after goes to one of these)
   * @throws OutboundRefusedException when one of them is refused
   */
  public List<InetAddress> check(String host, int port, long deadlineNanos)
      throws UnknownHostException, TimeoutException, InterruptedException {
    String name = bare(host);
    CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
      try {
        return InetAddress.getAllByName(name);
      } catch (UnknownHostException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, LOOKUPS);
    InetAddress[] addresses;
    try {
      addresses = lookup.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException unknown) {
        throw unknown;
      }
      throw new UnknownHostException(name + ": " + e.getCause());
    }
    for (InetAddress a : addresses) {
      refusal(name, a, port).ifPresent(reason -> {
        throw new OutboundRefusedException(reason);
      });
    }
    return Arrays.asList(addresses);
  }

  /** Why one resolved address of a destination is refused, if it is. */
  Optional<String> refusal(String host, InetAddress address, int port) {
    String name = bare(host).toLowerCase(Locale.ROOT);
    for (OutboundRule rule : deny) {
      if (rule.matches(name, address, port)) {
        if (allow.stream().anyMatch(a -> a.matches(name, address, port))) {
          return Optional.empty();
        }
        String shown = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return Optional.of("refused by outbound policy: " + shown + ":" + port + " is in " + rule);
      }
    }
    return Optional.empty();
  }

  /**
   * For saving a channel or callback: why the URL's destination is refused now. A name that does
   * not resolve (yet) is not refused here; every send checks it again.
   */
  public Optional<String> refusalOfUrl(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return Optional.empty(); // the URL's own validation says what is wrong with it
    }
    if (u.getHost() == null || u.getScheme() == null) {
      return Optional.empty();
    }
    return refusalOf(u.getHost(), u.getPort() >= 0 ? u.getPort() : defaultPort(u.getScheme()));
  }

  /** As {@link #refusalOfUrl}, for a host and port (an SMTP server). */
  public Optional<String> refusalOf(String host, int port) {
    try {
      check(host, port, System.nanoTime() + timeout().toNanos());
      return Optional.empty();
    } catch (OutboundRefusedException e) {
      return Optional.of(e.getMessage());
    } catch (UnknownHostException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  public static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  /** A URI's host keeps an IPv6 literal's brackets; lookups and rules want it without. */
  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The database's and Temporal's {@code host:port}, from the settings every Patchloop process connects with. */
  static List<Endpoint> platformEndpoints(String jdbcUrl, String temporalTarget) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String hostPort : databaseHosts(jdbcUrl)) {
      endpoints.add(new Endpoint(hostPort, "the platform's database"));
    }
    if (temporalTarget != null && !temporalTarget.isBlank()) {
      String t = temporalTarget.strip();
      int scheme = t.indexOf(":///");
      t = scheme >= 0 ? t.substring(scheme + 4) : t.replaceFirst("^[a-z]+://", "");
      endpoints.add(new Endpoint(withPort(t, 7233), "the platform's Temporal"));
    }
    return endpoints;
  }

  /** {@code jdbc:mysql://h1:3306,h2/db?...} (also mariadb, with a sub-protocol such as {@code :replication}) to its hosts with ports. */
  static List<String> databaseHosts(String jdbcUrl) {
    if (jdbcUrl == null) {
      return List.of();
    }
    int start = jdbcUrl.indexOf("//");
    if (start < 0) {
      return List.of();
    }
    String rest = jdbcUrl.substring(start + 2);
    int end = rest.length();
    for (char c : new char[] {'/', '?', ';'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    int defaultPort = jdbcUrl.startsWith("jdbc:postgresql") ? 5432 : 3306;
    List<String> hosts = new ArrayList<>();
    for (String h : rest.substring(0, end).split(",")) {
      h = h.strip();
      if (h.contains("@")) {
        h = h.substring(h.lastIndexOf('@') + 1);
      }
      if (!h.isEmpty() && !h.contains("(")) {
        hosts.add(withPort(h, defaultPort));
      }
    }
    return hosts;
  }

  private static String withPort(String hostPort, int defaultPort) {
    boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:")
        : hostPort.chars().filter(c -> c == ':').count() == 1;
    if (hasPort) {
      return hostPort;
    }
    return hostPort.contains(":") && !hostPort.startsWith("[") ? "[" + hostPort + "]:" + defaultPort
        : hostPort + ":" + defaultPort;
  }
}
