package io.patchloop.console;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's host form: every field of the API's {@link HostSpec}, as text a person types or
 * picks. {@link #toSpec} turns it into the spec (the store then checks it as it checks the API's);
 * text that is not even a number or a known value becomes a problem of its field, not an error page.
 */
public class HostForm {

  private String name;
  private String address;
  private String port = Integer.toString(HostSpec.DEFAULT_PORT);
  private String username = HostSpec.DEFAULT_USERNAME;
  private String access = AccessMode.SSH.name();
  /** A stored credential's name; empty when the host uses a key file or an agent. */
  private String credentialName;
  private String keyPath;
  private String osFamily;
  private String scenario = Scenario.ECS.name();
  /** {@code key=value} pairs separated by commas, semicolons or lines. */
  private String tags;

  static HostForm of(Host host) {
    HostForm form = new HostForm();
    form.name = host.name();
    form.address = host.address();
    form.port = Integer.toString(host.port());
    form.username = host.username();
    form.access = host.access() == null ? AccessMode.SSH.name() : host.access().name();
    form.credentialName = host.credentialName();
    form.keyPath = host.keyPath();
    form.osFamily = host.osFamily() == null ? null : host.osFamily().name();
    form.scenario = host.scenario() == null ? null : host.scenario().name();
    form.tags = new java.util.TreeMap<>(host.tags()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    return form;
  }

  /** The API's spec; what cannot even be read lands in {@code problems} under the API's field name. */
  HostSpec toSpec(Problems problems) {
    return new HostSpec(blankToNull(name), blankToNull(address), port(problems), blankToNull(username),
        blankToNull(keyPath), blankToNull(credentialName),
        parse(OsFamily.class, "osFamily", osFamily, problems), parse(Scenario.class, "scenario", scenario, problems),
        tags(problems), parse(AccessMode.class, "access", access, problems));
  }

  private Integer port(Problems problems) {
    if (port == null || port.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(port.strip());
    } catch (NumberFormatException e) {
      problems.add("port", "must be a number between 1 and 65535");
      return null;
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, Problems problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
      return null;
    }
  }

  private Map<String, String> tags(Problems problems) {
    Map<String, String> parsed = new LinkedHashMap<>();
    if (tags == null || tags.isBlank()) {
      return parsed;
    }
    for (String pair : tags.strip().split("\\s*[,;\\r\\n]+\\s*")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        problems.add("tags", "must be key=value pairs separated by commas, for example zone=az1, app=shop");
        return parsed;
      }
      parsed.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return parsed;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getPort() {
    return port;
  }

  public void setPort(String port) {
    this.port = port;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getAccess() {
    return access;
  }

  public void setAccess(String access) {
    this.access = access;
  }

  public String getCredentialName() {
    return credentialName;
  }

  public void setCredentialName(String credentialName) {
    this.credentialName = credentialName;
  }

  public String getKeyPath() {
    return keyPath;
  }

  public void setKeyPath(String keyPath) {
    this.keyPath = keyPath;
  }

  public String getOsFamily() {
    return osFamily;
  }

  public void setOsFamily(String osFamily) {
    this.osFamily = osFamily;
  }

  public String getScenario() {
    return scenario;
  }

  public void setScenario(String scenario) {
    this.scenario = scenario;
  }

  public String getTags() {
    return tags;
  }

  public void setTags(String tags) {
    this.tags = tags;
  }
}
