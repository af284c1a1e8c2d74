#!/usr/bin/env bash
# Stop the Verdaccio started by start.sh (by its pid file). Exits 0 if nothing runs.
# The storage (offline npm cache) is kept.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pidfile="$here/verdaccio.pid"
log() { printf '[npm-proxy] %s\n' "$*" >&2; }

# Our caller (a stagebench run: our parent) leaves; another user still alive keeps the proxy running.
users="$here/verdaccio.users"
if [[ -f "$users" ]]; then
  others=$( (grep -vx "$PPID" "$users" || true) | while read -r p; do
    if [[ "$p" =~ ^[0-9]+$ ]] && kill -0 "$p" 2>/dev/null; then echo "$p"; fi
  done | sort -u)
  if [[ -n "$others" ]]; then
    echo "$others" >"$users"
    log "still used by pid(s) $(echo "$others" | tr '\n' ' '); leaving it running"
    exit 0
  fi
  rm -f "$users"
fi

if [[ ! -s "$pidfile" ]]; then
  log "not running (no pid file)"
  exit 0
fi
pid=$(cat "$pidfile")
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "not running (stale pid file)"
  rm -f "$pidfile"
  exit 0
fi
# never signal a recycled pid that is not ours
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q verdaccio; then
  log "pid $pid is not verdaccio; removing the stale pid file"
  rm -f "$pidfile"
  exit 0
fi

# Verdaccio stops listening at once on SIGTERM, then takes about another second to exit. Wait (polling every
# 20 ms, up to 10 s) until its port is closed: it serves nothing more and a new start can take the port. A
# detached watcher sees the exit through (SIGKILL after 10 s), so a run never waits on the proxy's shutdown.
port=$(awk -F: '/^listen:/ { print $NF; exit }' "$here/config.yaml" 2>/dev/null || true)
port=${port:-${STAGEBENCH_NPM_PROXY_PORT:-4873}}
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$port" 2>/dev/null; }
kill -TERM "$pid"
for _ in $(seq 1 500); do
  kill -0 "$pid" 2>/dev/null || break
  port_open || break
  sleep 0.02
done
if kill -0 "$pid" 2>/dev/null && port_open; then
  log "pid $pid still serves 10s after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
if kill -0 "$pid" 2>/dev/null; then
  setsid bash -c 'for _ in $(seq 1 500); do kill -0 "$1" 2>/dev/null || exit 0; sleep 0.02; done; kill -KILL "$1" 2>/dev/null' _ "$pid" </dev/null >/dev/null 2>&1 &
fi
log "stopped (pid $pid)"
