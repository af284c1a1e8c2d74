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

kill -TERM "$pid"
# Poll every 20 ms (up to 10 s): the stop costs what Verdaccio takes to exit, not a fixed wait.
for _ in $(seq 1 500); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.02
done
if kill -0 "$pid" 2>/dev/null; then
  log "pid $pid ignored SIGTERM for 10s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
log "stopped (pid $pid)"
