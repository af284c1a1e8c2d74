#!/usr/bin/env bash
# Prepare this machine for offline (registry-free) stagebench runs. One idempotent command, as root:
#   bash offline/setup.sh
# - installs with apt what is missing of: docker.io and debootstrap (the offline bases), busybox-static (the
#   integration tests' 2 MB fixture base) and docker-registry (the loopback registry the pull-size test pushes to)
# - starts dockerd in the background if no daemon answers
# - builds the local base images that are missing (existing ones are reused):
#     stagebench-local/debian:bookworm-slim   debootstrap minbase + make-slim-rootfs.sh + docker import
#     stagebench-local/node:18-runtime        bases/node-runtime (nodejs)
#     stagebench-local/node:18                bases/node (nodejs + npm, FROM the runtime base)
#     stagebench-local/golang:1.19            bases/go (golang-go, std pre-compiled)
# - installs the loopback npm proxy (offline/verdaccio) with `npm ci` if its node_modules is missing
# Environment: STAGEBENCH_REBUILD_BASES=1 rebuilds every base; DOCKER=<cli> picks the docker CLI;
# STAGEBENCH_DOCKERD_TIMEOUT=<s> (default 30) bounds the wait for the daemon.
# Nothing here names a registry or mirror host: apt and debootstrap use the host's Debian sources.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DOCKER=${DOCKER:-docker}
REBUILD=${STAGEBENCH_REBUILD_BASES:-0}
DOCKERD_TIMEOUT=${STAGEBENCH_DOCKERD_TIMEOUT:-30}
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources

IMG_DEBIAN=stagebench-local/debian:bookworm-slim
IMG_NODE_RUNTIME=stagebench-local/node:18-runtime
IMG_NODE=stagebench-local/node:18
IMG_GO=stagebench-local/golang:1.19

# --- small helpers ------------------------------------------------------------------------------
now_us() { local t=$EPOCHREALTIME; echo $((10#${t//[.,]/})); }
T0=$(now_us)
secs() { local us=$(($(now_us) - ${1:-$T0})); printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10)); }
log() { printf '[setup %6ss] %s\n' "$(secs)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/stagebench-setup.XXXXXX")
ROOTFS_WORK=""
BG_PIDS=()

# Run a command with its output in $LOGDIR/<name>.log; on failure show the log's tail.
run_logged() {
  local name=$1; shift
  if ! "$@" >"$LOGDIR/$name.log" 2>&1; then
    tail -n 40 "$LOGDIR/$name.log" >&2 || true
    die "$name failed (full log: $LOGDIR/$name.log)"
  fi
}

cleanup_rootfs() {
  [[ -n "$ROOTFS_WORK" && -d "$ROOTFS_WORK" ]] || return 0
  local m
  # debootstrap unmounts these itself, unless it was interrupted
  for m in proc sys dev/pts dev/shm dev; do
    if grep -qs " $ROOTFS_WORK/rootfs/$m " /proc/mounts; then umount -l "$ROOTFS_WORK/rootfs/$m" || true; fi
  done
  if grep -qs " $ROOTFS_WORK/" /proc/mounts; then
    log "WARNING: still mounted, so not removed: $ROOTFS_WORK"
  else
    rm -rf --one-file-system "$ROOTFS_WORK"
  fi
  ROOTFS_WORK=""
}

on_exit() {
  local rc=$?
  cleanup_rootfs
  if ((rc != 0)); then
    local pid
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if rmdir "$LOGDIR" 2>/dev/null; then log "failed (exit $rc)"; else log "failed (exit $rc); logs kept in $LOGDIR"; fi
  else
    rm -rf "$LOGDIR"
  fi
}
trap on_exit EXIT

# --- 0. preconditions ---------------------------------------------------------------------------
((EUID == 0)) || die "run as root: it installs packages and starts dockerd"

# --- 1. host packages ---------------------------------------------------------------------------
missing=()
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then missing+=(docker.io); fi
command -v debootstrap >/dev/null || missing+=(debootstrap)
# the fault suite starts a second dockerd on a bridge of its own (ip) and mounts small tmpfs disks
command -v ip >/dev/null || missing+=(iproute2)
# what `npm test` needs besides: the same list .ci/run relies on, so the README's set-up is CI's set-up
for pkg in busybox-static docker-registry; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  t=$(now_us)
  log "installing ${missing[*]} with apt"
  run_logged apt-update apt-get update -qq
  run_logged apt-install env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  log "installed ${missing[*]} in $(secs "$t")s"
else
  log "installed: docker, debootstrap, busybox-static, docker-registry"
fi

# --- 2. Docker daemon ---------------------------------------------------------------------------
daemon_answers() { "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
dockerd_running() {
  local c
  for c in /proc/[0-9]*/comm; do [[ "$(cat "$c" 2>/dev/null)" == dockerd ]] && return 0; done
  return 1
}

if daemon_answers; then
  log "Docker daemon answers (server $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null))"
else
  t=$(now_us)
  if [[ -n "${DOCKER_HOST:-}" ]]; then
    die "no daemon at DOCKER_HOST=$DOCKER_HOST (none started here)"
  fi
  if dockerd_running; then
    log "dockerd runs but does not answer yet; waiting ${DOCKERD_TIMEOUT}s"
  else
    log "starting dockerd in the background (log: /var/log/dockerd.log)"
    setsid nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
    dockerd_pid=$!
    disown
  fi
  deadline=$(($(now_us) + DOCKERD_TIMEOUT * 1000000))
  until daemon_answers; do
    if [[ -n "${dockerd_pid:-}" ]] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
      tail -n 20 /var/log/dockerd.log >&2 2>/dev/null || true
      die "dockerd exited during start-up (see /var/log/dockerd.log)"
    fi
    if (($(now_us) > deadline)); then
      tail -n 20 /var/log/dockerd.log >&2 2>/dev/null || true
      log "the Docker daemon did not answer within ${DOCKERD_TIMEOUT}s"
      die "its log: /var/log/dockerd.log"
    fi
    sleep 0.2
  done
  log "Docker daemon answers after $(secs "$t")s"
fi

# --- 3. Verdaccio dependencies, in the background beside the base builds ----------------------------
npm_pid=""
vdir="$here/verdaccio"
if [[ -x "$vdir/node_modules/.bin/verdaccio" && -f "$vdir/node_modules/.package-lock.json" ]]; then
  log "Verdaccio is installed (offline/verdaccio/node_modules)"
elif ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  log "WARNING: no node/npm, so no Verdaccio (needs Node.js >= 20)"
  npm_pid=missing
else
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  ((node_major >= 20)) || log "WARNING: node v$node_major; Verdaccio 6.8 needs Node.js >= 20"
  log "npm ci in offline/verdaccio (background)"
  npm_t=$(now_us)
  (
    (cd "$vdir" && npm ci --no-audit --no-fund --loglevel=error) >"$LOGDIR/verdaccio-npm-ci.log" 2>&1 || exit 1
    log "npm ci in offline/verdaccio done in $(secs "$npm_t")s"
  ) &
  npm_pid=$!
  BG_PIDS+=("$npm_pid")
fi

# --- 4. base images -----------------------------------------------------------------------------
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
# needs_build IMAGE PARENT_WAS_REBUILT
needs_build() { [[ "$REBUILD" == 1 || "$2" == 1 ]] || ! image_exists "$1"; }

host_mirror() {
  # first "URIs:" of the host's deb822 sources, else the first "deb" line; empty: debootstrap's default
  if [[ -s "$HOST_SOURCES" ]]; then
    awk '/^URIs:/ { print $2; exit }' "$HOST_SOURCES"
  elif [[ -s /etc/apt/sources.list ]]; then
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list
  fi
}

build_debian() {
  local t mirror
  t=$(now_us)
  ROOTFS_WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/stagebench-rootfs.XXXXXX")
  mirror=$(host_mirror || true)
  log "debootstrap --variant=minbase bookworm (host's mirror)"
  run_logged debootstrap debootstrap --variant=minbase bookworm "$ROOTFS_WORK/rootfs" ${mirror:+"$mirror"}
  log "debootstrap done in $(secs "$t")s; slimming the rootfs"
  run_logged make-slim-rootfs bash "$here/make-slim-rootfs.sh" "$ROOTFS_WORK/rootfs" "$HOST_SOURCES"
  tar -C "$ROOTFS_WORK/rootfs" --numeric-owner -cf - . |
    "$DOCKER" import \
      -c 'CMD ["bash"]' \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$IMG_DEBIAN" >"$LOGDIR/import.log" 2>&1 || { cat "$LOGDIR/import.log" >&2; die "docker import failed"; }
  cleanup_rootfs
  log "built $IMG_DEBIAN in $(secs "$t")s"
}

# build_base IMAGE DIR BASE
build_base() {
  local image=$1 dir=$2 base=$3 t name
  t=$(now_us)
  name=build-${image//[\/:]/_}
  log "building $image (offline/bases/$(basename "$dir"))"
  # classic builder: works with any docker CLI (no buildx needed); host network: apt uses the host's
  # resolver and mirror exactly as the host does. --force-rm: no containers left after a failure.
  run_logged "$name" env DOCKER_BUILDKIT=0 "$DOCKER" build --force-rm --network host \
    --build-arg "BASE=$base" -t "$image" "$dir"
  log "built $image in $(secs "$t")s"
}

debian_rebuilt=0
if needs_build "$IMG_DEBIAN" 0; then
  build_debian
  debian_rebuilt=1
else
  log "reusing $IMG_DEBIAN"
fi

# node chain and Go base side by side (both mostly wait for apt downloads and unpacking)
(
  runtime_rebuilt=0
  if needs_build "$IMG_NODE_RUNTIME" "$debian_rebuilt"; then
    build_base "$IMG_NODE_RUNTIME" "$here/bases/node-runtime" "$IMG_DEBIAN"
    runtime_rebuilt=1
  else
    log "reusing $IMG_NODE_RUNTIME"
  fi
  if needs_build "$IMG_NODE" "$runtime_rebuilt"; then
    build_base "$IMG_NODE" "$here/bases/node" "$IMG_NODE_RUNTIME"
  else
    log "reusing $IMG_NODE"
  fi
) &
node_chain=$!
BG_PIDS+=("$node_chain")
(
  if needs_build "$IMG_GO" "$debian_rebuilt"; then
    build_base "$IMG_GO" "$here/bases/go" "$IMG_DEBIAN"
  else
    log "reusing $IMG_GO"
  fi
) &
go_chain=$!
BG_PIDS+=("$go_chain")

failed=0
wait "$node_chain" || failed=1
wait "$go_chain" || failed=1
((failed == 0)) || die "a base image build failed (see above)"

# --- 5. Verdaccio install result ------------------------------------------------------------------
verdaccio_ok=1
if [[ "$npm_pid" == missing ]]; then
  verdaccio_ok=0
elif [[ -n "$npm_pid" ]]; then
  if ! wait "$npm_pid"; then
    tail -n 30 "$LOGDIR/verdaccio-npm-ci.log" >&2 || true
    log "npm ci in offline/verdaccio failed; its log:"
    die "$LOGDIR/verdaccio-npm-ci.log"
  fi
fi

for image in "$IMG_DEBIAN" "$IMG_NODE_RUNTIME" "$IMG_NODE" "$IMG_GO"; do
  log "  $image  $("$DOCKER" image inspect -f '{{.Size}}' "$image") bytes"
done
if ((verdaccio_ok == 0)); then
  log "the base images are ready, the npm proxy is not"
  die "install Node.js >= 20 and npm, then re-run"
fi
# The prefix already says the time; a fresh clone needs the project's own packages (tsc) before the bench.
log "ready; next: npm ci && npm run bench -- --profile offline"
