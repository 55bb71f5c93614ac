package io.patchloop.collect;

import java.util.regex.Pattern;

/**
 * Strict shapes for what hosts send us about their package manager: file paths and repository
 * ids. A host is not trusted; what does not match is not used (and the caller says so).
 */
final class HostPaths {

  /** Absolute, plain characters only, no empty, {@code .} or {@code ..} segment. */
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?:/[A-Za-z0-9._+@:~-]{1,255}){1,32}");
  /**
   * libdnf's REPOID_CHARS (letters, digits, {@code -_.:}; libdnf/repo/Repo.cpp), not starting with
   * {@code -} (it would read as an option on a command line), at most 100 characters.
   */
  static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,99}");

  private HostPaths() {}

  static boolean isSafeAbsolutePath(String path) {
    if (path == null || path.length() > 1024 || !ABSOLUTE_PATH.matcher(path).matches()) {
      return false;
    }
    for (String segment : path.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  static boolean isSafeRepoId(String id) {
    return id != null && REPO_ID.matcher(id).matches();
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A host's text shortened and stripped of control characters, for a warning. */
  static String excerpt(String text) {
    String s = text.length() > 120 ? text.substring(0, 120) + "..." : text;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
