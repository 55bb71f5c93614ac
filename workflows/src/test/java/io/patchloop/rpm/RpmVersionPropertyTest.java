package io.patchloop.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property test: {@link RpmVersion#compare} and {@link Evr} against the real rpm binary.
 *
 * <p>Random pairs (fixed seed, printed; override with {@code -Drpmvercmp.seed=N}, size with {@code
 * -Drpmvercmp.pairs=N}) go to a tab-separated file, and ONE {@code rpm --eval} runs a Lua script
 * that reads it and writes rpm's answer for every pair.
 *
 * <p>Careful: in rpm 4.18 the Lua {@code rpm.vercmp(a, b)} is not the raw {@code rpmvercmp}: it
 * parses both arguments as {@code [epoch:]version[-release]} ({@code rpmverParse}) and compares
 * those ({@code rpmverCmp}); an empty string is even an error. So the raw comparison of {@code a}
 * and {@code b} is asked as {@code rpm.vercmp("0:" .. a .. "-x", "0:" .. b .. "-x")}: equal epochs,
 * equal releases, and a version that is exactly {@code a} (the epoch is the digits before the
 * first ':', the release what follows the last '-').
 *
 * <p>Full EVR strings are compared with {@code rpm.vercmp} as they are, and rpm's own parse of
 * them ({@code rpm.ver(s).e/.v/.r}) is checked against {@link Evr#parse}.
 *
 * <p>Skipped (JUnit assumption) where rpm with Lua and {@code rpm.ver} (rpm 4.17+) is not
 * installed; CI installs rpm so it runs there.
 */
class RpmVersionPropertyTest {

  private static final long DEFAULT_SEED = 0x7057_C0DE_2024L;
  private static final int DEFAULT_VERSION_PAIRS = 20_000;
  private static final int SHOWN_MISMATCHES = 15;

  /** Versions worth pairing with each other and mutating. */
  private static final List<String> INTERESTING =
      List.of(
          "", "0", "00", "1", "01", "1.0", "1.0.0", "1.0a", "1.0~rc1", "1.0~", "1.0^", "1.0^git1",
          "1.0^git1~x", "1~", "~", "^", "~~", "^^", "~^", "^~", "a", "A", "Z", "z", "1a", "a1",
          "1.a", "1_0", "1..0", ".1", "1.", "...", "2.0.1a", "5.5p10", "10xyz", "1.01", "1.010",
          "18446744073709551616", "0018446744073709551615", "99999999999999999999999999",
          "4.18.0", "2.34-60.el9_2", "1:1.0", "1.0-1", "-", ":", "1.0+git", "1.0%{dist}");

  private static final String LETTERS = "abcxyzABZ";
  private static final String WORDS_LIST = "a b rc git pre alpha beta el el9 fc p svn Z";
  private static final String[] WORDS = WORDS_LIST.split(" ");
  /** Everything that is not alphanumeric, ~ or ^ is a separator; never tab, CR, LF or NUL. */
  private static final String SEPARATORS = "._+-:,/@!=*#%{}()$ é€";

  private Path dir;
  /** EVR strings whose epoch does not fit Evr's long; rpm compares epochs as strings. */
  private int hugeEpochs;

  @BeforeEach
  void createTempDir() throws IOException {
    dir = Files.createTempDirectory("rpmvercmp");
  }

  @AfterEach
  void deleteTempDir() throws IOException {
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void agreesWithTheRealRpm() throws Exception {
    String why = rpmUnavailableReason();
    Assumptions.assumeTrue(why == null, () -> "skipped: " + why + " (CI installs rpm, so this runs there)");

    long seed = Long.getLong("rpmvercmp.seed", DEFAULT_SEED);
    int versionPairs = Integer.getInteger("rpmvercmp.pairs", DEFAULT_VERSION_PAIRS);
    int evrPairs = Math.max(1000, versionPairs / 4);
    System.out.printf("RpmVersionPropertyTest: seed=%d (reproduce with -Drpmvercmp.seed=%d)%n", seed, seed);
    Random random = new Random(seed);

    long start = System.nanoTime();
    List<String[]> pairs = new ArrayList<>(versionPairs + evrPairs);
    List<Character> kinds = new ArrayList<>(versionPairs + evrPairs);
    for (int i = 0; i < versionPairs; i++) {
      pairs.add(versionPair(random));
      kinds.add('V');
    }
    for (int i = 0; i < evrPairs; i++) {
      pairs.add(evrPair(random));
      kinds.add('E');
    }

    List<String> lines = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      String[] p = pairs.get(i);
      for (String s : p) {
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0) {
          throw new IllegalStateException("generator produced an unwritable string: " + s);
        }
      }
      lines.add(kinds.get(i) + "\t" + p[0] + "\t" + p[1]);
    }
    List<String> answers = runRpm(lines);
    assertEquals(pairs.size(), answers.size(), "rpm answered a different number of pairs");

    List<String> mismatches = new ArrayList<>();
    int mismatchCount = 0;
    int[] rpmSigns = new int[3];
    for (int i = 0; i < pairs.size(); i++) {
      String a = pairs.get(i)[0];
      String b = pairs.get(i)[1];
      String[] answer = answers.get(i).split("\t", -1);
      if (answer.length > 1 && answer[1].matches("-?[0-9]+")) {
        rpmSigns[Integer.signum(Integer.parseInt(answer[1])) + 1]++;
      }
      String problem =
          kinds.get(i) == 'V' ? checkVersionPair(a, b, answer) : checkEvrPair(a, b, answer);
      if (problem != null) {
        mismatchCount++;
        if (mismatches.size() < SHOWN_MISMATCHES) {
          mismatches.add("#" + i + " " + problem);
        }
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf(
        "RpmVersionPropertyTest: %d pairs (%d version, %d EVR; rpm said < %d, = %d, > %d) checked against %s"
            + " in %d ms, %d mismatches (%d EVR pairs had an epoch beyond a long, rightly rejected by Evr.parse)%n",
        pairs.size(), versionPairs, evrPairs, rpmSigns[0], rpmSigns[1], rpmSigns[2], rpmVersion(), millis,
        mismatchCount, hugeEpochs);

    if (mismatchCount > 0) {
      fail(
          mismatchCount + " of " + pairs.size() + " pairs disagree with rpm (seed " + seed + "); first ones:\n  "
              + String.join("\n  ", mismatches));
    }
  }

  // ------------------------------------------------------------------ checks

  private static String checkVersionPair(String a, String b, String[] answer) {
    if (answer.length != 2 || !answer[0].equals("V")) {
      return "bad rpm answer " + String.join("|", answer) + " for " + show(a) + " vs " + show(b);
    }
    int rpm = Integer.signum(Integer.parseInt(answer[1]));
    int java = Integer.signum(RpmVersion.compare(a, b));
    int javaReversed = Integer.signum(RpmVersion.compare(b, a));
    if (rpm != java) {
      return "rpmvercmp(" + show(a) + ", " + show(b) + "): rpm " + rpm + ", Java " + java;
    }
    if (javaReversed != -java) {
      return "not antisymmetric: " + show(a) + ", " + show(b) + " gives " + java + " and " + javaReversed;
    }
    return null;
  }

  /** answer: E, rpm.vercmp(a, b), then rpm's e, v, r of a and of b ("!" for nil, else "=" + value). */
  private String checkEvrPair(String a, String b, String[] answer) {
    if (answer.length != 8 || !answer[0].equals("E")) {
      return "bad rpm answer " + String.join("|", answer) + " for " + show(a) + " vs " + show(b);
    }
    // Evr keeps the epoch in a long and must reject a bigger one rather than misread it
    String huge = isHugeEpoch(answer[2]) ? a : isHugeEpoch(answer[5]) ? b : null;
    if (huge != null) {
      hugeEpochs++;
      try {
        Evr evr = Evr.parse(huge);
        return "Evr.parse(" + show(huge) + ") = " + evr + " but its epoch does not fit a long";
      } catch (IllegalArgumentException expected) {
        return null;
      }
    }
    Evr ea;
    Evr eb;
    try {
      ea = Evr.parse(a);
      eb = Evr.parse(b);
    } catch (RuntimeException e) {
      return "Evr.parse threw " + e + " on " + show(a) + " or " + show(b) + " (rpm parses both)";
    }
    String parse = checkParse(a, ea, answer[2], answer[3], answer[4]);
    if (parse == null) {
      parse = checkParse(b, eb, answer[5], answer[6], answer[7]);
    }
    if (parse != null) {
      return parse;
    }
    int rpm = Integer.signum(Integer.parseInt(answer[1]));
    int java = Integer.signum(ea.compareTo(eb));
    if (rpm != java) {
      return "EVR " + show(a) + " vs " + show(b) + ": rpm " + rpm + ", Java " + java + " (" + ea + " vs " + eb + ")";
    }
    return null;
  }

  private static boolean isHugeEpoch(String rpmEpoch) {
    return !rpmEpoch.equals("!") && new java.math.BigInteger(rpmEpoch.substring(1)).bitLength() > 63;
  }

  private static String checkParse(String s, Evr evr, String e, String v, String r) {
    long rpmEpoch = e.equals("!") ? 0 : new java.math.BigInteger(e.substring(1)).longValueExact();
    String rpmVersion = v.substring(1);
    String rpmRelease = r.equals("!") ? "" : r.substring(1);
    if (evr.epoch() != rpmEpoch || !evr.version().equals(rpmVersion) || !evr.release().equals(rpmRelease)) {
      return "Evr.parse(" + show(s) + ") = " + evr.epoch() + " / " + show(evr.version()) + " / "
          + show(evr.release()) + " but rpm parses " + e + " / " + v + " / " + r;
    }
    return null;
  }

  private static String show(String s) {
    return '"' + s + '"';
  }

  // ------------------------------------------------------------------ generators

  private static String[] versionPair(Random random) {
    int strategy = random.nextInt(100);
    String a;
    String b;
    if (strategy < 30) { // independent
      a = version(random);
      b = version(random);
    } else if (strategy < 60) { // one edit apart
      a = version(random);
      b = mutate(random, a);
    } else if (strategy < 72) { // several edits apart
      a = version(random);
      b = mutate(random, mutate(random, mutate(random, a)));
    } else if (strategy < 80) { // same skeleton, different separators / leading zeros
      a = version(random);
      b = respell(random, a);
    } else if (strategy < 85) { // identical
      a = version(random);
      b = a;
    } else if (strategy < 93) { // a suffix that rpm treats specially
      a = version(random);
      b = a + pick(random, "~", "^", "~rc1", "^git1", ".0", "a", "0", ".", "~~", "^^", "-1", "_");
    } else { // curated
      a = pick(random, INTERESTING);
      b = random.nextBoolean() ? pick(random, INTERESTING) : mutate(random, a);
    }
    return random.nextBoolean() ? new String[] {a, b} : new String[] {b, a};
  }

  /** A version of 0..7 tokens: digit runs, letter runs, separators, ~ and ^. */
  static String version(Random random) {
    StringBuilder sb = new StringBuilder();
    int tokens = random.nextInt(8);
    for (int i = 0; i < tokens; i++) {
      int t = random.nextInt(100);
      if (t < 35) {
        sb.append(digits(random));
      } else if (t < 55) {
        sb.append(letters(random));
      } else if (t < 80) {
        sb.append(separator(random));
      } else if (t < 90) {
        sb.append('~');
      } else {
        sb.append('^');
      }
    }
    return sb.toString();
  }

  private static String digits(Random random) {
    StringBuilder sb = new StringBuilder();
    int zeros = random.nextInt(5) == 0 ? 1 + random.nextInt(4) : 0;
    sb.append("0".repeat(zeros));
    int t = random.nextInt(100);
    int len = t < 70 ? 1 : t < 90 ? 2 + random.nextInt(3) : 15 + random.nextInt(30);
    for (int i = 0; i < len; i++) {
      // few distinct digits so that equal numbers (and equal-length numbers) are common
      sb.append(random.nextInt(4) == 0 ? (char) ('0' + random.nextInt(10)) : (char) ('0' + random.nextInt(3)));
    }
    return sb.toString();
  }

  private static String letters(Random random) {
    if (random.nextBoolean()) {
      return pick(random, WORDS);
    }
    StringBuilder sb = new StringBuilder();
    int len = 1 + random.nextInt(3);
    for (int i = 0; i < len; i++) {
      sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return sb.toString();
  }

  private static String separator(Random random) {
    // mostly '.', sometimes runs of several
    if (random.nextInt(3) > 0) {
      return ".";
    }
    StringBuilder sb = new StringBuilder();
    int len = 1 + random.nextInt(2);
    for (int i = 0; i < len; i++) {
      sb.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
    }
    return sb.toString();
  }

  /** One random edit: replace, insert or delete one character, or swap in a token. */
  private static String mutate(Random random, String s) {
    String alphabet = "0123456789abzAZ~^._-+é";
    int op = random.nextInt(s.isEmpty() ? 2 : 5);
    int pos = random.nextInt(s.length() + 1);
    char c = alphabet.charAt(random.nextInt(alphabet.length()));
    switch (op) {
      case 0: // insert a character
        return s.substring(0, pos) + c + s.substring(pos);
      case 1: // insert a token
        return s.substring(0, pos) + pick(random, "0", "00", "1", "9", "10", "a", "rc", ".", "~", "^") + s.substring(pos);
      case 2: { // replace a character
        int p = Math.min(pos, s.length() - 1);
        return s.substring(0, p) + c + s.substring(p + 1);
      }
      case 3: { // delete a character
        int p = Math.min(pos, s.length() - 1);
        return s.substring(0, p) + s.substring(p + 1);
      }
      default: { // bump a digit
        int p = Math.min(pos, s.length() - 1);
        char old = s.charAt(p);
        char bumped = Character.isDigit(old) && old < '9' ? (char) (old + 1) : '0';
        return s.substring(0, p) + bumped + s.substring(p + 1);
      }
    }
  }

  /** Same letters and digits; separators swapped for others, and leading zeros added or dropped. */
  private static String respell(Random random, String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean numberStart = Character.isDigit(c) && (i == 0 || !Character.isDigit(s.charAt(i - 1)));
      if (numberStart && random.nextInt(3) == 0) {
        sb.append(random.nextBoolean() ? "0" : "00");
      }
      if (numberStart && c == '0' && random.nextInt(2) == 0 && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
        continue; // drop a leading zero
      }
      boolean sep = !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '~' && c != '^';
      if (sep && random.nextInt(2) == 0) {
        sb.append(random.nextInt(4) == 0 ? "" : separator(random));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Two EVR strings. Releases are present on both sides or on neither, except for a release that
   * starts with a digit: rpm (rpmverCmp) sorts a missing release before any release at all,
   * whereas {@link Evr} has no "missing" and compares it as the empty string, so the two only agree
   * when that release is newer than "" (it is not when it is empty, only separators, or starts
   * with '~').
   */
  private static String[] evrPair(Random random) {
    String epochA = epoch(random);
    String epochB = random.nextInt(3) == 0 ? epochA : epoch(random);
    String versionA = nonEmpty(random, evrPart(random));
    String versionB =
        random.nextInt(3) == 0 ? mutate(random, versionA).replace('-', '.') : nonEmpty(random, evrPart(random));
    if (versionB.isEmpty()) {
      versionB = "0";
    }
    String releaseA = evrPart(random);
    String releaseB =
        random.nextInt(3) == 0
            ? releaseA
            : random.nextBoolean() ? mutate(random, releaseA).replace('-', '.') : evrPart(random);
    int shape = random.nextInt(10);
    String a;
    String b;
    if (shape < 8) {
      a = epochA + versionA + "-" + releaseA;
      b = epochB + versionB + "-" + releaseB;
    } else if (shape < 9) {
      a = epochA + versionA;
      b = epochB + versionB;
    } else {
      a = epochA + versionA;
      b = epochB + versionB + "-" + random.nextInt(20) + releaseB;
    }
    // a version that starts with digits and ':' would read as an epoch: rpm and Evr agree on that
    return random.nextBoolean() ? new String[] {a, b} : new String[] {b, a};
  }

  private static String epoch(Random random) {
    int t = random.nextInt(20);
    if (t < 9) {
      return "";
    } else if (t < 17) {
      return (random.nextInt(4) == 0 ? "0" : "") + random.nextInt(12) + ":";
    } else if (t < 18) {
      return ":"; // empty epoch: rpm reads 0
    } else if (t < 19) {
      return random.nextInt(2_000_000_000) + ":";
    } else {
      return pick(random, "a:", "1a:", "x1:", "1.0:", "+1:"); // not an epoch: part of the version
    }
  }

  /** A version or release part: no '-' (it would move the release boundary), occasionally ':'. */
  private static String evrPart(Random random) {
    String s = random.nextInt(4) == 0 ? pick(random, INTERESTING) : version(random);
    s = s.replace('-', '.');
    if (random.nextInt(30) == 0) {
      s = s + ":" + digits(random);
    }
    return s;
  }

  private static String nonEmpty(Random random, String s) {
    return s.isEmpty() ? digits(random) : s;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... options) {
    return options[random.nextInt(options.length)];
  }

  private static <T> T pick(Random random, List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  // ------------------------------------------------------------------ rpm

  private static final String LUA =
      """
      local inpath, outpath = [==[%s]==], [==[%s]==]
      local out = assert(io.open(outpath, "w"))
      local function opt(s) if s == nil then return "!" else return "=" .. s end end
      for line in io.lines(inpath) do
        local i = string.find(line, "\\t", 3, true)
        local kind, a, b = string.sub(line, 1, 1), string.sub(line, 3, i - 1), string.sub(line, i + 1)
        if kind == "V" then
          -- rpm.vercmp parses [epoch:]version[-release]; pin epoch and release so only a vs b is left
          out:write("V\\t", rpm.vercmp("0:" .. a .. "-x", "0:" .. b .. "-x"), "\\n")
        else
          local va, vb = rpm.ver(a), rpm.ver(b)
          out:write("E\\t", rpm.vercmp(a, b),
                    "\\t", opt(va.e), "\\t", opt(va.v), "\\t", opt(va.r),
                    "\\t", opt(vb.e), "\\t", opt(vb.v), "\\t", opt(vb.r), "\\n")
        end
      end
      out:close()
      """;

  private List<String> runRpm(List<String> lines) throws IOException, InterruptedException {
    Path in = dir.resolve("pairs.tsv");
    Path out = dir.resolve("answers.tsv");
    Path script = dir.resolve("vercmp.lua");
    Files.write(in, lines, StandardCharsets.UTF_8);
    Files.writeString(script, LUA.formatted(in.toAbsolutePath(), out.toAbsolutePath()), StandardCharsets.UTF_8);
    // the script is read by Lua's dofile, so rpm's macro expander never sees it
    String output = run("rpm", "--eval", "%{lua: dofile([==[" + script.toAbsolutePath() + "]==])}");
    if (!Files.exists(out)) {
      fail("rpm wrote no answers; its output:\n" + output);
    }
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** Null when rpm can run the test, else why not. */
  private static String rpmUnavailableReason() {
    try {
      String probe =
          run("rpm", "--eval", "%{lua: io.write(rpm.vercmp(\"1.0~rc1\", \"1.0\"), \" \", type(rpm.ver), \"\\n\")}");
      if (!probe.contains("-1 function")) {
        return "rpm is installed but cannot run the Lua probe (needs rpm 4.17+ with Lua and rpm.ver); it said: "
            + probe.strip();
      }
      return null;
    } catch (IOException e) {
      return "the rpm binary is not installed (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while probing rpm";
    } catch (AssertionError e) {
      return "rpm failed: " + e.getMessage();
    }
  }

  private static String rpmVersion() {
    try {
      return run("rpm", "--version").strip();
    } catch (Exception e) {
      return "rpm";
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output;
    try (InputStream stdout = process.getInputStream()) {
      output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " timed out");
    }
    if (process.exitValue() != 0 || output.contains("error:")) {
      fail(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
    }
    return output;
  }
}
