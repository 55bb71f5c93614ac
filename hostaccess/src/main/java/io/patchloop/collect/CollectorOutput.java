package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A framed collector command's output ({@link CollectorScript#probe}, {@link CollectorScript#refresh}),
 * section by section, as text. What it carries is small: configuration files, the rpm database (100,000
 * packages are about 8 MB), each repository's {@code repomd.xml}; the updateinfo files come
 * separately, only when needed.
 *
 * @param ended whether the script's end marker came: without it the output is not whole
 */
record CollectorOutput(Map<String, String> sections, boolean ended) {

  /** No host prints this much in one section. */
  static final int MAX_TEXT_SECTION_BYTES = 16 << 20;

  /** Reads stdout to the end marker (or the end of the stream). */
  static CollectorOutput read(InputStream stdout, String nonce) throws IOException {
    CollectorSections in = new CollectorSections(stdout, nonce);
    Map<String, String> sections = new LinkedHashMap<>();
    for (String name; (name = in.next()) != null; ) {
      if (name.equals("end")) {
        sections.put(name, "");
        return new CollectorOutput(sections, true);
      }
      sections.put(name, in.text(MAX_TEXT_SECTION_BYTES));
    }
    return new CollectorOutput(sections, false);
  }

  /** The whole output at once (captured output, tests): as {@link #read}, and an output without its end is refused. */
  static CollectorOutput split(String output, String nonce) {
    CollectorOutput out;
    try {
      out = read(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), nonce);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an array
    }
    out.requireEnd();
    return out;
  }

  /** @throws HostAccessException OUTPUT_UNPARSEABLE when the script's end marker did not come */
  void requireEnd() {
    if (!ended) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE,
          "the collector's output ended early (no end marker; sections seen: " + sections.keySet()
              + "); the output may have been cut at the size cap or the shell failed");
    }
  }

  String require(String section) {
    String s = sections.get(section);
    if (s == null) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the collector's output has no '" + section + "' section");
    }
    return s;
  }

  /** Each section whose name is {@code prefix} + a space + something: that something and the text. */
  void each(String prefix, BiConsumer<String, String> action) {
    String start = prefix + " ";
    sections.forEach((name, text) -> {
      if (name.startsWith(start)) {
        action.accept(name.substring(start.length()), text);
      }
    });
  }
}
