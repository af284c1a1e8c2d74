#!/usr/bin/env bash
# Slim a debootstrapped Debian rootfs the way debuerreotype builds the official
# "-slim" images: slimify + minimizing config + clean-up. Usage:
#   make-slim-rootfs.sh ROOTFS [SOURCES]
# SOURCES (default: the host's deb822 debian.sources) is copied into the rootfs at
# run time so the image follows the host's mirror, -updates and -security; its
# content is never stored in this repository.
set -euo pipefail

root=${1:?usage: make-slim-rootfs.sh ROOTFS [SOURCES]}
sources=${2:-/etc/apt/sources.list.d/debian.sources}

[[ -x "$root/usr/bin/dpkg" ]] || { echo "make-slim-rootfs: $root does not look like a Debian rootfs" >&2; exit 1; }
root=$(cd "$root" && pwd)
[[ "$root" != / ]] || { echo "make-slim-rootfs: refusing to slim /" >&2; exit 1; }
if grep -qs " $root/" /proc/mounts; then
  echo "make-slim-rootfs: something is still mounted under $root; unmount it first" >&2
  exit 1
fi

# --- slimify: same exclude/include lists as debuerreotype-slimify -------------
excludes=(
  /usr/share/doc/'*'
  /usr/share/groff/'*'
  /usr/share/info/'*'
  /usr/share/linda/'*'
  /usr/share/lintian/overrides/'*'
  /usr/share/locale/'*'
  /usr/share/man/'*'
)
includes=(
  /usr/share/doc/'*'/copyright
  /usr/share/locale/locale.alias
)

mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
{
  echo '# This is the "slim" variant of the Debian base image.'
  echo '# Many files which are normally unnecessary in containers are excluded,'
  echo '# and this configuration file keeps them that way.'
  echo
  for p in "${excludes[@]}"; do echo "path-exclude $p"; done
  echo
  for p in "${includes[@]}"; do echo "path-include $p"; done
} > "$root/etc/dpkg/dpkg.cfg.d/docker"

for p in "${excludes[@]}"; do
  dir="$root${p%/\*}"
  [[ -d "$dir" && ! -L "$dir" ]] || continue
  # two passes, as debuerreotype does: files first (keeping the includes), then empty dirs
  find "$dir" -mindepth 1 -not -type d \
    -not -path "$root/usr/share/doc/*/copyright" \
    -not -path "$root/usr/share/locale/locale.alias" -delete
  find "$dir" -mindepth 1 -depth -type d -empty -delete
done

# --- minimizing config: same files as debuerreotype-minimizing-config ---------
cat > "$root/usr/sbin/policy-rc.d" <<'POLICY'
#!/bin/sh
# never start services while building an image
exit 101
POLICY
chmod 0755 "$root/usr/sbin/policy-rc.d"

echo 'force-unsafe-io' > "$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"

aptconf="$root/etc/apt/apt.conf.d"
mkdir -p "$aptconf"
clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
cat > "$aptconf/docker-clean" <<CLEAN
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
echo 'Acquire::GzipIndexes "true";' > "$aptconf/docker-gzip-indexes"
echo 'Acquire::Languages "none";' > "$aptconf/docker-no-languages"
echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$aptconf/docker-autoremove-suggests"

# --- sources: the host's, copied at run time -----------------------------------
if [[ -s "$sources" ]]; then
  mkdir -p "$root/etc/apt/sources.list.d"
  cp "$sources" "$root/etc/apt/sources.list.d/debian.sources"
  chmod 0644 "$root/etc/apt/sources.list.d/debian.sources"
  rm -f "$root/etc/apt/sources.list"   # debootstrap's one-line "bookworm main" would duplicate it
else
  echo "make-slim-rootfs: $sources not found; keeping debootstrap's sources.list" >&2
fi

# --- clean-up: nothing host- or build-specific in the image --------------------
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
       "$root"/var/lib/dpkg/*-old "$root"/var/cache/ldconfig/aux-cache "$root"/tmp/* "$root"/var/tmp/*
mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
find "$root/var/log" -type f -delete
rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
[[ ! -s "$root/etc/machine-id" ]] || : > "$root/etc/machine-id"   # per-machine id, regenerated when needed
