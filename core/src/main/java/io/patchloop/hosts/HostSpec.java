package io.patchloop.hosts;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A host as registered through the API or an import. An SSH host (the default {@code access})
 * needs a credential: either a private-key path on the worker machines ({@code keyPath}) or a key
 * stored in Patchloop ({@code credentialName}). An AGENT host is reached through the Patchloop
 * agent it runs, and needs none.
 */
public record HostSpec(
    String name,
    String address,
    Integer port,
    String username,
    String keyPath,
    String credentialName,
    OsFamily osFamily,
    Scenario scenario,
    Map<String, String> tags,
    AccessMode access) {

  /** A host reached over SSH (the default). */
  public HostSpec(String name, String address, Integer port, String username, String keyPath, String credentialName,
      OsFamily osFamily, Scenario scenario, Map<String, String> tags) {
    this(name, address, port, username, keyPath, credentialName, osFamily, scenario, tags, null);
  }

  public static final int DEFAULT_PORT = 22;
  public static final String DEFAULT_USERNAME = "root";
  public static final int MAX_TAGS = 32;
  public static final int MAX_TAG_KEY_LENGTH = 64;
  public static final int MAX_TAG_VALUE_LENGTH = 128;
  static final int MAX_ADDRESS_LENGTH = 253;
  static final int MAX_KEY_PATH_LENGTH = 1024;

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** RFC 1123 host names, IPv4 and bracket-less IPv6 literals; nothing a shell or ssh option parser could misread. */
  static final Pattern ADDRESS =
      Pattern.compile(
          "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
              + "|[0-9A-Fa-f:.]{2,45}");
  static final Pattern USERNAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  static final Pattern KEY_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]{1,1023}");
  public static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
  static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9._:/@+=-]{1,128}");

  /** The defaults an operator expects: SSH on 22 as root, an ECS cloud server, no tags. */
  public HostSpec withDefaults() {
    return new HostSpec(
        name,
        address,
        port == null ? DEFAULT_PORT : port,
        username == null || username.isBlank() ? DEFAULT_USERNAME : username,
        blankToNull(keyPath),
        blankToNull(credentialName),
        osFamily,
        scenario == null ? Scenario.ECS : scenario,
        tags == null ? Map.of() : tags,
        access == null ? AccessMode.SSH : access);
  }

  /** Checks the fields of a spec to which {@link #withDefaults()} was applied. */
  public void validate(Problems problems) {
    problems.matches("name", name, NAME,
        "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    if (problems.maxLength("address", address, MAX_ADDRESS_LENGTH)) {
      problems.matches("address", address, ADDRESS, "must be a DNS name, an IPv4 or an IPv6 address");
    }
    problems.range("port", port, 1, 65535);
    problems.matches("username", username, USERNAME,
        "must be a POSIX user name: lowercase letters, digits, '_' or '-', at most 32");
    if (access == AccessMode.AGENT && keyPath != null && credentialName != null) {
      problems.add("keyPath", "give at most one of keyPath or credentialName; an AGENT host needs neither");
    } else if (access != AccessMode.AGENT && (keyPath == null) == (credentialName == null)) {
      problems.add("keyPath", "give exactly one of keyPath (a private-key file on the workers) or credentialName (a stored key)");
    } else if (keyPath != null && problems.maxLength("keyPath", keyPath, MAX_KEY_PATH_LENGTH)
        && !KEY_PATH.matcher(keyPath).matches()) {
      problems.add("keyPath", "must be an absolute path of letters, digits and ._/@+-");
    } else if (credentialName != null
        && problems.maxLength("credentialName", credentialName, io.patchloop.credentials.CredentialSpec.MAX_NAME_LENGTH)
        && !io.patchloop.credentials.CredentialSpec.NAME.matcher(credentialName).matches()) {
      problems.add("credentialName", "is not a valid credential name");
    }
    problems.required("osFamily", osFamily);
    if (tags != null) {
      if (tags.size() > MAX_TAGS) {
        problems.add("tags", "at most " + MAX_TAGS + " tags");
      }
      tags.forEach((key, value) -> {
        if (key != null && key.length() > MAX_TAG_KEY_LENGTH) {
          problems.add("tags", "tag keys must be at most " + MAX_TAG_KEY_LENGTH + " characters");
        } else if (key == null || !TAG_KEY.matcher(key).matches()) {
          problems.add("tags", "tag key '" + abbreviate(key) + "' must be 1-64 letters, digits or ._/-");
        } else if (value == null || !TAG_VALUE.matcher(value).matches()) {
          problems.add("tags." + key, "must be 1-128 letters, digits or ._:/@+=-");
        }
      });
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** At most 40 characters of a value, for a reason that names it. */
  public static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
