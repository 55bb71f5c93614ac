package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.StringReader;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What Patchloop reads of a cached {@code repomd.xml}: where the primary metadata and the
 * updateinfo file are, and the updateinfo's checksums. The file is the host's, so untrusted: no
 * DTD, strict shapes for checksums and file names, anything else is treated as absent.
 *
 * @param primaryFile file name of the primary metadata in the repodata directory; null when not listed
 * @param updateInfo the updateinfo record; empty when the repository publishes no advisories
 */
record Repomd(String primaryFile, Optional<UpdateInfoRef> updateInfo) {

  /**
   * The repository's updateinfo file.
   *
   * @param fileName its name in the repodata directory (from {@code location href})
   * @param checksum {@code <type>:<hex>} of the file as it lies in the cache (compressed)
   * @param openChecksum {@code <type>:<hex>} of its uncompressed content; null when repomd.xml gives none
   */
  record UpdateInfoRef(String fileName, String checksum, String openChecksum) {

    /** The catalog key: the checksum of what the platform parses, the uncompressed XML. */
    String key() {
      return openChecksum != null ? openChecksum : checksum;
    }

    boolean compressed() {
      return !fileName.endsWith(".xml");
    }
  }

  static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,254}");
  private static final Pattern DIGEST = Pattern.compile("(sha|sha1|sha224|sha256|sha384|sha512):[0-9a-f]{40,128}");

  static Repomd parse(String xml, String source) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    String primary = null;
    UpdateInfoRef updateInfo = null;
    try {
      XMLStreamReader r = factory.createXMLStreamReader(new StringReader(xml));
      String dataType = null;
      String href = null;
      String checksum = null;
      String openChecksum = null;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          switch (r.getLocalName()) {
            case "data" -> {
              dataType = r.getAttributeValue(null, "type");
              href = checksum = openChecksum = null;
            }
            case "checksum" -> checksum = digest(r.getAttributeValue(null, "type"), r.getElementText());
            case "open-checksum" -> openChecksum = digest(r.getAttributeValue(null, "type"), r.getElementText());
            case "location" -> href = r.getAttributeValue(null, "href");
            default -> { }
          }
        } else if (event == XMLStreamReader.END_ELEMENT && r.getLocalName().equals("data") && dataType != null) {
          String name = fileName(href);
          if (dataType.equals("primary") && name != null) {
            primary = name;
          } else if (dataType.equals("updateinfo")) {
            if (name == null || checksum == null) {
              throw unreadable(source, "its updateinfo record has no usable file name or checksum");
            }
            updateInfo = new UpdateInfoRef(name, checksum, openChecksum);
          }
          dataType = null;
        }
      }
    } catch (XMLStreamException e) {
      throw unreadable(source, "not well-formed XML: " + e.getMessage());
    }
    return new Repomd(primary, Optional.ofNullable(updateInfo));
  }

  /** {@code repodata/<name>} as dnf and yum store it: the last path element, if it is a plain file name. */
  private static String fileName(String href) {
    if (href == null) {
      return null;
    }
    String name = href.substring(href.lastIndexOf('/') + 1);
    return FILE_NAME.matcher(name).matches() ? name : null;
  }

  private static String digest(String type, String hex) {
    String value = (type == null ? "" : type.strip().toLowerCase(Locale.ROOT)) + ":" + hex.strip().toLowerCase(Locale.ROOT);
    return DIGEST.matcher(value).matches() ? value : null;
  }

  private static HostAccessException unreadable(String source, String why) {
    return new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "repomd.xml of " + source + ": " + why);
  }
}
