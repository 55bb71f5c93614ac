package io.patchloop.collect;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.SafeValues;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a repository's updateinfo.xml (the format of createrepo_c/modifyrepo_c, used by dnf and
 * yum alike). Lenient where real repositories vary (date forms, case of severity and of
 * reboot_suggested, unknown types), strict where a value could later reach a command line
 * (advisory ids and package names must match their patterns, or the advisory is dropped).
 */
final class UpdateInfoParser {

  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** The advisories read, and how many were dropped because an id or package name is not safe to use. */
  record Result(List<Advisory> advisories, int dropped) {}

  private UpdateInfoParser() {}

  /** Every advisory of a document held as a string. */
  static Result parse(String xml, String source) {
    try {
      return parse(factory().createXMLStreamReader(new StringReader(xml)), source, null);
    } catch (XMLStreamException e) {
      throw notWellFormed(source, e);
    }
  }

  /**
   * Reads a document as it streams in, keeping of each advisory only the package entries {@code keep}
   * accepts, and only the advisories left with one; an advisory is still dropped as unsafe (and
   * counted) when any of its entries is, kept or not. The stream is not closed.
   */
  static Result parse(InputStream xml, String source, Predicate<AdvisoryPackage> keep) {
    try {
      return parse(factory().createXMLStreamReader(xml), source, keep);
    } catch (XMLStreamException e) {
      throw notWellFormed(source, e);
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // repository metadata is untrusted input: no DTDs, no external entities
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }

  private static HostAccessException notWellFormed(String source, XMLStreamException e) {
    return new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE,
        "updateinfo.xml of " + source + " is not well-formed XML: " + e.getMessage(), e);
  }

  private static Result parse(XMLStreamReader r, String source, Predicate<AdvisoryPackage> keep) {
    List<Advisory> advisories = new ArrayList<>();
    int dropped = 0;
    try {
      Builder b = null;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          switch (r.getLocalName()) {
            case "update" -> b = new Builder(attr(r, "type"));
            case "id" -> { if (b != null) b.id = r.getElementText().strip(); }
            case "title" -> { if (b != null) b.title = r.getElementText().strip(); }
            case "severity" -> { if (b != null) b.severity = r.getElementText().strip(); }
            case "issued" -> { if (b != null) b.issued = attr(r, "date"); }
            case "reference" -> {
              if (b != null && "cve".equalsIgnoreCase(attr(r, "type"))) {
                String id = attr(r, "id");
                if (id != null && SafeValues.CVE.matcher(id.strip()).matches()
                    && b.cves.size() < HostDataLimits.MAX_CVES_PER_ADVISORY) {
                  b.cves.add(id.strip());
                }
              }
            }
            case "package" -> {
              if (b != null) {
                b.packages.add(new String[] {attr(r, "name"), attr(r, "epoch"), attr(r, "version"),
                    attr(r, "release"), attr(r, "arch")});
              }
            }
            case "reboot_suggested" -> {
              if (b != null) {
                String v = r.getElementText().strip().toLowerCase(Locale.ROOT);
                b.rebootSuggested |= v.equals("true") || v.equals("1") || v.equals("yes");
              }
            }
            default -> { }
          }
        } else if (event == XMLStreamReader.END_ELEMENT && r.getLocalName().equals("update") && b != null) {
          Advisory a = b.build();
          if (a == null) {
            dropped++;
          } else {
            Advisory kept = only(a, keep);
            if (kept != null) {
              advisories.add(kept);
            }
          }
          b = null;
        }
      }
    } catch (XMLStreamException e) {
      throw notWellFormed(source, e);
    }
    return new Result(advisories, dropped);
  }

  /** The advisory with only the entries to keep (all when {@code keep} is null); null when none is left. */
  private static Advisory only(Advisory a, Predicate<AdvisoryPackage> keep) {
    return keep == null ? a : AdvisorySelection.withEntries(a, keep);
  }

  private static String attr(XMLStreamReader r, String name) {
    return r.getAttributeValue(null, name);
  }

  /**
   * {@code YYYY-MM-DD HH:MM:SS}, a date alone (00:00 UTC, as openEuler writes it), or epoch seconds;
   * else null, as is a time a report's TIMESTAMP column cannot hold ({@link HostDataLimits#storableTime}).
   */
  static Instant parseIssued(String date) {
    return HostDataLimits.storableTime(readIssued(date));
  }

  private static Instant readIssued(String date) {
    if (date == null || date.isBlank()) {
      return null;
    }
    String d = date.strip();
    try {
      if (d.matches("\\d{9,11}")) {
        return Instant.ofEpochSecond(Long.parseLong(d));
      }
      if (d.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(d).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (d.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}.*")) {
        return LocalDateTime.parse(d.substring(0, 19).replace('T', ' '), DATE_TIME).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  static PatchCategory category(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.strip().toLowerCase(Locale.ROOT)) {
      case "security" -> PatchCategory.SECURITY;
      case "bugfix" -> PatchCategory.BUGFIX;
      case "enhancement" -> PatchCategory.ENHANCEMENT;
      case "newpackage" -> PatchCategory.NEWPACKAGE;
      default -> null;
    };
  }

  static PatchSeverity severity(String severity) {
    if (severity == null) {
      return PatchSeverity.NONE;
    }
    return switch (severity.strip().toLowerCase(Locale.ROOT)) {
      case "critical" -> PatchSeverity.CRITICAL;
      case "important" -> PatchSeverity.IMPORTANT;
      case "moderate" -> PatchSeverity.MODERATE;
      case "low" -> PatchSeverity.LOW;
      default -> PatchSeverity.NONE;
    };
  }

  private static final class Builder {
    final String type;
    String id;
    String title;
    String severity;
    String issued;
    boolean rebootSuggested;
    final LinkedHashSet<String> cves = new LinkedHashSet<>();
    final List<String[]> packages = new ArrayList<>();

    Builder(String type) {
      this.type = type;
    }

    /** Null when the id or a package cannot be trusted on a command line later. */
    Advisory build() {
      if (id == null || !SafeValues.ADVISORY_ID.matcher(id).matches()) {
        return null;
      }
      var seen = new LinkedHashSet<String>();
      List<AdvisoryPackage> pkgs = new ArrayList<>();
      for (String[] p : packages) {
        if (p[0] == null || !SafeValues.PACKAGE_NAME.matcher(p[0]).matches() || p[2] == null || !SafeValues.VERSION_PART.matcher(p[2]).matches()
            || p[3] == null || !SafeValues.VERSION_PART.matcher(p[3]).matches() || p[4] == null || !SafeValues.ARCH.matcher(p[4]).matches()) {
          return null;
        }
        String e = p[1] == null || p[1].isBlank() ? "0" : p[1].strip();
        if (!SafeValues.EPOCH.matcher(e).matches()) {
          return null; // negative, huge or not a number: no version we could compare or install
        }
        long epoch = Long.parseLong(e);
        if (seen.add(String.join("|", p[0], String.valueOf(epoch), p[2], p[3], p[4]))) {
          pkgs.add(new AdvisoryPackage(p[0], new Evr(epoch, p[2], p[3]), p[4]));
        }
      }
      return new Advisory(id, title == null ? "" : HostDataLimits.hostText(title, HostDataLimits.MAX_TITLE),
          type == null ? "" : HostDataLimits.hostText(type, HostDataLimits.MAX_TYPE), category(type), severity(severity),
          parseIssued(issued), List.copyOf(pkgs), List.copyOf(cves), rebootSuggested);
    }
  }
}
