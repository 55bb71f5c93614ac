package io.patchloop.rpm;

/**
 * rpm's version comparison, a faithful port of {@code rpmvercmp} from rpm 4.18 ({@code
 * lib/rpmvercmp.c}).
 *
 * <p>The algorithm, as rpm implements it:
 *
 * <ul>
 *   <li>Identical strings compare equal.
 *   <li>Both strings are walked segment by segment. Before each segment, separators are skipped: any
 *       character that is not an ASCII letter, an ASCII digit, {@code ~} or {@code ^}. Separators
 *       themselves never take part in the comparison ({@code 1.0} equals {@code 1_0}).
 *   <li>{@code ~} sorts before everything, even the end of the string: {@code 1.0~rc1 < 1.0}.
 *   <li>{@code ^} sorts after the end of the string but before anything else: {@code 1.0 <
 *       1.0^git1 < 1.0.1}.
 *   <li>A segment is a maximal run of ASCII digits or of ASCII letters; its type is decided by the
 *       left string. Digit segments are compared numerically (leading zeros dropped, then the longer
 *       number wins, then a lexical compare, so there is no overflow). Letter segments are compared
 *       bytewise ({@code Z < a}). A digit segment beats a letter segment.
 *   <li>When one string runs out, the one with characters left wins.
 * </ul>
 *
 * <p>Like the C code, a string is read up to its first NUL character, and only ASCII counts as
 * letters or digits (every other character is a separator).
 */
public final class RpmVersion {

  private RpmVersion() {}

  /**
   * Negative, zero or positive as {@code a} sorts before, equal to or after {@code b}, exactly as
   * rpm's rpmvercmp. Always returns -1, 0 or 1.
   */
  public static int compare(String a, String b) {
    // C strings end at the first NUL.
    a = cString(a);
    b = cString(b);

    // easy comparison to see if versions are identical
    if (a.equals(b)) {
      return 0;
    }

    final int alen = a.length();
    final int blen = b.length();
    int one = 0;
    int two = 0;

    // loop through each version segment of a and b and compare them
    while (one < alen || two < blen) {
      while (one < alen && isSeparator(a.charAt(one))) {
        one++;
      }
      while (two < blen && isSeparator(b.charAt(two))) {
        two++;
      }
      char c1 = one < alen ? a.charAt(one) : '\0';
      char c2 = two < blen ? b.charAt(two) : '\0';

      // the tilde sorts before everything else, even the end of the string
      if (c1 == '~' || c2 == '~') {
        if (c1 != '~') {
          return 1;
        }
        if (c2 != '~') {
          return -1;
        }
        one++;
        two++;
        continue;
      }

      // the caret is like the tilde, except that if one string has ended (the base version), the
      // other one is the higher version
      if (c1 == '^' || c2 == '^') {
        if (one >= alen) {
          return -1;
        }
        if (two >= blen) {
          return 1;
        }
        if (c1 != '^') {
          return 1;
        }
        if (c2 != '^') {
          return -1;
        }
        one++;
        two++;
        continue;
      }

      // if we ran to the end of either, we are finished with the loop
      if (one >= alen || two >= blen) {
        break;
      }

      // grab the first completely alpha or completely numeric segment; its type comes from a
      int end1 = one;
      int end2 = two;
      boolean isnum;
      if (isDigit(c1)) {
        while (end1 < alen && isDigit(a.charAt(end1))) {
          end1++;
        }
        while (end2 < blen && isDigit(b.charAt(end2))) {
          end2++;
        }
        isnum = true;
      } else {
        while (end1 < alen && isAlpha(a.charAt(end1))) {
          end1++;
        }
        while (end2 < blen && isAlpha(b.charAt(end2))) {
          end2++;
        }
        isnum = false;
      }

      // cannot happen: a's segment starts at a letter or digit, so it is not empty
      if (one == end1) {
        return -1;
      }

      // the segments are of different types: numeric segments are newer than alpha segments
      if (two == end2) {
        return isnum ? 1 : -1;
      }

      if (isnum) {
        // throw away leading zeros, then whichever number has more digits wins
        while (one < end1 && a.charAt(one) == '0') {
          one++;
        }
        while (two < end2 && b.charAt(two) == '0') {
          two++;
        }
        int len1 = end1 - one;
        int len2 = end2 - two;
        if (len1 > len2) {
          return 1;
        }
        if (len2 > len1) {
          return -1;
        }
      }

      // same length digits, or letters: compare bytewise; equal segments move on
      int rc = compareRange(a, one, end1, b, two, end2);
      if (rc != 0) {
        return rc < 0 ? -1 : 1;
      }

      one = end1;
      two = end2;
    }

    // all segments compared identically but the separators were different
    if (one >= alen && two >= blen) {
      return 0;
    }

    // whichever version still has characters left over wins
    return one >= alen ? -1 : 1;
  }

  /** strcmp of a[from1, to1) and b[from2, to2); both hold only ASCII letters or digits. */
  private static int compareRange(String a, int from1, int to1, String b, int from2, int to2) {
    int len1 = to1 - from1;
    int len2 = to2 - from2;
    int n = Math.min(len1, len2);
    for (int i = 0; i < n; i++) {
      int d = a.charAt(from1 + i) - b.charAt(from2 + i);
      if (d != 0) {
        return d;
      }
    }
    return len1 - len2;
  }

  private static String cString(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Skipped between segments: neither an ASCII letter or digit, nor {@code ~} or {@code ^}. */
  private static boolean isSeparator(char c) {
    return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^';
  }
}
