package io.patchloop.collect;

import java.util.LinkedHashMap;
import java.util.Map;

/** /etc/os-release, and the product name baselines use for it ("HCE 2.0", "CentOS 7"). */
public record OsRelease(String id, String versionId, String name, String prettyName) {

  public static OsRelease parse(String text) {
    Map<String, String> v = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      v.put(line.substring(0, eq).strip(), value);
    }
    return new OsRelease(v.getOrDefault("ID", ""), v.getOrDefault("VERSION_ID", ""), v.getOrDefault("NAME", ""),
        v.getOrDefault("PRETTY_NAME", ""));
  }

  /** The product as the seed product's baselines name it: a short OS name and its major release. */
  public String product() {
    String shortName = switch (id.toLowerCase()) {
      case "hce" -> "HCE";
      case "centos" -> "CentOS";
      case "euleros" -> "EulerOS";
      case "openeuler" -> "openEuler";
      default -> name.isEmpty() ? id : name;
    };
    return versionId.isEmpty() ? shortName : shortName + " " + versionId;
  }
}
