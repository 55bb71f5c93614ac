package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.workflows.host.HostErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits the collector script's output into its named sections. */
record CollectorOutput(Map<String, String> sections, List<UpdateInfoFile> updateInfo) {

  /** One repository's updateinfo.xml, named by its cache directory (repo id and a hash). */
  record UpdateInfoFile(String cacheDir, String xml) {}

  static CollectorOutput split(String output, String nonce) {
    String marker = CollectorScript.MARKER_PREFIX + nonce + " ";
    Map<String, String> sections = new LinkedHashMap<>();
    List<UpdateInfoFile> updateInfo = new ArrayList<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : output.split("\n", -1)) {
      if (line.startsWith(marker) && line.endsWith("@@")) {
        store(name, body, sections, updateInfo);
        name = line.substring(marker.length(), line.length() - 2);
        body.setLength(0);
      } else if (name != null) {
        body.append(line).append('\n');
      }
    }
    store(name, body, sections, updateInfo);
    if (!sections.containsKey("end")) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE,
          "the collector's output ended early (no end marker; sections seen: " + sections.keySet()
              + "); the output may have been cut at the size cap or the shell failed");
    }
    return new CollectorOutput(sections, updateInfo);
  }

  private static void store(String name, StringBuilder body, Map<String, String> sections, List<UpdateInfoFile> files) {
    if (name == null) {
      return;
    }
    // every section starts after the blank line the marker's printf put before it: drop that one
    String text = body.length() > 0 && body.charAt(body.length() - 1) == '\n'
        ? body.substring(0, body.length() - 1) : body.toString();
    if (name.startsWith("updateinfo ")) {
      files.add(new UpdateInfoFile(name.substring("updateinfo ".length()), text));
    } else {
      sections.put(name, text);
    }
  }

  String require(String section) {
    String s = sections.get(section);
    if (s == null) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the collector's output has no '" + section + "' section");
    }
    return s;
  }
}
