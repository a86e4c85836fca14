#!/usr/bin/env bash
# Start one sandbox host: its own mount, PID and UTS namespaces, its own root filesystem view, sshd.
# sandbox.ts runs it as a detached process (a new session) and records the PIDs it writes.
#
#   bash host-init.sh launch <host-dir> <lowerdirs> <repo-dir> <hostname> <port> <address>
#
# launch (in the caller's namespaces): closes every inherited fd above 2 (a lock fd leaked into a
#   long-lived host would never be released), records "<pid> <start-time>" in <host-dir>/launcher.pid,
#   then loops (as `bash -c`, so no script fd stays open): run
#   `unshare --mount --pid --uts --fork --kill-child --propagation private`, whose child runs this
#   script again as init; when init ends and the host asked for a reboot (it created
#   <host-dir>/control/reboot-requested, see the `systemctl` stand-in written by host-dir.ts), write a
#   new boot id and start the host again; otherwise end.
# init (PID 1 of the new PID namespace): records its outer "<pid> <start-time>" in <host-dir>/init.pid,
#   mounts overlay(lower=<lowerdirs>, upper/work in <host-dir>) on <host-dir>/merged, a fresh /proc,
#   a small tmpfs /dev (basic nodes + a new devpts), tmpfs /run and /dev/shm, the repository
#   read-only at /srv/patchward-repo, <host-dir>/boot_id over /proc/sys/kernel/random/boot_id and
#   <host-dir>/control at /run/patchward-sandbox, sets the hostname, then execs sshd (still PID 1) in
#   a chroot, listening on <address>:<port> only (each host has its own loopback address).
# Every mount is private to the host's mount namespace: it vanishes when the host's processes end,
# so a killed host (or a killed harness) leaves nothing mounted on the machine.
set -euo pipefail

mode=$1
shift
h=$1 lower=$2 repo=$3 name=$4 port=$5 address=$6

record_self() { # record_self <file>: "<pid> <start-time>" of this shell, as the caller's /proc sees it
  local -a st
  # A builtin read of /proc/self: the open is done by this shell (no fork), so "self" is this shell.
  read -r -a st </proc/self/stat
  printf '%s %s\n' "${st[0]}" "${st[21]}" >"$1.tmp"
  mv -f "$1.tmp" "$1"
}

case $mode in
  launch)
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    record_self "$h/launcher.pid"
    mkdir -p "$h/control"
    # shellcheck disable=SC2016 # the loop's variables expand in the inner bash, from its arguments
    exec /bin/bash -c '
      script=$1; shift
      while :; do
        rm -f "$1/control/reboot-requested"
        unshare --mount --pid --uts --fork --kill-child --propagation private -- /bin/bash "$script" init "$@"
        status=$?
        [ -e "$1/control/reboot-requested" ] || exit "$status"
        cat /proc/sys/kernel/random/uuid >"$1/boot_id.tmp" && mv -f "$1/boot_id.tmp" "$1/boot_id"
        echo "[host-init] reboot asked from inside the host: starting again, boot id $(cat "$1/boot_id")"
      done' launcher "${BASH_SOURCE[0]}" "$h" "$lower" "$repo" "$name" "$port" "$address"
    ;;
  init) ;;
  *) echo "usage: host-init.sh launch <host-dir> <lowerdirs> <repo-dir> <hostname> <port> <address>" >&2; exit 2 ;;
esac

# /proc is still the machine's here, so /proc/self/stat gives this process's outer PID.
record_self "$h/init.pid"
m=$h/merged

# The previous incarnation's overlay may take a moment to be released after its processes died.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if mount -t overlay overlay -o "lowerdir=$lower,upperdir=$h/upper,workdir=$h/work" "$m" 2>"$h/mount.err"; then break; fi
  [ "$attempt" = 10 ] && { cat "$h/mount.err" >&2; exit 1; }
  sleep 0.2
done
mount -t proc -o nosuid,nodev,noexec proc "$m/proc"

mount -t tmpfs -o size=1m,mode=0755,nosuid tmpfs "$m/dev"
mknod -m 0666 "$m/dev/null" c 1 3
mknod -m 0666 "$m/dev/zero" c 1 5
mknod -m 0666 "$m/dev/full" c 1 7
mknod -m 0666 "$m/dev/random" c 1 8
mknod -m 0666 "$m/dev/urandom" c 1 9
mknod -m 0666 "$m/dev/tty" c 5 0
ln -s /proc/self/fd "$m/dev/fd"
ln -s /proc/self/fd/0 "$m/dev/stdin"
ln -s /proc/self/fd/1 "$m/dev/stdout"
ln -s /proc/self/fd/2 "$m/dev/stderr"
mkdir -m 0755 "$m/dev/pts" "$m/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$m/dev/pts"
ln -s pts/ptmx "$m/dev/ptmx"
mount -t tmpfs -o size=16m,mode=1777,nosuid,nodev tmpfs "$m/dev/shm"

mount -t tmpfs -o size=32m,mode=0755,nosuid,nodev tmpfs "$m/run"
mkdir -m 0755 "$m/run/sshd" "$m/run/lock" "$m/run/patchward-sandbox"
mount --bind "$h/control" "$m/run/patchward-sandbox"

mount --bind "$repo" "$m/srv/patchward-repo"
mount -o remount,bind,ro "$m/srv/patchward-repo"
mount --bind "$h/boot_id" "$m/proc/sys/kernel/random/boot_id"
mount -o remount,bind,ro "$m/proc/sys/kernel/random/boot_id"

hostname "$name"
exec chroot "$m" /usr/sbin/sshd -D -e -o "ListenAddress=$address:$port"
