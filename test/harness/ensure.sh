#!/usr/bin/env bash
# Build the cached layers of the sandbox test hosts (test/harness/sandbox.ts) when they are missing.
#
#   bash test/harness/ensure.sh            build what is missing (a no-op, under a second, when all are cached)
#   bash test/harness/ensure.sh --list     print the cached layers and their sizes, build nothing
#
# Layers, under $CACHE (default ~/.cache/patchward/sandbox), versions in test/harness/sandbox.env:
#   <BASE_VERSION>/                 debootstrap --variant=minbase of Debian $SUITE: never written after creation
#   <REPO_VERSION>/{apt,rpm}/       the local package repository: tiny real .deb and .rpm test packages,
#                                   old and fixed versions (build-packages.sh), apt flat repo + createrepo_c
#   <PROV_APT_VERSION>+<REPO>+<BASE>/  provisioning layer of the apt flavour: an overlay upper dir on the base
#   <PROV_RPM_VERSION>+<REPO>+<BASE>/  same for the rpm flavour (Debian's rpm + dnf, an rpm database)
#
# Each layer is built in a temporary directory and renamed when complete, a lock serialises concurrent
# runs, and the overlay mounts of a build live in a private mount namespace that dies with the build:
# an interrupted run leaves nothing mounted and nothing half-built; rerun it.
# Logs: $CACHE/logs/<layer>.log; timings: $CACHE/logs/timings.tsv.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=sandbox.env
source "$here/sandbox.env"
CACHE=${PATCHWARD_SANDBOX_CACHE:-$HOME/.cache/patchward/sandbox}
LOGS=$CACHE/logs
BASE=$CACHE/$BASE_VERSION
REPO=$CACHE/$REPO_VERSION
PROV_APT=$CACHE/$PROV_APT_VERSION+$REPO_VERSION+$BASE_VERSION
PROV_RPM=$CACHE/$PROV_RPM_VERSION+$REPO_VERSION+$BASE_VERSION

say() { printf '[sandbox %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }

if [ "${1:-}" = "--list" ]; then
  for layer in "$BASE" "$REPO" "$PROV_APT" "$PROV_RPM"; do
    if [ -d "$layer" ]; then printf '%8s  %s\n' "$(du -sh "$layer" 2>/dev/null | cut -f1)" "$layer"; else printf '%8s  %s\n' missing "$layer"; fi
  done
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  say "not root: skipping (the sandbox hosts need namespaces, overlay mounts and chroot; their tests will fail: run as root)"
  exit 0
fi
all_cached() { [ -d "$BASE" ] && [ -d "$REPO" ] && [ -d "$PROV_APT" ] && [ -d "$PROV_RPM" ]; }
if all_cached; then
  say "all layers cached in $CACHE"
  exit 0
fi

for tool in debootstrap dpkg-deb dpkg-scanpackages apt-ftparchive rpmbuild createrepo_c unshare chroot flock; do
  command -v "$tool" >/dev/null || die "$tool is missing: install the packages in test/system-packages.txt"
done
mkdir -p "$CACHE" "$LOGS"

# One build at a time. The lock fd is closed for every command that could outlive this script.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  say "another build holds $CACHE/.lock; waiting"
  flock 9
fi

tmp=""
child=""
cleanup() {
  local rc=$?
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  [ -n "$tmp" ] && [ -e "$tmp" ] && rm -rf --one-file-system "$tmp"
  [ "$rc" = 0 ] || say "build failed or interrupted (exit $rc); nothing half-built is kept, rerun to continue"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timed() { # timed <layer> <function>: runs the function with its output in the layer's log, records the time
  local name=$1 fn=$2 start end
  start=$(date +%s)
  say "building $name (log: $LOGS/$name.log)"
  # In the background and waited for: errexit stays on inside the function (it is off in `if f`).
  # Its own process group (set -m), so an interrupt stops debootstrap and everything under it.
  set -m
  "$fn" >"$LOGS/$name.log" 2>&1 9>&- &
  child=$!
  set +m
  if ! wait "$child"; then
    child=""
    tail -n 30 "$LOGS/$name.log" >&2
    die "building $name failed; full log: $LOGS/$name.log"
  fi
  child=""
  end=$(date +%s)
  printf '%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$((end - start))" >>"$LOGS/timings.tsv"
  say "built $name in $((end - start)) s"
}

build_base() {
  debootstrap --variant=minbase \
    --include=openssh-server,sudo,python3,python3-apt,procps,ca-certificates \
    "$SUITE" "$tmp/root" "$MIRROR"
  # Nothing of the build stays behind that a host should not share.
  rm -rf "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"*_Packages
}

build_repo() {
  bash "$here/build-packages.sh" "$tmp/root"
}

build_prov() { # build_prov <flavour>
  mkdir -p "$tmp/root" "$tmp/work" "$tmp/merged"
  # A private mount namespace: the overlay and binds vanish with this process, even on ^C or kill -9.
  unshare --mount --propagation private -- bash "$here/provision.sh" "$1" "$BASE" "$tmp/root" "$tmp/work" "$tmp/merged" "$REPO"
  rm -rf "$tmp/work" "$tmp/merged"
}

build_layer() { # build_layer <dir> <function> [args]: into a temp dir beside <dir>, renamed at the end
  local dir=$1 fn=$2
  [ -d "$dir" ] && return 0
  # Leftovers of an interrupted build: a temp dir of ours, nothing mounted on it (mounts were private).
  rm -rf --one-file-system "$dir".tmp-*
  tmp=$(mktemp -d "$dir.tmp-XXXXXX")
  timed "$(basename "$dir")" "$fn"
  mv "$tmp/root" "$dir"
  rm -rf "$tmp"
  tmp=""
}

build_prov_apt() { build_prov apt; }
build_prov_rpm() { build_prov rpm; }

build_layer "$BASE" build_base
build_layer "$REPO" build_repo
build_layer "$PROV_APT" build_prov_apt
build_layer "$PROV_RPM" build_prov_rpm
say "all layers cached in $CACHE"
