package io.patchloop.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Option values read as libdnf reads them (checked against libdnf 0.69 on the lab machine).
 * Each method throws {@link IllegalArgumentException} for a value dnf refuses; dnf then logs
 * "Invalid configuration value" and keeps the inherited or default value, and so do we.
 */
final class DnfOptionValues {

  // std::stod's decimal forms: 90, 1.5, .5, 1e2 (hex and inf are left out: no host writes them)
  private static final Pattern SECONDS = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?([A-Za-z]?)");

  private DnfOptionValues() {}

  /**
   * libdnf {@code OptionSeconds::fromString}: {@code -1} or {@code never} is never ({@link
   * EnabledRepo#NEVER}); else a non-negative number with an optional unit s, m, h or d (either
   * case), fractions cut off after the unit is applied ({@code 1.5h} is 5400).
   */
  static long seconds(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("no value specified");
    }
    if (value.equals("-1") || value.equals("never")) {
      return EnabledRepo.NEVER;
    }
    Matcher m = SECONDS.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("could not convert '" + value + "' to seconds");
    }
    double number = Double.parseDouble(value.substring(0, m.end(1)) + exponent(value, m));
    double factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "s" -> 1;
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "'");
    };
    double seconds = number * factor;
    if (seconds > Integer.MAX_VALUE) {
      // libdnf keeps it in an int: such a value is "practically never", and that is how it acts
      return Integer.MAX_VALUE;
    }
    return (long) seconds;
  }

  private static String exponent(String value, Matcher m) {
    int unitStart = m.start(2);
    return value.substring(m.end(1), unitStart);
  }

  /** libdnf {@code OptionBool}: 1/yes/true/on and 0/no/false/off, any case. */
  static boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "yes", "true", "on" -> true;
      case "0", "no", "false", "off" -> false;
      default -> throw new IllegalArgumentException("invalid boolean value '" + value + "'");
    };
  }

  /** libdnf {@code OptionStringList::fromString}: split at blanks, commas and newlines, empty parts dropped. */
  static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split("[ ,\\n]")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }
}
