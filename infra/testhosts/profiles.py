#!/usr/bin/python3
"""Packages, advisories and intended host states of the lab profiles.

Called by `lab`; writes everything a profile repository is built from, plus the
manifest that tests read to know what each host state must show:

    profiles.py generate PROFILE OUTDIR [--today YYYY-MM-DD]

OUTDIR receives
    specs/layerN.spec  rpmbuild input; a layer holds at most one version of each
                       package because rpm wants unique subpackage names per spec
    updateinfo.xml     the advisories, as libsolv reads them
    manifest.json      packages, advisories and, per state, the packages installed
                       and what `dnf updateinfo` must report
    states             the intended-state cycle, one name per line
    plans/STATE.boot   one dnf transaction per line, run before the first boot
    plans/STATE.after  one dnf transaction per line, run after the first boot

Dates are relative to --today so that "issued in the last 7 days" stays true.
Everything else is deterministic: the same generator and date give the same repo.
It uses the system python3 (hawkey comes with python3-dnf, which `lab install`
installs) so that version comparison is libsolv's own, not a reimplementation.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr, escape

import hawkey

_SACK = hawkey.Sack(make_cache_dir=False)
INSTALLONLY = {"kernel", "kernel-core"}
# dnf needs-restarting -r checks these names (plus our needs-restarting.d conf)
NEED_REBOOT = {"kernel", "kernel-core", "kernel-rt", "glibc", "linux-firmware",
               "systemd", "dbus", "dbus-broker", "dbus-daemon"}
INSTALLONLY_LIMIT = 3


def evr_cmp(a, b):
    return _SACK.evr_cmp(a, b)


@dataclass(frozen=True)
class Pkg:
    name: str
    version: str
    release: str
    epoch: int = 0
    arch: str = "x86_64"
    provides: tuple = ()
    requires: tuple = ()
    pre_fails: bool = False

    @property
    def evr(self):
        vr = f"{self.version}-{self.release}"
        return f"{self.epoch}:{vr}" if self.epoch else vr

    @property
    def nevra(self):
        return f"{self.name}-{self.evr}.{self.arch}"

    @property
    def nvra(self):
        return f"{self.name}-{self.version}-{self.release}.{self.arch}"

    @property
    def uname_r(self):
        return f"{self.version}-{self.release}.{self.arch}"

    def as_json(self):
        return {"name": self.name, "epoch": self.epoch, "version": self.version,
                "release": self.release, "arch": self.arch, "evr": self.evr,
                "nevra": self.nevra, "filename": self.nvra + ".rpm"}


@dataclass
class Advisory:
    id: str
    type: str
    severity: object  # str or None
    issued: dt.datetime
    title: str
    pkgs: list
    cves: list = field(default_factory=list)
    reboot: bool = False
    issued_format: str = "datetime"  # datetime | date-only | epoch
    origin: str = "security@openeuler.org"
    release_name: str = "openEuler"

    @property
    def issued_raw(self):
        if self.issued_format == "date-only":
            return self.issued.strftime("%Y-%m-%d")
        if self.issued_format == "epoch":
            return str(int(self.issued.replace(tzinfo=dt.timezone.utc).timestamp()))
        return self.issued.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class State:
    name: str
    description: str
    boot: list            # list of dnf transactions (lists of Pkg) before first boot
    after: list = field(default_factory=list)  # transactions after first boot
    rejectable: list = field(default_factory=list)


class Profile:
    def __init__(self, name, today):
        self.name = name
        self.today = today
        self.packages = []
        self.advisories = []
        self.states = []
        self.notes = []

    def pkg(self, *args, **kw):
        p = Pkg(*args, **kw)
        self.packages.append(p)
        return p

    def days_ago(self, days, hms=(9, 30, 0)):
        d = self.today - dt.timedelta(days=days)
        return dt.datetime(d.year, d.month, d.day, *hms)


def kernel_pair(prof, version, release, dist):
    rel = f"{release}.{dist}"
    ur = f"{version}-{rel}.x86_64"
    core = prof.pkg("kernel-core", version, rel,
                    provides=("installonlypkg(kernel)", f"kernel-uname-r = {ur}"))
    meta = prof.pkg("kernel", version, rel, provides=("installonlypkg(kernel)",),
                    requires=(f"kernel-core = {version}-{rel}",))
    return meta, core


class IdSeq:
    """Realistic advisory ids: PREFIX-YEAR-NNNN, numbered per year in date order."""

    def __init__(self, start=1001):
        self.start = start
        self.next = {}

    def assign(self, advisories, prefix_of):
        for a in sorted(advisories, key=lambda a: (a.issued, a.id)):
            year = a.issued.year
            n = self.next.get(year, self.start)
            self.next[year] = n + 1
            a.id = f"{prefix_of(a)}-{year}-{n:04d}"


# ---------------------------------------------------------------- demo

def demo(today):
    p = Profile("demo", today)
    d = "hce2"
    openssl = [p.pkg("openssl", "1.1.1m", f"{r}.{d}", epoch=1) for r in (15, 21, 28)]
    # scriptlets require /bin/sh; on EL, bash provides it
    bash = [p.pkg("bash", "5.1.8", f"{r}.{d}", provides=("/bin/sh",)) for r in (6, 8)]
    curl = [p.pkg("curl", "7.79.1", f"{r}.{d}") for r in (22, 27, 30)]
    libcurl = [p.pkg("libcurl", "7.79.1", f"{r}.{d}") for r in (22, 27, 30)]
    sudo = [p.pkg("sudo", "1.9.8p2", f"{r}.{d}") for r in (9, 14)]
    vim = [p.pkg("vim-minimal", "9.0", f"{r}.{d}", epoch=2) for r in (18, 25)]
    k0 = kernel_pair(p, "5.10.0", "136.12.0.86", d)
    k1 = kernel_pair(p, "5.10.0", "182.0.0.95", d)
    nginx = [p.pkg("nginx", "1.21.5", f"{r}.{d}", epoch=1) for r in (2, 4, 6)]
    telnet = [p.pkg("telnet", "0.17", f"{r}.{d}", epoch=1) for r in (83, 86)]
    # an update without any advisory: check-update sees it, updateinfo does not
    tzdata = [p.pkg("tzdata", v, f"1.{d}", arch="noarch") for v in ("2024a", "2025b")]

    def adv(typ, sev, days, title, pkgs, cves=(), reboot=False):
        a = Advisory("", typ, sev, p.days_ago(days), title, list(pkgs), list(cves), reboot,
                     origin="hce-security@huawei.com", release_name="Huawei Cloud EulerOS 2.0")
        p.advisories.append(a)
        return a

    adv("security", "Critical", 640, "openssl security update", [openssl[1]],
        ["CVE-2023-5678", "CVE-2024-0727"])
    adv("security", "Important", 3, "openssl security update", [openssl[2]], ["CVE-2024-5535"])
    adv("security", "Moderate", 410, "bash security update", [bash[1]], ["CVE-2022-3715"])
    adv("security", "Moderate", 700, "curl security update", [curl[1], libcurl[1]],
        ["CVE-2023-38545"])
    adv("security", "Important", 25, "curl and libcurl security update", [curl[2], libcurl[2]],
        ["CVE-2024-2004", "CVE-2024-2398"])
    adv("security", "Critical", 2, "sudo security update", [sudo[1]], ["CVE-2025-32463"])
    adv("security", "Low", 160, "vim security update", [vim[1]], ["CVE-2023-4752"])
    adv("security", "Important", 5, "kernel security update", [k1[0], k1[1]],
        ["CVE-2024-1086", "CVE-2024-26581"], reboot=True)
    adv("bugfix", "Low", 95, "nginx bug fix update", [nginx[1]])
    adv("enhancement", None, 1, "nginx enhancement update", [nginx[2]])
    adv("security", "Moderate", 300, "telnet security update", [telnet[1]], ["CVE-2022-39028"])
    prefix = {"security": "HCE2-SA", "bugfix": "HCE2-BA", "enhancement": "HCE2-EA"}
    IdSeq(start=101).assign(p.advisories, lambda a: prefix[a.type])

    oldest = [openssl[0], bash[0], curl[0], libcurl[0], sudo[0], vim[0], *k0, nginx[0], tzdata[0]]
    some = [openssl[1], bash[1], curl[1], libcurl[1], sudo[0], vim[1], *k0, nginx[1], tzdata[0]]
    newest = [openssl[2], bash[1], curl[2], libcurl[2], sudo[1], vim[1], *k1, nginx[2], tzdata[1]]
    pending = [openssl[2], bash[1], curl[2], libcurl[2], sudo[1], vim[1], *k0, nginx[2], tzdata[1]]
    p.states = [
        State("missing-some", "some advisories installed, newer ones missing", [some]),
        State("patched", "newest version of every package: dnf upgrade has nothing to do",
              [newest]),
        State("rejectable", "missing-some plus telnet, a package a baseline may reject",
              [some + [telnet[0]]], rejectable=["telnet"]),
        State("pending-reboot", "patched, but the newest kernel was installed after boot: "
              "running kernel != newest installed, needs-restarting -r exits 1",
              [pending], after=[list(k1)]),
        State("missing-all", "oldest version of every package, every advisory missing", [oldest]),
    ]
    return p


# ---------------------------------------------------------------- bulk

BULK_SOURCES = """
acl attr audit bind bzip2 cpio cronie cups dbus-glib dhcp e2fsprogs expat file findutils
gawk gdb git glib2 gnutls gzip httpd iptables json-c krb5 less libxml2 lz4 mariadb nss pam
pcre2 perl-libs php polkit postgresql python3-libs rsync samba sqlite shadow-utils tar
unzip util-linux wget xz zlib libarchive libssh libtiff libpng libjpeg-turbo freetype
fontconfig harfbuzz cairo pango gtk3 at-spi2-core avahi bluez NetworkManager firewalld
chrony rsyslog logrotate procps-ng psmisc sysstat lvm2 mdadm parted xfsprogs openldap
cyrus-sasl libselinux policycoreutils libsemanage squid tomcat haproxy
""".split()
BULK_SUFFIXES = ["", "-libs", "-devel", "-help", "-tools", "-common", "-utils", "-static"]


def bulk(today):
    p = Profile("bulk", today)
    rng = random.Random(20240607)
    layers_by_source = {}
    for src in BULK_SOURCES:
        binaries = [src] + rng.sample(BULK_SUFFIXES[1:], rng.randint(4, 7))
        binaries = [src if s == src else src + s for s in binaries]
        nrel = rng.randint(3, 6)
        major, minor, patch = rng.randint(1, 9), rng.randint(0, 20), rng.randint(0, 9)
        rel = rng.randint(1, 5)
        days = sorted(rng.sample(range(0, 4 * 365), nrel - 1), reverse=True)
        versions = []
        for k in range(nrel):
            if k and rng.random() < 0.3:
                patch += 1
                rel = 1
            elif k:
                rel += rng.randint(1, 3)
            versions.append((f"{major}.{minor}.{patch}", f"{rel}.oe2203"))
        layers = []
        for k, (ver, release) in enumerate(versions):
            layers.append([p.pkg(b, ver, release) for b in binaries])
        layers_by_source[src] = layers
        for k in range(1, nrel):
            r = rng.random()
            typ = "security" if r < 0.7 else ("bugfix" if r < 0.9 else "enhancement")
            if typ == "security":
                sev = rng.choices(["Critical", "Important", "Moderate", "Low"], [1, 4, 4, 2])[0]
            else:
                sev = rng.choice([None, "Low", "Moderate"])
            when = p.days_ago(days[k - 1], (rng.randint(0, 23), rng.randint(0, 59), 0))
            cves = []
            if typ == "security":
                cves = sorted({f"CVE-{when.year - rng.randint(0, 1)}-{rng.randint(1000, 49999)}"
                               for _ in range(rng.randint(1, 3))})
            p.advisories.append(Advisory("", typ, sev, when, f"{src} {typ} update",
                                         layers[k], cves))
    kernels = [list(kernel_pair(p, "5.10.0", f"{r}.0.0.{r // 10}", "oe2203"))
               for r in (60, 100, 136, 153)]
    layers_by_source["kernel"] = kernels
    for k, days in enumerate(sorted(rng.sample(range(0, 3 * 365), len(kernels) - 1), reverse=True)):
        p.advisories.append(Advisory("", "security", rng.choice(["Critical", "Important"]),
                                     p.days_ago(days, (10, 0, 0)), "kernel security update",
                                     kernels[k + 1], [f"CVE-2024-{rng.randint(20000, 49999)}"],
                                     reboot=True))
    prefix = {"security": "openEuler-SA", "bugfix": "openEuler-BA", "enhancement": "openEuler-EA"}
    IdSeq(start=1001).assign(p.advisories, lambda a: prefix[a.type])

    srng = random.Random(7)
    some = []
    for src, layers in layers_by_source.items():
        some += layers[srng.randrange(len(layers))]
    oldest = [pk for layers in layers_by_source.values() for pk in layers[0]]
    newest = [pk for layers in layers_by_source.values() for pk in layers[-1]]
    p.states = [
        State("missing-some", "each source package at a random (seeded) version", [some]),
        State("missing-all", "oldest version of every package", [oldest]),
        State("patched", "newest version of every package", [newest]),
    ]
    return p


# ---------------------------------------------------------------- quirks

def quirks(today):
    p = Profile("quirks", today)
    d = "oe2203"
    kernels = [kernel_pair(p, "5.10.0", f"{r}.0.0.{r // 10}", d) for r in (100, 110, 120, 130)]
    # epoch bump: the repo's version is *lower* but wins on epoch
    ntp = [p.pkg("ntp", "4.2.8p15", f"3.{d}"), p.pkg("ntp", "4.2.6p5", f"1.{d}", epoch=2)]
    grub = [p.pkg("grub2-tools", "2.06", f"{r}.{d}", epoch=1) for r in (20, 33)]
    libyaml = [p.pkg("libyaml", "0.2.5~rc1", f"1.{d}"), p.pkg("libyaml", "0.2.5", f"1.{d}")]
    zstd = [p.pkg("zstd", "1.5.5", f"1.{d}"), p.pkg("zstd", "1.5.5^20240101git1a2b3c4", f"1.{d}")]
    tz = [p.pkg("tzdata", v, f"1.{d}", arch="noarch") for v in ("2024a", "2025a")]
    agent = [p.pkg("legacy-agent", "1.0", f"1.{d}"),
             p.pkg("legacy-agent", "1.1", f"1.{d}", pre_fails=True)]
    never = [p.pkg("sqlite-tools", "3.37.2", f"{r}.{d}") for r in (1, 4)]
    # provides /bin/sh, which legacy-agent's %pre needs, so its upgrade fails in the
    # scriptlet and not already in dependency resolution
    bash = p.pkg("bash", "5.1.8", f"6.{d}", provides=("/bin/sh",))

    def adv(aid, typ, sev, days, fmt, pkgs, cves=(), reboot=False, title=None):
        a = Advisory(aid, typ, sev, p.days_ago(days, (0, 0, 0) if fmt == "date-only" else (14, 5, 9)),
                     title or f"{pkgs[0].name} update", list(pkgs), list(cves), reboot, fmt)
        p.advisories.append(a)
        return a

    adv("openEuler-SA", "security", "Important", 200, "date-only",
        kernels[1], ["CVE-2023-52434"], reboot=True, title="kernel security update (old)")
    adv("openEuler-SA", "security", "Critical", 4, "datetime",
        kernels[3], ["CVE-2024-1086"], reboot=True, title="kernel security update")
    adv("openEuler-SA", "security", "important", 30, "date-only", [ntp[1]],
        ["CVE-2023-26555"], title="ntp security update (lowercase severity, epoch bump)")
    adv("openEuler-SA", "security", "Moderate", 60, "date-only", [grub[1]],
        ["CVE-2023-4692"], title="grub2 security update (epoch)")
    adv("openEuler-BA", "bugfix", None, 90, "epoch", [libyaml[1]],
        title="libyaml final release after ~rc1 (issued as epoch seconds)")
    adv("openEuler-SA", "security-ish", "Low", 10, "datetime", [zstd[1]],
        title="zstd snapshot (^ version, unknown type)")
    adv("openEuler-EA", "other", None, 20, "datetime", [tz[1]],
        title="tzdata noarch update (type other)")
    adv("openEuler-SA", "security", "Critical", 6, "datetime", [agent[1]],
        ["CVE-2025-0001"], title="legacy-agent update (its %pre fails)")
    adv("openEuler-SA", "security", None, 15, "datetime", [never[1]],
        ["CVE-2022-35737"], title="sqlite-tools update (not installed anywhere)")
    IdSeq(start=2001).assign(p.advisories, lambda a: a.id)

    three_kernels = [*kernels[0], *kernels[1], *kernels[2]]
    base_all = [bash, ntp[0], grub[0], libyaml[0], zstd[0], tz[0], agent[0]]
    base_some = [bash, ntp[1], grub[0], libyaml[1], zstd[0], tz[1], agent[0]]
    p.states = [
        State("missing-all", "three kernels installed (install-only), every other package at "
              "its oldest version; legacy-agent 1.0 whose upgrade fails",
              [three_kernels + base_all]),
        State("missing-some", "three kernels installed, ntp/libyaml/tzdata updated, "
              "grub2/zstd/legacy-agent old; legacy-agent upgrade fails",
              [three_kernels + base_some]),
    ]
    return p


PROFILES = {"demo": demo, "bulk": bulk, "quirks": quirks}


# ---------------------------------------------------------------- output

def spec_text(profile, layer, pkgs):
    out = [
        "%define _build_id_links none",
        "%define debug_package %{nil}",
        "%define __os_install_post %{nil}",
        "%define _binary_payload w1.gzdio",
        f"Name: patchloop-lab-{profile}-layer{layer}",
        "Version: 1", "Release: 1", "License: MIT",
        f"Summary: Patchloop lab {profile} packages, layer {layer}",
        "%description", "Generated by infra/testhosts/profiles.py.", "",
    ]
    install = ["%install"]
    files = []
    for pk in pkgs:
        out += [f"%package -n {pk.name}", f"Version: {pk.version}", f"Release: {pk.release}",
                f"Summary: {pk.name} (Patchloop lab test package)"]
        if pk.epoch:
            out.append(f"Epoch: {pk.epoch}")
        if pk.arch == "noarch":
            out.append("BuildArch: noarch")
        out += [f"Provides: {x}" for x in pk.provides]
        out += [f"Requires: {x}" for x in pk.requires]
        out += [f"%description -n {pk.name}", f"Lab stand-in for {pk.name}.", ""]
        if pk.pre_fails:
            out += [f"%pre -n {pk.name}", "echo 'legacy-agent: refusing to upgrade' >&2",
                    "exit 1", ""]
        # /usr/share only: a file in /usr/bin would shadow the host's real tools
        paths = [f"/usr/share/patchloop-lab/{pk.name}/VERSION"]
        if pk.name == "kernel-core":
            paths += [f"/usr/lib/modules/{pk.uname_r}/vmlinuz", f"/boot/vmlinuz-{pk.uname_r}"]
            paths[0] = f"/usr/share/patchloop-lab/kernel-core/{pk.uname_r}"
        elif pk.name == "kernel":
            paths[0] = f"/usr/share/patchloop-lab/kernel/{pk.uname_r}"
        for path in paths:
            install += [f"mkdir -p %{{buildroot}}{os.path.dirname(path)}",
                        f"echo '{pk.nevra}' > %{{buildroot}}{path}"]
        files += [f"%files -n {pk.name}", *paths, ""]
    return "\n".join(out + install + [""] + files) + "\n"


def updateinfo_xml(prof):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<updates>"]
    for a in prof.advisories:
        lines.append(f'  <update from={quoteattr(a.origin)} type={quoteattr(a.type)} '
                     'status="stable" version="1.0">')
        lines.append(f"    <id>{escape(a.id)}</id>")
        lines.append(f"    <title>{escape(a.title)}</title>")
        if a.severity is not None:
            lines.append(f"    <severity>{escape(a.severity)}</severity>")
        lines.append(f"    <release>{escape(a.release_name)}</release>")
        lines.append(f'    <issued date="{a.issued_raw}"/>')
        lines.append("    <references>")
        for c in a.cves:
            lines.append(f'      <reference href="https://nvd.nist.gov/vuln/detail/{c}" '
                         f'id="{c}" title="{c}" type="cve"/>')
        lines.append("    </references>")
        lines.append(f"    <description>{escape(a.title)}. Generated for the Patchloop lab."
                     "</description>")
        lines.append("    <pkglist>")
        lines.append(f'      <collection short="{escape(prof.name)}">')
        lines.append(f"        <name>{escape(a.release_name)}</name>")
        for pk in a.pkgs:
            lines.append(f'        <package name="{pk.name}" version="{escape(pk.version)}" '
                         f'release="{pk.release}" epoch="{pk.epoch}" arch="{pk.arch}" '
                         f'src="{pk.name}-{escape(pk.version)}-{pk.release}.src.rpm">')
            lines.append(f"          <filename>{escape(pk.nvra)}.rpm</filename>")
            if a.reboot:
                lines.append("          <reboot_suggested>True</reboot_suggested>")
            lines.append("        </package>")
        lines.append("      </collection>")
        lines.append("    </pkglist>")
        lines.append("  </update>")
    lines.append("</updates>")
    return "\n".join(lines) + "\n"


def newest(pkgs):
    best = None
    for pk in pkgs:
        if best is None or evr_cmp(pk.evr, best.evr) > 0:
            best = pk
    return best


def expected(prof, state):
    """What dnf 4 reports on a host in this state (see updateinfo.py in dnf 4.14):
    --available: advisory packages newer than the newest installed same name+arch;
    --all: advisory packages with an installed same name+arch, marked installed
    ('i') when some installed package of that name has an equal or newer EVR."""
    installed = []
    for tx in state.boot + state.after:
        for pk in tx:
            installed.append(pk)
    names = {}
    for pk in installed:
        names.setdefault((pk.name, pk.arch), []).append(pk)
    for (name, _), pks in names.items():
        if name not in INSTALLONLY and len(pks) > 1:
            raise SystemExit(f"{state.name}: {name} installed twice")
        if len(pks) > INSTALLONLY_LIMIT:
            raise SystemExit(f"{state.name}: more {name} than installonly_limit")
    latest = {key: newest(pks) for key, pks in names.items()}

    def installed_ge(ap):
        return any(pk.name == ap.name and evr_cmp(pk.evr, ap.evr) >= 0 for pk in installed)

    available, all_pairs = [], []
    for a in prof.advisories:
        for ap in a.pkgs:
            key = (ap.name, ap.arch)
            if key not in names:
                continue
            pair = {"advisory": a.id, "nevra": ap.nevra}
            all_pairs.append({**pair, "installed": installed_ge(ap)})
            if evr_cmp(ap.evr, latest[key].evr) > 0:
                available.append(pair)
    avail_ids = sorted({x["advisory"] for x in available})
    listed_ids = {x["advisory"] for x in all_pairs}
    inst_ids = sorted(i for i in listed_ids
                      if all(x["installed"] for x in all_pairs if x["advisory"] == i))
    not_applicable = sorted(a.id for a in prof.advisories if a.id not in listed_ids)

    repo_by_key = {}
    for pk in prof.packages:
        repo_by_key.setdefault((pk.name, pk.arch), []).append(pk)
    upgrades = []
    for key, cur in sorted(latest.items()):
        best = newest(repo_by_key[key])
        if evr_cmp(best.evr, cur.evr) > 0:
            upgrades.append(best.nevra)

    def kernel_of(pkgs):
        k = newest([pk for pk in pkgs if pk.name == "kernel-core"])
        return k.uname_r if k else None

    boot_pkgs = [pk for tx in state.boot for pk in tx]
    running = kernel_of(boot_pkgs)
    newest_kernel = kernel_of(installed)
    after_names = {pk.name for tx in state.after for pk in tx}
    return {
        "description": state.description,
        "installed": sorted(pk.nevra for pk in installed),
        "installedBeforeBoot": [[pk.nevra for pk in tx] for tx in state.boot],
        "installedAfterBoot": [[pk.nevra for pk in tx] for tx in state.after],
        "kernelsInstalled": sorted(pk.uname_r for pk in installed if pk.name == "kernel-core"),
        "runningKernel": running,
        "newestInstalledKernel": newest_kernel,
        "needsReboot": bool(after_names & NEED_REBOOT),
        "rejectablePackages": state.rejectable,
        "failingUpgrades": sorted({pk.name for pk in prof.packages if pk.pre_fails
                                   and pk.name in {i.name for i in installed}}),
        "upgradesAvailable": upgrades,
        "advisoriesAvailable": avail_ids,
        "advisoriesInstalled": inst_ids,
        "advisoriesNotApplicable": not_applicable,
        "updateinfoAvailable": sorted(available, key=lambda x: (x["advisory"], x["nevra"])),
        "updateinfoAll": sorted(all_pairs, key=lambda x: (x["advisory"], x["nevra"])),
    }


def manifest(prof):
    return {
        "profile": prof.name,
        "generatedFor": prof.today.isoformat(),
        "stateCycle": [s.name for s in prof.states],
        "packages": [pk.as_json() for pk in prof.packages],
        "advisories": [{
            "id": a.id, "type": a.type, "severity": a.severity, "title": a.title,
            "issued": a.issued_raw, "issuedFormat": a.issued_format,
            "issuedDate": a.issued.date().isoformat(), "cves": a.cves,
            "rebootSuggested": a.reboot, "packages": [pk.nevra for pk in a.pkgs],
        } for a in prof.advisories],
        "states": {s.name: expected(prof, s) for s in prof.states},
    }


def layers(prof):
    """Split packages into specs with unique names each (rpm's constraint)."""
    out = []
    for pk in prof.packages:
        for layer in out:
            if pk.name not in {x.name for x in layer}:
                layer.append(pk)
                break
        else:
            out.append([pk])
    return out


def generate(name, outdir, today):
    prof = PROFILES[name](today)
    os.makedirs(os.path.join(outdir, "specs"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "plans"), exist_ok=True)
    for i, layer in enumerate(layers(prof)):
        with open(os.path.join(outdir, "specs", f"layer{i}.spec"), "w") as f:
            f.write(spec_text(name, i, layer))
    with open(os.path.join(outdir, "updateinfo.xml"), "w") as f:
        f.write(updateinfo_xml(prof))
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest(prof), f, indent=2)
        f.write("\n")
    with open(os.path.join(outdir, "states"), "w") as f:
        f.write("".join(s.name + "\n" for s in prof.states))
    for s in prof.states:
        for suffix, txs in (("boot", s.boot), ("after", s.after)):
            with open(os.path.join(outdir, "plans", f"{s.name}.{suffix}"), "w") as f:
                f.write("".join(" ".join(pk.nevra for pk in tx) + "\n" for tx in txs))


def parse_updateinfo_list(text, with_mark):
    """Lines of `dnf -q updateinfo list`: [MARK ]ID LABEL NEVRA (MARK only with --all)."""
    pairs = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        installed = line.startswith("i ")
        fields = line.split()
        if with_mark and installed:
            fields = fields[1:]
        if len(fields) < 3:
            raise SystemExit(f"unparsable updateinfo line: {line!r}")
        pairs.add((fields[0], fields[-1], installed) if with_mark else (fields[0], fields[-1]))
    return pairs


def check(manifest_path, state, outdir):
    """Compares what a host reports (files written by `lab verify`) with the manifest."""
    with open(manifest_path) as f:
        exp = json.load(f)["states"][state]

    def read(name):
        with open(os.path.join(outdir, name)) as f:
            return f.read()

    problems = []
    got = set(read("rpmqa").split())
    want = set(exp["installed"])
    if got != want:
        problems.append(f"rpm -qa: missing {sorted(want - got)}, unexpected {sorted(got - want)}")
    got = parse_updateinfo_list(read("available"), False)
    want = {(x["advisory"], x["nevra"]) for x in exp["updateinfoAvailable"]}
    if got != want:
        problems.append(f"updateinfo --available: missing {sorted(want - got)}, "
                        f"unexpected {sorted(got - want)}")
    got = parse_updateinfo_list(read("all"), True)
    want = {(x["advisory"], x["nevra"], x["installed"]) for x in exp["updateinfoAll"]}
    if got != want:
        problems.append(f"updateinfo --all: missing {sorted(want - got)}, "
                        f"unexpected {sorted(got - want)}")
    uname = read("uname").strip()
    rc = read("needs-restarting.rc").strip()
    if exp["runningKernel"] and uname not in (exp["runningKernel"], exp["newestInstalledKernel"]):
        problems.append(f"uname -r {uname} is neither {exp['runningKernel']} nor the newest kernel")
    rebooted = exp["needsReboot"] and uname == exp["newestInstalledKernel"]
    want_rc = "1" if exp["needsReboot"] and not rebooted else "0"
    if rc != want_rc:
        problems.append(f"dnf needs-restarting -r exited {rc}, expected {want_rc}")
    for p in problems:
        print(f"  MISMATCH {p}")
    note = " (rebooted since creation: pending reboot cleared)" if rebooted else ""
    print(f"  {'OK' if not problems else 'FAILED'}: {state}{note}")
    return not problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("profile", choices=sorted(PROFILES))
    g.add_argument("outdir")
    g.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    sub.add_parser("list")
    c = sub.add_parser("check")
    c.add_argument("manifest")
    c.add_argument("state")
    c.add_argument("outdir")
    args = ap.parse_args(argv)
    if args.cmd == "list":
        print("\n".join(sorted(PROFILES)))
    elif args.cmd == "check":
        sys.exit(0 if check(args.manifest, args.state, args.outdir) else 1)
    else:
        generate(args.profile, args.outdir, args.today)


if __name__ == "__main__":
    main(sys.argv[1:])
