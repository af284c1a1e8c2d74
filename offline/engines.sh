#!/usr/bin/env bash
# The engine matrix the integration suite runs on, beside the host's Docker (see README "Engines"):
#   docker26             Docker 26.1, overlay2 graph-driver store, bridge sb26 172.31.0.1/16
#   docker26-containerd  Docker 26.1, containerd image store,     bridge sbctr 172.30.0.1/16
#   podman               Podman 4.3 API service, in its own network namespace sbpod
# Each daemon has its own socket, data root, exec root and pid file; none touches the host's docker0 or
# firewall. Everything comes from Debian's archive: Docker 26.1 from trixie (apt-get download + dpkg -x
# into a private prefix, the host's 20.10 stays), Podman 4.3 from bookworm (trixie's 5.x needs a newer libc).
#
#   engines.sh up [engine...]      install if missing and start (idempotent); default: all three
#   engines.sh down [engine...]    stop, remove the bridge / namespace; data stays for the next `up`
#   engines.sh host <engine>       print the engine's DOCKER_HOST (host: the host daemon's)
#   engines.sh exec <engine> cmd…  run a command against the engine: DOCKER_HOST set, and for podman inside
#                                  its network namespace, so loopback probes and registries are the engine's
set -euo pipefail

ROOT=${STAGEBENCH_ENGINES_ROOT:-/var/lib/stagebench-engines}
# Socket paths must stay short (108 bytes), so run-time state lives under /run.
RUN=${STAGEBENCH_ENGINES_RUN:-/run/stagebench-engines}
PREFIX=$ROOT/docker26-prefix
ALL=(docker26 docker26-containerd podman)

log() { echo "engines: $*" >&2; }
die() { echo "engines: $*" >&2; exit 1; }

apt_get() {
  # Other apt clients on the machine: wait for the lock rather than fail.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if apt-get -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
    sleep 5
  done
  apt-get -o DPkg::Lock::Timeout=120 "$@"
}

# A trixie sources entry copied from the host's own Debian entry (same URI and key), pinned at 100 so
# nothing on the host is upgraded from it; only `apt-get download -t trixie` uses it.
add_trixie() {
  local list=/etc/apt/sources.list.d/stagebench-trixie.sources pin=/etc/apt/preferences.d/stagebench-trixie
  if [ ! -f "$pin" ]; then
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$pin"
  fi
  [ -f "$list" ] && return 0
  local codename entry=''
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # The first deb822 stanza whose Suites holds the release itself (not -security / -updates).
    entry=$(awk -v rs="$codename" 'BEGIN { RS = ""; FS = "\n" }
      { for (i = 1; i <= NF; i++) if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == rs) { print; exit } } }' "$f")
    [ -n "$entry" ] && break
  done
  if [ -n "$entry" ]; then
    printf '%s\n' "$entry" | sed -e 's/^Suites:.*/Suites: trixie/' -e '/^#/d' >"$list"
  else
    # One-line format: "deb [opts] URI <codename> components".
    local line
    line=$(grep -hE "^deb[[:space:]].*[[:space:]]$codename[[:space:]]" /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
    [ -n "$line" ] || die "found no Debian $codename entry in the apt sources to copy for trixie"
    list=/etc/apt/sources.list.d/stagebench-trixie.list
    printf '%s\n' "$line" | sed -E "s/[[:space:]]$codename[[:space:]]/ trixie /" >"$list"
  fi
  apt_get update -qq
}

install_docker26() {
  [ -x "$PREFIX/usr/sbin/dockerd" ] && return 0
  add_trixie
  log "downloading Docker 26.1 from trixie into a private prefix"
  local debs=$ROOT/debs
  rm -rf "$debs" "$PREFIX.tmp"
  mkdir -p "$debs" "$PREFIX.tmp"
  chown _apt "$debs" 2>/dev/null || true # apt downloads as _apt
  (cd "$debs" && apt_get download -qq -t trixie docker.io docker-cli docker-buildx)
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$PREFIX.tmp"; done
  # A plugin dir for the docker CLI of this prefix (buildx), in a config dir of its own.
  mkdir -p "$PREFIX.tmp/etc/docker-cli"
  printf '{"cliPluginsExtraDirs": ["%s/usr/libexec/docker/cli-plugins"]}\n' "$PREFIX" >"$PREFIX.tmp/etc/docker-cli/config.json"
  mv "$PREFIX.tmp" "$PREFIX"
  rm -rf "$debs"
  "$PREFIX/usr/sbin/dockerd" --version >&2
}

install_podman() {
  command -v podman >/dev/null && return 0
  log "installing podman from bookworm"
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends podman runc conmon netavark aardvark-dns >/dev/null
  podman --version >&2
}

bridge_of() { case $1 in docker26) echo "sb26 172.31.0.1/16" ;; docker26-containerd) echo "sbctr 172.30.0.1/16" ;; esac; }
socket_of() { echo "$RUN/$1.sock"; }

answers() { curl -sf --max-time 5 --unix-socket "$(socket_of "$1")" http://d/_ping >/dev/null 2>&1; }

wait_for() {
  local engine=$1
  for _ in $(seq 1 150); do
    answers "$engine" && return 0
    sleep 0.2
  done
  tail -n 30 "$ROOT/$engine/daemon.log" >&2 || true
  die "$engine did not answer on $(socket_of "$engine") within 30 s (log above)"
}

up_docker() {
  local engine=$1
  answers "$engine" && { log "$engine already answers on $(socket_of "$engine")"; return 0; }
  install_docker26
  local name cidr dir=$ROOT/$engine
  read -r name cidr <<<"$(bridge_of "$engine")"
  if ! ip link show "$name" >/dev/null 2>&1; then
    ip link add "$name" type bridge
    ip addr add "$cidr" dev "$name"
  fi
  ip link set "$name" up
  mkdir -p "$dir" "$RUN"
  # Our own config file, so the host daemon's /etc/docker/daemon.json never applies here.
  if [ "$engine" = docker26-containerd ]; then
    echo '{"features": {"containerd-snapshotter": true}}' >"$dir/daemon.json"
  else
    echo '{"features": {"containerd-snapshotter": false}}' >"$dir/daemon.json"
  fi
  # Never --bridge none: at start-up that deletes docker0 and breaks every RUN on the host daemon.
  PATH="$PREFIX/usr/sbin:$PREFIX/usr/bin:$PATH" setsid "$PREFIX/usr/sbin/dockerd" \
    --host "unix://$(socket_of "$engine")" --data-root "$dir/data" --exec-root "$RUN/$engine-exec" \
    --pidfile "$RUN/$engine.pid" --config-file "$dir/daemon.json" \
    --bridge "$name" --iptables=false --ip-masq=false --ip6tables=false \
    >"$dir/daemon.log" 2>&1 </dev/null &
  wait_for "$engine"
  log "$engine answers on unix://$(socket_of "$engine")"
}

podman_env() {
  local dir=$ROOT/podman
  echo "CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf CONTAINERS_REGISTRIES_CONF=$dir/registries.conf"
}

up_podman() {
  answers podman && { log "podman already answers on $(socket_of podman)"; return 0; }
  install_podman
  local dir=$ROOT/podman
  mkdir -p "$dir/networks" "$RUN"
  # runc (crun 1.8 refuses this machine's hybrid cgroups), cgroupfs and file events: no systemd here. The
  # ulimits: without them runc fails with "error setting rlimit type 7". Own network, storage and temp dirs, so nothing is shared with another podman.
  cat >"$dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$RUN/podman-tmp"
[network]
network_config_dir = "$dir/networks"
EOF
  cat >"$dir/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$RUN/podman-runroot"
EOF
  # Short names resolve to docker.io as with Docker, without a prompt.
  cat >"$dir/registries.conf" <<EOF
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
EOF
  if [ ! -e /run/netns/sbpod ]; then
    ip netns add sbpod
  fi
  ip netns exec sbpod ip link set lo up
  # nsenter --net, not `ip netns exec`: the latter remounts /sys, and runc then finds no cgroup mount.
  # shellcheck disable=SC2046
  env $(podman_env) setsid nsenter --net=/run/netns/sbpod podman system service --time=0 "unix://$(socket_of podman)" \
    >"$dir/daemon.log" 2>&1 </dev/null &
  echo $! >"$RUN/podman.pid"
  wait_for podman
  log "podman answers on unix://$(socket_of podman)"
}

down_one() {
  local engine=$1 pidfile=$RUN/$1.pid
  if [ -f "$pidfile" ]; then
    local pid
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$pidfile"
  fi
  rm -f "$(socket_of "$engine")"
  case $engine in
    podman) [ -e /run/netns/sbpod ] && ip netns del sbpod || true ;;
    *) local name cidr; read -r name cidr <<<"$(bridge_of "$engine")"; ip link del "$name" 2>/dev/null || true ;;
  esac
  log "$engine stopped"
}

host_of() {
  case $1 in
    host) echo "unix:///var/run/docker.sock" ;;
    docker26 | docker26-containerd | podman) echo "unix://$(socket_of "$1")" ;;
    *) die "unknown engine '$1' (host, ${ALL[*]})" ;;
  esac
}

cmd=${1:-}
shift || true
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=("${ALL[@]}")
case $cmd in
  up)
    [ "$(id -u)" = 0 ] || die "run as root (it installs packages and creates bridges)"
    for e in "${engines[@]}"; do
      case $e in
        docker26 | docker26-containerd) up_docker "$e" ;;
        podman) up_podman ;;
        *) die "unknown engine '$e' (${ALL[*]})" ;;
      esac
    done
    ;;
  down) for e in "${engines[@]}"; do down_one "$e"; done ;;
  host) host_of "${engines[0]}" ;;
  exec)
    engine=${1:?engines.sh exec <engine> command...}
    shift
    export DOCKER_HOST
    DOCKER_HOST=$(host_of "$engine")
    # The integration suite reads which engine it runs on from this one variable.
    export STAGEBENCH_TEST_ENGINE=$engine
    if [ "$engine" = podman ]; then exec nsenter --net=/run/netns/sbpod "$@"; fi
    exec "$@"
    ;;
  *) die "usage: engines.sh up|down [engine...] | host <engine> | exec <engine> command... (engines: ${ALL[*]})" ;;
esac
