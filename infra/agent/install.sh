#!/usr/bin/env bash
# install.sh — installs (or upgrades) the Patchloop agent on this host. Run as root.
# Finds its sibling files (patchloop-agent, patchloop-agent.service) beside itself.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
MIN_JAVA=17
# The PATH a systemd service gets; java must be found there, not only on the caller's PATH.
SERVICE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() {
  cat <<EOF
usage: install.sh --jar PATH --host-id ID --temporal HOST:PORT [options]

Installs the Patchloop agent as a systemd service (re-run to upgrade or reconfigure):
  /opt/patchloop-agent/lib/patchloop-agent.jar    the jar (--jar)
  /opt/patchloop-agent/bin/patchloop-agent        the launcher
  /etc/patchloop-agent/agent.env                  the configuration (mode 0600)
  /etc/patchloop-agent/tls/                       copies of the TLS files (mode 0600)
  /etc/systemd/system/patchloop-agent.service     the unit; enabled and (re)started

required:
  --jar PATH                 the worker's Spring Boot jar
  --host-id ID               this host's id in Patchloop (positive integer)
  --temporal HOST:PORT       Temporal frontend to connect to
options:
  --namespace NS             Temporal namespace (default: default)
  --tls-cert FILE --tls-key FILE
                             client certificate (PEM) and its key (unencrypted PKCS#8 PEM)
                             for mTLS; both or neither
  --tls-ca FILE              CA certificate(s) (PEM) to verify Temporal's certificate
  --tls-server-name NAME     name to verify in Temporal's certificate
  --insecure-plaintext       connect without TLS: the agent then logs a warning at every start.
                             Anyone on the network path to Temporal could read what the agent
                             reports and send it install plans and reboots, which it runs as
                             root; only for a lab or a link protected otherwise. Without it,
                             --tls-ca or --tls-cert/--tls-key is required (the agent refuses to
                             start without TLS settings)
  --report-interval SECONDS  how often the agent reports, 1..3600 (default 30)
  --java-home DIR            the JRE to run with (default: java on the service PATH)
  --no-start                 install only; do not enable or (re)start the service
  -h, --help                 this text
Java $MIN_JAVA or newer is required. PATCHLOOP_AGENT_DESTDIR=DIR installs below DIR instead
of / (packaging, tests); it implies --no-start.
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

# ------------------------------------------------------------------ arguments

jar="" host_id="" temporal="" namespace=default tls_cert="" tls_key="" tls_ca="" server_name=""
report_interval="" java_home="" start=1 insecure=0
need_value() { [[ $2 -ge 2 ]] || die "$1 needs a value (see --help)"; }
while (( $# )); do
  case $1 in
    --jar) need_value "$1" $#; jar=$2; shift 2 ;;
    --host-id) need_value "$1" $#; host_id=$2; shift 2 ;;
    --temporal) need_value "$1" $#; temporal=$2; shift 2 ;;
    --namespace) need_value "$1" $#; namespace=$2; shift 2 ;;
    --tls-cert) need_value "$1" $#; tls_cert=$2; shift 2 ;;
    --tls-key) need_value "$1" $#; tls_key=$2; shift 2 ;;
    --tls-ca) need_value "$1" $#; tls_ca=$2; shift 2 ;;
    --tls-server-name) need_value "$1" $#; server_name=$2; shift 2 ;;
    --report-interval) need_value "$1" $#; report_interval=$2; shift 2 ;;
    --java-home) need_value "$1" $#; java_home=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    --insecure-plaintext) insecure=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --*=*) die "write '${1%%=*} VALUE', not '$1'" ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

# ------------------------------------------------------------------ validation
# Every value ends up in agent.env, which systemd and the launcher (bash) both read: only
# plain words pass, so nothing needs quoting there.

[[ -n $jar ]] || die "--jar is required (see --help)"
[[ -n $host_id ]] || die "--host-id is required (see --help)"
[[ -n $temporal ]] || die "--temporal is required (see --help)"

[[ -f $jar ]] || die "--jar $jar: no such file"
[[ -r $jar ]] || die "--jar $jar: not readable"
[[ $(head -c 2 "$jar" 2>/dev/null) == PK ]] || die "--jar $jar: not a jar (zip) file"

[[ $host_id =~ ^[1-9][0-9]{0,17}$ ]] || die "--host-id must be a positive integer without leading zeros: '$host_id'"

[[ $temporal =~ ^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$ ]] || die "--temporal must be HOST:PORT (host: letters, digits, '.', '-'): '$temporal'"
t_port=${temporal##*:}
(( 10#$t_port >= 1 && 10#$t_port <= 65535 )) || die "--temporal port must be 1..65535: '$temporal'"

[[ $namespace =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "--namespace must be 1-64 of letters, digits, '.', '_', '-': '$namespace'"

if [[ -n $report_interval ]]; then
  # the agent's own limits (AgentConfig)
  [[ $report_interval =~ ^[0-9]{1,5}$ ]] && (( 10#$report_interval >= 1 && 10#$report_interval <= 3600 )) \
    || die "--report-interval must be whole seconds, 1..3600: '$report_interval'"
  report_interval=$((10#$report_interval))
fi

if [[ -n $server_name ]]; then
  [[ $server_name =~ ^[A-Za-z0-9.-]{1,253}$ ]] || die "--tls-server-name must be a DNS name (letters, digits, '.', '-'): '$server_name'"
fi

[[ -n $tls_cert && -z $tls_key ]] && die "--tls-cert needs --tls-key (mTLS uses both)"
[[ -z $tls_cert && -n $tls_key ]] && die "--tls-key needs --tls-cert (mTLS uses both)"
pem_file() {  # pem_file OPTION FILE WHAT-REGEX
  [[ -f $2 ]] || die "$1 $2: no such file"
  [[ -r $2 ]] || die "$1 $2: not readable"
  grep -qE -- "-----BEGIN $3-----" "$2" || die "$1 $2: not a PEM file with a '$3' block"
}
[[ -z $tls_cert ]] || pem_file --tls-cert "$tls_cert" 'CERTIFICATE'
# the agent reads PKCS#8 keys only ("BEGIN PRIVATE KEY"), not PKCS#1/SEC1 ("BEGIN RSA/EC ...")
if [[ -n $tls_key ]]; then
  [[ -f $tls_key && -r $tls_key ]] || die "--tls-key $tls_key: no such file or not readable"
  grep -q -- '-----BEGIN PRIVATE KEY-----' "$tls_key" \
    || die "--tls-key $tls_key: not an unencrypted PKCS#8 PEM key ('BEGIN PRIVATE KEY'); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8"
fi
[[ -z $tls_ca ]] || pem_file --tls-ca "$tls_ca" 'CERTIFICATE'

# TLS or, explicitly, none: the agent itself refuses to start with neither (AgentConfig)
if [[ -z $tls_ca && -z $tls_cert ]]; then
  (( insecure )) || die "no TLS settings: give --tls-ca FILE (the CA of Temporal's certificate) and, where Temporal requires client certificates, --tls-cert FILE --tls-key FILE; or, to connect without TLS (anyone on the network path could then command the agent, as root), --insecure-plaintext"
  say "WARNING: --insecure-plaintext: the agent's link to $temporal will not be encrypted or authenticated"
elif (( insecure )); then
  die "--insecure-plaintext and TLS settings (--tls-ca, --tls-cert) contradict each other; give one or the other"
fi

if [[ -n $java_home ]]; then
  [[ $java_home =~ ^/[A-Za-z0-9._/+-]*$ ]] || die "--java-home must be an absolute path of letters, digits, '.', '_', '/', '+', '-': '$java_home'"
  [[ -d $java_home ]] || die "--java-home $java_home: no such directory"
  java_home=${java_home%/}
fi

for f in patchloop-agent patchloop-agent.service; do
  [[ -f $HERE/$f ]] || die "$HERE/$f is missing (install.sh needs the files that come with it)"
done

DESTDIR=${PATCHLOOP_AGENT_DESTDIR:-}
if [[ -n $DESTDIR ]]; then
  [[ $DESTDIR == /* && -d $DESTDIR ]] || die "PATCHLOOP_AGENT_DESTDIR must be an existing absolute directory: '$DESTDIR'"
  DESTDIR=${DESTDIR%/}
  start=0
else
  [[ $(id -u) == 0 ]] || die "must run as root (it installs a system service)"
fi

# Java exactly as the service will find it: the launcher's own check, with the JAVA_HOME the
# service gets (only --java-home) and systemd's PATH, not the caller's.
java_env=(env -u JAVA_HOME PATH="$SERVICE_PATH")
[[ -z $java_home ]] || java_env+=(JAVA_HOME="$java_home")
if ! java_found=$("${java_env[@]}" bash "$HERE/patchloop-agent" --check-java 2>&1); then
  if [[ -n $java_home ]]; then
    die "${java_found#patchloop-agent: } (--java-home $java_home)"
  fi
  die "${java_found#patchloop-agent: } (use --java-home DIR for a JRE that is not on PATH)"
fi
say "java: $java_found"

# ------------------------------------------------------------------ install

OPT=$DESTDIR/opt/patchloop-agent
ETC=$DESTDIR/etc/patchloop-agent
UNIT=$DESTDIR/etc/systemd/system/patchloop-agent.service

# Copy to a temporary name beside the target, then rename: a running agent keeps reading the
# old jar (a JVM opens it lazily), and a half-written file never has the final name.
put() {  # put SRC DEST MODE
  local tmp
  tmp=$(mktemp "$2.XXXXXX")
  if ! { cp -- "$1" "$tmp" && chmod "$3" "$tmp" && mv -f -- "$tmp" "$2"; }; then
    rm -f -- "$tmp"; die "cannot install $2"
  fi
}

install -d -m 0755 "$OPT" "$OPT/bin" "$OPT/lib" "$DESTDIR/etc/systemd/system"
install -d -m 0700 "$ETC" "$ETC/tls"
put "$jar" "$OPT/lib/patchloop-agent.jar" 0644
put "$HERE/patchloop-agent" "$OPT/bin/patchloop-agent" 0755
put "$HERE/patchloop-agent.service" "$UNIT" 0644

# TLS files live in /etc/patchloop-agent/tls/ under fixed names; files of an earlier install
# that this one does not configure are removed, so no stale key is left behind.
if [[ -n $tls_cert ]]; then
  put "$tls_cert" "$ETC/tls/client.crt" 0600
  put "$tls_key" "$ETC/tls/client.key" 0600
else
  rm -f -- "$ETC/tls/client.crt" "$ETC/tls/client.key"
fi
if [[ -n $tls_ca ]]; then
  put "$tls_ca" "$ETC/tls/ca.crt" 0600
else
  rm -f -- "$ETC/tls/ca.crt"
fi

env_tmp=$(mktemp "$ETC/agent.env.XXXXXX")
chmod 0600 "$env_tmp"
{
  echo "# Patchloop agent configuration, written by install.sh on $(date -u +%FT%TZ)."
  echo "# Read by patchloop-agent.service (EnvironmentFile=) and by the launcher."
  echo "PATCHLOOP_AGENT_HOST_ID=$host_id"
  echo "PATCHLOOP_AGENT_TEMPORAL_TARGET=$temporal"
  echo "PATCHLOOP_AGENT_NAMESPACE=$namespace"
  [[ -z $tls_cert ]] || echo "PATCHLOOP_AGENT_TLS_CERT=/etc/patchloop-agent/tls/client.crt"
  [[ -z $tls_key ]] || echo "PATCHLOOP_AGENT_TLS_KEY=/etc/patchloop-agent/tls/client.key"
  [[ -z $tls_ca ]] || echo "PATCHLOOP_AGENT_TLS_CA=/etc/patchloop-agent/tls/ca.crt"
  [[ -z $server_name ]] || echo "PATCHLOOP_AGENT_TLS_SERVER_NAME=$server_name"
  [[ -z $report_interval ]] || echo "PATCHLOOP_AGENT_REPORT_INTERVAL_SECONDS=$report_interval"
  (( ! insecure )) || echo "PATCHLOOP_AGENT_INSECURE_PLAINTEXT=true"
  [[ -z $java_home ]] || echo "JAVA_HOME=$java_home"
} >"$env_tmp" || { rm -f -- "$env_tmp"; die "cannot write $ETC/agent.env"; }
mv -f -- "$env_tmp" "$ETC/agent.env"
say "installed into ${DESTDIR:-/}: $OPT/lib/patchloop-agent.jar, $ETC/agent.env, $UNIT"

# ------------------------------------------------------------------ start

if (( ! start )); then
  say "not started (--no-start)"
elif [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  if systemctl is-active --quiet patchloop-agent; then
    # already running: restart, so that a re-run (upgrade, new configuration) takes effect
    systemctl enable patchloop-agent
    systemctl restart patchloop-agent
    say "patchloop-agent restarted"
  else
    systemctl enable --now patchloop-agent
    say "patchloop-agent enabled and started"
  fi
  say "status: systemctl status patchloop-agent; log: journalctl -u patchloop-agent"
else
  say "systemd is not running here, so nothing was started. Start the agent with:"
  say "  nohup /opt/patchloop-agent/bin/patchloop-agent >>/var/log/patchloop-agent.log 2>&1 &"
fi
