package io.patchloop.worker.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The agent's settings, from environment variables (systemd's EnvironmentFile, see
 * infra/agent). Every value is checked before anything connects; all problems are reported at once.
 *
 * @param hostId the host's id in Patchloop: the agent polls {@code patchloop-host-<hostId>}
 * @param temporalTarget host:port of the Temporal frontend
 * @param tlsCert client certificate (PEM) for mTLS, with {@code tlsKey} (PKCS#8 PEM); null for plain
 * @param tlsCa CA (PEM) that signed the server's certificate; null: the JVM's trust store
 * @param tlsServerName the name the server's certificate carries, when it is not the target's host
 * @param insecurePlaintext no TLS, chosen explicitly ({@link #INSECURE_ARGUMENT} or {@code
 *     PATCHLOOP_AGENT_INSECURE_PLAINTEXT=true}); never true together with TLS settings
 */
public record AgentConfig(long hostId, String temporalTarget, String namespace, Path tlsCert, Path tlsKey, Path tlsCa,
    String tlsServerName, Duration reportInterval, int maxOutputBytes, Duration bootPollInterval,
    boolean insecurePlaintext) {

  /** The argument that lets the agent start without TLS. */
  static final String INSECURE_ARGUMENT = "--insecure-plaintext";

  static final String PREFIX = "PATCHLOOP_AGENT_";
  static final Pattern HOST_ID = Pattern.compile("[1-9][0-9]{0,17}");
  static final Pattern TARGET = Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}");
  static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");
  static final Pattern SECONDS = Pattern.compile("[0-9]{1,5}");

  public boolean tls() {
    return tlsCert != null || tlsCa != null;
  }

  /** The settings of an agent started without arguments. */
  public static AgentConfig fromEnvironment(Map<String, String> env) {
    return from(env, List.of());
  }

  /**
   * The settings from the environment and the command line. TLS is required: the agent runs what
   * it is sent as root, so over plaintext anyone on the path to the Temporal frontend can read its
   * inventory and hand it install plans and reboots. Plaintext only when asked for explicitly.
   */
  public static AgentConfig from(Map<String, String> env, List<String> args) {
    List<String> problems = new ArrayList<>();
    boolean insecureArgument = false;
    for (String arg : args) {
      if (arg.equals(INSECURE_ARGUMENT)) {
        insecureArgument = true;
      } else {
        problems.add("unknown argument '" + shown(arg) + "' (the agent takes only " + INSECURE_ARGUMENT
            + "; its settings are PATCHLOOP_AGENT_* environment variables)");
      }
    }
    String insecureValue = value(env, "INSECURE_PLAINTEXT");
    if (insecureValue != null && !insecureValue.equals("true") && !insecureValue.equals("false")) {
      problems.add(PREFIX + "INSECURE_PLAINTEXT must be true or false, not '" + shown(insecureValue) + "'");
    }
    boolean insecure = insecureArgument || "true".equals(insecureValue);
    String hostId = value(env, "HOST_ID");
    if (hostId == null || !HOST_ID.matcher(hostId).matches()) {
      problems.add(PREFIX + "HOST_ID must be the host's id in Patchloop (a positive number), not '" + shown(hostId) + "'");
    }
    String target = value(env, "TEMPORAL_TARGET");
    if (target == null || !TARGET.matcher(target).matches() || port(target) < 1 || port(target) > 65535) {
      problems.add(PREFIX + "TEMPORAL_TARGET must be host:port of the Temporal frontend, not '" + shown(target) + "'");
    }
    String namespace = value(env, "NAMESPACE") == null ? "default" : value(env, "NAMESPACE");
    if (!NAMESPACE.matcher(namespace).matches()) {
      problems.add(PREFIX + "NAMESPACE must be 1-64 letters, digits, '.', '_' or '-'");
    }
    Path cert = file(env, "TLS_CERT", problems);
    Path key = file(env, "TLS_KEY", problems);
    Path ca = file(env, "TLS_CA", problems);
    if ((cert == null) != (key == null)) {
      problems.add(PREFIX + "TLS_CERT and " + PREFIX + "TLS_KEY go together (the client certificate and its key)");
    }
    String serverName = value(env, "TLS_SERVER_NAME");
    if (serverName != null && !SERVER_NAME.matcher(serverName).matches()) {
      problems.add(PREFIX + "TLS_SERVER_NAME must be a DNS name");
    }
    int interval = seconds(env, "REPORT_INTERVAL_SECONDS", 30, 1, 3600, problems);
    boolean tls = cert != null || key != null || ca != null;
    if (!tls && !insecure) {
      problems.add(NO_TLS);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new AgentConfig(Long.parseLong(hostId), target, namespace, cert, key, ca, serverName,
        Duration.ofSeconds(interval), 64 << 20, Duration.ofSeconds(3), !tls);
  }

  static final String NO_TLS = "no TLS settings: set " + PREFIX + "TLS_CA (the CA of the Temporal frontend's"
      + " certificate) and, where the frontend requires client certificates, " + PREFIX + "TLS_CERT and " + PREFIX
      + "TLS_KEY (install.sh --tls-ca, --tls-cert, --tls-key). Without TLS anyone on the network path to "
      + "the frontend can read this host's inventory and send this agent install plans and reboots, which it runs as"
      + " root. To run without TLS anyway (a lab, a link you otherwise protect), start the agent with "
      + INSECURE_ARGUMENT + " or set " + PREFIX + "INSECURE_PLAINTEXT=true (install.sh --insecure-plaintext)";

  /**
   * What the agent logs at each start over plaintext, as a WARN; null with TLS.
   */
  public String plaintextWarning() {
    return insecurePlaintext ? "the link to Temporal at " + temporalTarget + " is NOT encrypted or authenticated ("
        + INSECURE_ARGUMENT + " / " + PREFIX + "INSECURE_PLAINTEXT): anyone on the network path, and anyone who can"
        + " reach the frontend and act in namespace " + namespace + ", can read what this agent reports and command it"
        + " (install packages, reboot the host, as root); set " + PREFIX + "TLS_CA (and " + PREFIX + "TLS_CERT + "
        + PREFIX + "TLS_KEY) to encrypt it" : null;
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(PREFIX + name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Path file(Map<String, String> env, String name, List<String> problems) {
    String v = value(env, name);
    if (v == null) {
      return null;
    }
    Path p = Path.of(v);
    if (!p.isAbsolute() || !Files.isReadable(p)) {
      problems.add(PREFIX + name + " must be an absolute path of a readable file: " + shown(v));
    }
    return p;
  }

  private static int seconds(Map<String, String> env, String name, int dflt, int min, int max, List<String> problems) {
    String v = value(env, name);
    if (v == null) {
      return dflt;
    }
    if (!SECONDS.matcher(v).matches() || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
      problems.add(PREFIX + name + " must be a number of seconds from " + min + " to " + max + ", not '" + shown(v) + "'");
      return dflt;
    }
    return Integer.parseInt(v);
  }

  private static int port(String target) {
    return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
  }

  private static String shown(String v) {
    if (v == null) {
      return "";
    }
    String s = v.replaceAll("[^\\x20-\\x7e]", "?");
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
