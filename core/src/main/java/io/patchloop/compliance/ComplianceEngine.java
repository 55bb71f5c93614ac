package io.patchloop.compliance;

import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import io.patchloop.rpm.RpmVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the state of every applicable advisory on a host against a baseline, by the rules of
 * docs/COMPLIANCE.md (applicability, approval rules, states, reboot detection). Pure: no I/O, no
 * clock, no shared mutable state; safe to use from several threads.
 *
 * <p>To evaluate many hosts against the same baseline at the same time, {@link #prepare} the baseline
 * once and call {@link Prepared#evaluate} per host: that compiles the rules and patch lists only once.
 */
public final class ComplianceEngine {

  /** Architectures stripped from the end of {@code uname -r}. */
  private static final Set<String> KNOWN_ARCHES = Set.of(
      "x86_64", "aarch64", "noarch", "i386", "i486", "i586", "i686", "ppc64", "ppc64le", "s390x",
      "armv7hl", "armv7l", "riscv64", "loongarch64", "sw_64", "mips64el");

  private static final Comparator<PatchCompliance> BY_ID =
      Comparator.comparing((PatchCompliance p) -> p.advisory().id(), Comparator.nullsFirst(Comparator.naturalOrder()));

  /** Evaluates one host; see the class comment for evaluating many hosts against one baseline. */
  public HostCompliance evaluate(
      HostInventory inventory, Baseline baseline, Instant evaluationTime, Set<String> failedAdvisoryIds) {
    return prepare(baseline, evaluationTime).evaluate(inventory, failedAdvisoryIds);
  }

  /** Compiles a baseline for evaluations at {@code evaluationTime}. */
  public Prepared prepare(Baseline baseline, Instant evaluationTime) {
    return new Prepared(baseline, evaluationTime);
  }

  /** A baseline compiled for one evaluation time: the host-independent part of the work. Thread-safe. */
  public static final class Prepared {

    private final List<Rule> rules;
    private final Set<String> approvedIds;
    private final ComplianceLevel approvedLevel;
    /** Rejected entries without wildcards: advisory ids, and also exact package names. */
    private final Set<String> rejectedExact;
    private final List<String> rejectedGlobs;
    /** Package name to "matches a rejected glob"; package names repeat across hosts, globs are costly. */
    private final Map<String, Boolean> globVerdicts = new ConcurrentHashMap<>();
    private final RejectedPatchesAction rejectedAction;

    private Prepared(Baseline baseline, Instant evaluationTime) {
      List<Rule> compiled = new ArrayList<>();
      for (ApprovalRule r : orEmpty(baseline.rules())) {
        if (r != null) {
          compiled.add(Rule.compile(r, evaluationTime));
        }
      }
      this.rules = List.copyOf(compiled);
      this.approvedIds = new HashSet<>(nonNull(baseline.approvedPatches()));
      this.approvedLevel = baseline.approvedPatchesComplianceLevel() == null
          ? ComplianceLevel.UNSPECIFIED : baseline.approvedPatchesComplianceLevel();
      Set<String> exact = new HashSet<>();
      List<String> globs = new ArrayList<>();
      for (String p : nonNull(baseline.rejectedPatches())) {
        if (p.indexOf('*') >= 0 || p.indexOf('?') >= 0) {
          globs.add(p);
        } else {
          exact.add(p);
        }
      }
      this.rejectedExact = exact;
      this.rejectedGlobs = List.copyOf(globs);
      this.rejectedAction = baseline.rejectedPatchesAction() == null
          ? RejectedPatchesAction.ALLOW_AS_DEPENDENCY : baseline.rejectedPatchesAction();
    }

    /** Evaluates one host. {@code failedAdvisoryIds}: advisories the host's newest repair tried and failed. */
    public HostCompliance evaluate(HostInventory inventory, Set<String> failedAdvisoryIds) {
      Set<String> failed = failedAdvisoryIds == null ? Set.of() : failedAdvisoryIds;
      HostContext host = new HostContext(inventory, rules);
      List<PatchCompliance> patches = new ArrayList<>();
      for (Advisory advisory : orEmpty(inventory.advisories())) {
        if (advisory != null) {
          PatchCompliance p = evaluate(advisory, host, failed);
          if (p != null) {
            patches.add(p);
          }
        }
      }
      patches.sort(BY_ID);
      // The same advisory listed twice (e.g. by two repositories): the stable sort keeps the first one first.
      List<PatchCompliance> unique = new ArrayList<>(patches.size());
      for (PatchCompliance p : patches) {
        if (unique.isEmpty() || !String.valueOf(unique.get(unique.size() - 1).advisory().id())
            .equals(String.valueOf(p.advisory().id()))) {
          unique.add(p);
        }
      }
      return summarize(unique);
    }

    private PatchCompliance evaluate(Advisory advisory, HostContext host, Set<String> failed) {
      List<AdvisoryPackage> entries = orEmpty(advisory.packages());
      int n = entries.size();
      Slot[] slots = host.scratch(n); // slots[i]: the installed packages of entry i, null when it is not relevant
      int relevant = 0;
      boolean installed = true;
      for (int i = 0; i < n; i++) {
        AdvisoryPackage entry = entries.get(i);
        Slot slot = host.slot(entry);
        slots[i] = slot;
        if (slot != null) {
          relevant++;
          if (installed && slot.highest.compareTo(entry.evr()) < 0) {
            installed = false;
          }
        }
      }
      if (relevant == 0) {
        return null; // not applicable
      }
      ComplianceLevel ruleLevel = ruleLevel(advisory, host);
      boolean listed = approvedIds.contains(advisory.id());
      if (!installed && ruleLevel == null && !listed) {
        return null; // missing and not approved: not reported (cheap exit before the rejection check)
      }
      boolean rejected = isRejected(advisory, entries, slots);
      ComplianceLevel level = listed ? approvedLevel.mostSevere(ruleLevel) : ruleLevel;
      boolean approved = !rejected && level != null;
      if (!installed && !approved) {
        return null;
      }
      boolean reboot = installed && needsReboot(advisory, entries, slots, host);
      PatchState state;
      if (installed) {
        if (rejected) {
          if (rejectedAction == RejectedPatchesAction.BLOCK) {
            state = PatchState.INSTALLED_REJECTED;
            level = ComplianceLevel.UNSPECIFIED;
          } else {
            state = PatchState.INSTALLED_OTHER;
            level = null;
          }
        } else if (approved) {
          state = reboot ? PatchState.INSTALLED_PENDING_REBOOT : PatchState.INSTALLED;
        } else {
          state = PatchState.INSTALLED_OTHER;
          level = null;
        }
      } else {
        state = advisory.id() != null && failed.contains(advisory.id()) ? PatchState.FAILED : PatchState.MISSING;
      }
      PackageStatus[] packages = new PackageStatus[relevant];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (slots[i] != null) {
          AdvisoryPackage entry = entries.get(i);
          packages[k++] = new PackageStatus(entry.name(), entry.arch(), slots[i].highest, entry.evr());
        }
      }
      return new PatchCompliance(advisory, state, level, approved, rejected, reboot, List.of(packages));
    }

    /** The most severe level of the rules that approve the advisory on this host, null when none does. */
    private static ComplianceLevel ruleLevel(Advisory advisory, HostContext host) {
      // An advisory without an issued date has no age: no rule can approve it (the approved list still can).
      Instant issued = advisory.issued();
      if (issued == null) {
        return null;
      }
      PatchSeverity severity = advisory.severity() == null ? PatchSeverity.NONE : advisory.severity();
      ComplianceLevel level = null;
      for (Rule rule : host.rules) {
        if (rule.matches(advisory.category(), severity) && rule.approves(issued)) {
          level = level == null ? rule.level : level.mostSevere(rule.level);
        }
      }
      return level;
    }

    private boolean isRejected(Advisory advisory, List<AdvisoryPackage> entries, Slot[] slots) {
      if (rejectedExact.isEmpty() && rejectedGlobs.isEmpty()) {
        return false;
      }
      if (rejectedExact.contains(advisory.id())) {
        return true;
      }
      for (int i = 0; i < entries.size(); i++) {
        if (slots[i] != null && rejectsName(entries.get(i).name())) {
          return true;
        }
      }
      return false;
    }

    private boolean rejectsName(String name) {
      if (rejectedExact.contains(name)) {
        return true;
      }
      if (rejectedGlobs.isEmpty()) {
        return false;
      }
      return globVerdicts.computeIfAbsent(name, n -> {
        for (String glob : rejectedGlobs) {
          if (Glob.matches(glob, n)) {
            return Boolean.TRUE;
          }
        }
        return Boolean.FALSE;
      });
    }

    private static boolean needsReboot(Advisory advisory, List<AdvisoryPackage> entries, Slot[] slots, HostContext host) {
      int n = entries.size();
      if (host.runningKernel != null && !host.kernelNames.isEmpty()) {
        for (int i = 0; i < n; i++) {
          AdvisoryPackage entry = entries.get(i);
          if (slots[i] != null && host.kernelNames.contains(entry.name())
              && compareVersionRelease(entry.evr(), host.runningKernel) > 0) {
            return true;
          }
        }
      }
      if (advisory.rebootSuggested() && host.bootTime != null) {
        for (int i = 0; i < n; i++) {
          Slot slot = slots[i];
          if (slot == null) {
            continue;
          }
          Evr fixed = entries.get(i).evr();
          if (installedAfterBoot(slot.first, fixed, host.bootTime)) {
            return true;
          }
          if (slot.more != null) {
            for (InstalledPackage p : slot.more) {
              if (installedAfterBoot(p, fixed, host.bootTime)) {
                return true;
              }
            }
          }
        }
      }
      return false;
    }

    /** An installed instance that satisfies the entry and was installed after the last boot. */
    private static boolean installedAfterBoot(InstalledPackage p, Evr fixed, Instant bootTime) {
      return p.installedAt() != null && p.installedAt().isAfter(bootTime) && p.evr().compareTo(fixed) >= 0;
    }

    private static HostCompliance summarize(List<PatchCompliance> patches) {
      PatchState[] states = PatchState.values();
      ComplianceLevel[] levels = ComplianceLevel.values();
      int[] byState = new int[states.length];
      int[][] byLevel = new int[levels.length][states.length];
      boolean compliant = true;
      for (PatchCompliance p : patches) {
        byState[p.state().ordinal()]++;
        if (p.level() != null) {
          byLevel[p.level().ordinal()][p.state().ordinal()]++;
        }
        compliant &= p.state().compliant();
      }
      Map<ComplianceLevel, Map<PatchState, Integer>> levelCounts = new EnumMap<>(ComplianceLevel.class);
      for (ComplianceLevel l : levels) {
        levelCounts.put(l, counts(states, byLevel[l.ordinal()]));
      }
      return new HostCompliance(
          compliant ? ComplianceStatus.COMPLIANT : ComplianceStatus.NON_COMPLIANT,
          patches,
          counts(states, byState),
          Collections.unmodifiableMap(levelCounts));
    }

    private static Map<PatchState, Integer> counts(PatchState[] states, int[] n) {
      Map<PatchState, Integer> m = new EnumMap<>(PatchState.class);
      for (PatchState s : states) {
        m.put(s, n[s.ordinal()]);
      }
      return Collections.unmodifiableMap(m);
    }
  }

  /** An approval rule with its filters parsed and its dates turned into instants to compare {@code issued} with. */
  private record Rule(
      Set<String> products, // lower-case; null = ALL
      Set<PatchCategory> categories, // null = ALL
      Set<PatchSeverity> severities, // null = ALL
      Instant issuedAtOrBefore, // from approveAfterDays: evaluationTime - days; null when not given
      Instant issuedBefore, // from approveUntilDate: the next day at 00:00 UTC; null when not given
      ComplianceLevel level) {

    static Rule compile(ApprovalRule r, Instant evaluationTime) {
      Set<String> products = null;
      if (!isAll(r.products())) {
        products = new HashSet<>();
        for (String p : r.products()) {
          if (p != null) {
            products.add(p.strip().toLowerCase(Locale.ROOT));
          }
        }
      }
      LocalDate until = r.approveUntilDate();
      return new Rule(
          products,
          isAll(r.categories()) ? null : enumSet(PatchCategory.class, r.categories()),
          isAll(r.severities()) ? null : enumSet(PatchSeverity.class, r.severities()),
          r.approveAfterDays() == null ? null : evaluationTime.minus(Duration.ofDays(r.approveAfterDays())),
          until == null ? null : until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
          r.complianceLevel() == null ? ComplianceLevel.UNSPECIFIED : r.complianceLevel());
    }

    boolean appliesTo(String product) {
      return products == null || (product != null && products.contains(product.strip().toLowerCase(Locale.ROOT)));
    }

    /** An unknown category (null) matches only ALL; the severity is never null here. */
    boolean matches(PatchCategory category, PatchSeverity severity) {
      return (categories == null || (category != null && categories.contains(category)))
          && (severities == null || severities.contains(severity));
    }

    /** issued + approveAfterDays at or before the evaluation time, or issued (UTC) on or before approveUntilDate. */
    boolean approves(Instant issued) {
      return (issuedAtOrBefore != null && !issued.isAfter(issuedAtOrBefore))
          || (issuedBefore != null && issued.isBefore(issuedBefore));
    }

    /** A missing or empty filter, or one containing ALL (any case), matches everything. */
    private static boolean isAll(List<String> filter) {
      if (filter == null || filter.isEmpty()) {
        return true;
      }
      for (String v : filter) {
        if (v != null && v.strip().equalsIgnoreCase(ApprovalRule.ALL)) {
          return true;
        }
      }
      return false;
    }

    /** Names that are not constants of the enum are ignored: they match nothing. */
    private static <E extends Enum<E>> Set<E> enumSet(Class<E> type, List<String> names) {
      Set<E> set = EnumSet.noneOf(type);
      for (String n : names) {
        if (n == null) {
          continue;
        }
        String upper = n.strip().toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
          if (e.name().equals(upper)) {
            set.add(e);
          }
        }
      }
      return set;
    }
  }

  /** The installed packages of one name and arch. Chained for the other arches of the same name. */
  private static final class Slot {
    final String arch;
    final InstalledPackage first;
    List<InstalledPackage> more; // other installed versions (install-only packages such as kernel)
    Evr highest;
    Slot next;

    Slot(InstalledPackage p) {
      this.arch = p.arch();
      this.first = p;
      this.highest = p.evr();
    }

    void add(InstalledPackage p) {
      if (more == null) {
        more = new ArrayList<>(2);
      }
      more.add(p);
      if (p.evr().compareTo(highest) > 0) {
        highest = p.evr();
      }
    }
  }

  /** What the engine needs from one host, indexed once per evaluation. */
  private static final class HostContext {
    final Map<String, Slot> byName;
    final List<Rule> rules;
    final Set<String> kernelNames;
    final Evr runningKernel;
    final Instant bootTime;
    private Slot[] scratch = new Slot[8];

    HostContext(HostInventory inventory, List<Rule> allRules) {
      List<InstalledPackage> installed = orEmpty(inventory.packages());
      byName = new HashMap<>(Math.max(16, installed.size() * 4 / 3 + 1));
      for (InstalledPackage p : installed) {
        if (p == null || p.name() == null || p.evr() == null || p.arch() == null) {
          continue; // an agent's inventory is host data too: a package it cannot name fully is none
        }
        Slot head = byName.get(p.name());
        if (head == null) {
          byName.put(p.name(), new Slot(p));
          continue;
        }
        Slot s = head;
        while (s != null && !s.arch.equals(p.arch())) {
          s = s.next;
        }
        if (s != null) {
          s.add(p);
        } else {
          Slot added = new Slot(p);
          added.next = head.next;
          head.next = added;
        }
      }
      List<Rule> hostRules = new ArrayList<>(allRules.size());
      for (Rule r : allRules) {
        if (r.appliesTo(inventory.product())) {
          hostRules.add(r);
        }
      }
      this.rules = hostRules;
      this.kernelNames = inventory.kernelPackageNames() == null ? Set.of() : inventory.kernelPackageNames();
      this.runningKernel = parseRunningKernel(inventory.runningKernel());
      this.bootTime = inventory.bootTime();
    }

    /** A reusable array of at least {@code n} slots (a host is evaluated by one thread). */
    Slot[] scratch(int n) {
      if (scratch.length < n) {
        scratch = new Slot[Math.max(n, scratch.length * 2)];
      }
      return scratch;
    }

    /**
     * The installed packages of the entry's name and arch ({@code noarch} only matches {@code
     * noarch}), or null; also null for an entry without a name, arch or version, which no package
     * can be compared with.
     */
    Slot slot(AdvisoryPackage entry) {
      if (entry == null || entry.name() == null || entry.arch() == null || entry.evr() == null) {
        return null;
      }
      Slot s = byName.get(entry.name());
      while (s != null && !s.arch.equals(entry.arch())) {
        s = s.next;
      }
      return s;
    }
  }

  /**
   * The version-release of {@code uname -r}: {@code 5.10.0-60.18.0.50.oe2203.x86_64} gives version {@code 5.10.0},
   * release {@code 60.18.0.50.oe2203}. A {@code +variant} suffix (e.g. {@code +debug}) and a trailing known arch are
   * stripped. Null when the kernel is not known.
   */
  static Evr parseRunningKernel(String uname) {
    if (uname == null || uname.isBlank()) {
      return null;
    }
    String s = uname.strip();
    int plus = s.lastIndexOf('+');
    if (plus > 0 && plus > s.lastIndexOf('-')) {
      s = s.substring(0, plus);
    }
    int dot = s.lastIndexOf('.');
    if (dot > 0 && KNOWN_ARCHES.contains(s.substring(dot + 1))) {
      s = s.substring(0, dot);
    }
    int dash = s.indexOf('-');
    return dash < 0 ? new Evr(0, s, "") : new Evr(0, s.substring(0, dash), s.substring(dash + 1));
  }

  /** Compares version, then release; the epoch is ignored ({@code uname -r} has none). */
  static int compareVersionRelease(Evr a, Evr b) {
    int c = RpmVersion.compare(a.version(), b.version());
    return c != 0 ? c : RpmVersion.compare(a.release(), b.release());
  }

  /** Shell-style globs with {@code *} (any run, also empty) and {@code ?} (one character); case-sensitive. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String glob, String s) {
      int g = 0;
      int i = 0;
      int starG = -1;
      int starI = 0;
      while (i < s.length()) {
        if (g < glob.length() && (glob.charAt(g) == '?' || (glob.charAt(g) != '*' && glob.charAt(g) == s.charAt(i)))) {
          g++;
          i++;
        } else if (g < glob.length() && glob.charAt(g) == '*') {
          starG = g++;
          starI = i;
        } else if (starG >= 0) {
          g = starG + 1;
          i = ++starI;
        } else {
          return false;
        }
      }
      while (g < glob.length() && glob.charAt(g) == '*') {
        g++;
      }
      return g == glob.length();
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static List<String> nonNull(List<String> list) {
    List<String> out = new ArrayList<>();
    for (String s : orEmpty(list)) {
      if (s != null) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
