#!/usr/bin/env bash
# How long does a new user wait, on a fresh machine, from the README's set-up to the first default lesson
# bench? Times it as near to a fresh machine as one that already ran stagebench can get:
#   - a second dockerd with an empty data root (so no base image, no build cache), on a bridge of its own;
#   - a fresh clone of this repository (HEAD), an empty npm cache, an empty layer cache (XDG_CACHE_HOME), and
#     the clone's own empty Verdaccio storage;
#   - then, in the README's order: `npm run setup`, `npm ci`, `npm run bench -- --profile offline`.
# What cannot be repeated without a fresh machine is apt installing the packages (they are installed here):
# `apt-get update` and the download of the packages set-up installs are timed into scratch folders, and the
# install itself (dpkg) is read from /var/log/apt/history.log, where the first set-up logged it.
#   sudo bash scripts/bench-fresh-machine.sh
# Needs root (a dockerd, a bridge) and the host's set-up done once (dockerd, debootstrap installed). Uses
# bridge sbfresh 172.28.0.1/16 and a scratch folder, both removed at the end; the host's daemon is untouched.
set -euo pipefail

((EUID == 0)) || { echo "run as root (it starts a dockerd and creates a bridge)" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/stagebench-fresh.XXXXXX")
sock="$work/docker.sock"
PACKAGES=(docker.io debootstrap busybox-static docker-registry)

now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }
cleanup() {
  [[ -f "$work/dockerd.pid" ]] && kill "$(cat "$work/dockerd.pid")" 2>/dev/null && sleep 3
  ip link del sbfresh 2>/dev/null || true
  # The daemon's overlay mounts must be gone before the folder can be removed.
  grep -o "$work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== apt, timed apart (the packages are installed on this machine)"
mkdir -p "$work/apt-lists/partial" "$work/apt-archives/partial"
t=$(now)
apt-get -qq -o APT::Sandbox::User=root -o Dir::State::Lists="$work/apt-lists" update >/dev/null
apt_update=$(secs "$t" "$(now)")
# What set-up installs, and what apt pulled in with it on Debian 12 (see the apt history).
t=$(now)
apt-get -qq -o APT::Sandbox::User=root -o Dir::State::Lists="$work/apt-lists" -o Dir::Cache::archives="$work/apt-archives" --download-only --reinstall -y \
  install "${PACKAGES[@]}" containerd runc iptables tini libnftnl11 libnetfilter-conntrack3 libnfnetlink0 libip6tc2 >/dev/null
apt_download=$(secs "$t" "$(now)")
apt_mb=$(du -sm "$work/apt-archives" | cut -f1)
# The first install of these packages, as dpkg logged it: End-Date minus Start-Date of each apt run that named one.
apt_install=$(awk -v pk="${PACKAGES[*]}" '
  /^Start-Date:/ { start = $2 " " $3 }
  /^Commandline:/ { hit = 0; n = split(pk, p, " "); for (i = 1; i <= n; i++) if (index($0, " " p[i])) hit = 1 }
  /^End-Date:/ && hit { cmd = "date -d \"" start "\" +%s"; cmd | getline a; close(cmd); cmd = "date -d \"" $2 " " $3 "\" +%s"; cmd | getline b; close(cmd); total += b - a; hit = 0 }
  END { print total + 0 }' /var/log/apt/history.log)
echo "apt-get update ${apt_update} s; download ${apt_download} s (${apt_mb} MB); install (dpkg, from the apt history) ${apt_install} s"

echo "== a fresh engine: dockerd with an empty data root on bridge sbfresh"
ip link show sbfresh >/dev/null 2>&1 || { ip link add sbfresh type bridge; ip addr add 172.28.0.1/16 dev sbfresh; }
ip link set sbfresh up
echo '{}' >"$work/daemon.json"
# Never --bridge none: at start-up that deletes docker0 and breaks every RUN on the host daemon.
setsid dockerd --host "unix://$sock" --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  --config-file "$work/daemon.json" --bridge sbfresh --iptables=false --ip-masq=false --ip6tables=false \
  >"$work/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 120); do DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1 && break; sleep 0.5; done

git clone -q "$repo" "$work/repo"
cd "$work/repo"
export DOCKER_HOST="unix://$sock" XDG_CACHE_HOME="$work/cache" npm_config_cache="$work/npm-cache"
t0=$(now)
npm run setup 2>&1 | sed 's/^/  /'
t1=$(now)
npm ci --no-audit --no-fund --loglevel=error 2>&1 | sed 's/^/  /'
t2=$(now)
npm run bench -- --profile offline 2>&1 | tail -n 12 | sed 's/^/  /'
t3=$(now)

setup=$(secs "$t0" "$t1")
npmci=$(secs "$t1" "$t2")
bench=$(secs "$t2" "$t3")
apt=$(echo "$apt_update + $apt_download + $apt_install" | bc)
total=$(echo "$apt + $setup + $npmci + $bench" | bc)
echo
echo "fresh machine, README order: apt ${apt} s (update ${apt_update}, download ${apt_download}, install ${apt_install}) + npm run setup ${setup} s + npm ci ${npmci} s + first bench ${bench} s = $(printf '%.0f' "$total") s ($(printf '%.1f' "$(echo "$total / 60" | bc -l)") min; target ≤ 3.5 min)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
