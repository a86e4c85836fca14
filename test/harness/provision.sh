#!/usr/bin/env bash
# Build one provisioning layer of the sandbox hosts: the overlay upper dir, on top of the base, that
# every host of a flavour shares (read-only) under its own per-host upper dir.
#
#   unshare --mount --propagation private -- bash provision.sh <apt|rpm> <base> <upper> <work> <merged> <repo>
#
# ensure.sh runs it in a private mount namespace: every mount below dies with it.
# What the layer holds (both flavours):
#   - no SSH host keys (the base's are deleted: each host gets its own at start)
#   - sshd: key-only login for root and `patchward`, UsePAM no, generous MaxStartups,
#     authorized keys in /etc/ssh/authorized_keys.d/<user> (written per host at start)
#   - user `patchward` with passwordless sudo (`sudo -n`)
#   - the package repository is expected read-only at /srv/patchward-repo (bind-mounted per host)
# apt flavour: apt sources = only the local flat repo, test packages installed in their old versions.
# rpm flavour: Debian's rpm + dnf, an rpm database in /var/lib/rpm, dnf with only the local repo
#   (gpgcheck=0), test rpms installed in their old versions, apt with no sources, and an
#   /etc/os-release that says ID=rocky (a RHEL-family stand-in; see test/README.md).
set -euo pipefail

flavour=$1 base=$2 upper=$3 work=$4 m=$5 repo=$6
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin

mount -t overlay overlay -o "lowerdir=$base,upperdir=$upper,workdir=$work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
mount -t tmpfs -o mode=0755 tmpfs "$m/run"
mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
mkdir -p "$m/srv/patchward-repo"
mount --bind "$repo" "$m/srv/patchward-repo"
mount -o remount,bind,ro "$m/srv/patchward-repo"
in_root() { chroot "$m" "$@"; }

# No service starts while packages install.
printf '#!/bin/sh\nexit 101\n' >"$m/usr/sbin/policy-rc.d"
chmod 0755 "$m/usr/sbin/policy-rc.d"

# --- SSH: no shared host keys, key-only logins
rm -f "$m"/etc/ssh/ssh_host_*
mkdir -p "$m/etc/ssh/authorized_keys.d"
cat >"$m/etc/ssh/sshd_config.d/patchward.conf" <<'EOF'
# patchward sandbox host (test/harness). Host key and authorized keys are written per host at start.
HostKey /etc/ssh/ssh_host_ed25519_key
AuthorizedKeysFile /etc/ssh/authorized_keys.d/%u .ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PidFile none
MaxStartups 500:30:1000
MaxSessions 100
LoginGraceTime 30
EOF

# --- the non-root login with passwordless sudo
in_root useradd --create-home --shell /bin/bash patchward
# No password, but not locked either: sshd (UsePAM no) refuses logins to locked accounts.
in_root usermod --password '*' patchward
printf 'patchward ALL=(ALL) NOPASSWD: ALL\n' >"$m/etc/sudoers.d/patchward"
chmod 0440 "$m/etc/sudoers.d/patchward"

case $flavour in
  apt)
    : >"$m/etc/apt/sources.list"
    echo 'deb [trusted=yes] file:/srv/patchward-repo/apt ./' >"$m/etc/apt/sources.list.d/patchward.list"
    in_root apt-get update
    in_root apt-get install -y --no-install-recommends \
      pw-libdemo=1.0-1 pw-demo-utils=1.0-1 pw-kernel=1.0-1 pw-broken=1.0-1 \
      pw-depender=1.0-1 pw-replacer=1.0-1 pw-oldtool=1.0-1
    # Keep the package lists: a host knows its fixed versions before any `apt-get update`.
    ;;
  rpm)
    cp /etc/resolv.conf "$m/etc/resolv.conf"
    in_root apt-get update
    in_root apt-get install -y --no-install-recommends rpm dnf
    : >"$m/etc/apt/sources.list"
    rm -rf "$m"/var/lib/apt/lists/* "$m/etc/resolv.conf"
    # Debian's rpm keeps its database in ~/.rpmdb unless told otherwise: make it the system's.
    mkdir -p "$m/etc/rpm"
    printf '%%_dbpath /var/lib/rpm\n' >"$m/etc/rpm/macros.patchward"
    in_root rpm --initdb
    mkdir -p "$m/etc/yum.repos.d" "$m/etc/dnf/vars"
    rm -f "$m"/etc/yum.repos.d/*
    cat >"$m/etc/yum.repos.d/patchward.repo" <<'EOF'
[patchward-sandbox]
name=patchward sandbox repository
baseurl=file:///srv/patchward-repo/rpm
enabled=1
gpgcheck=0
repo_gpgcheck=0
metadata_expire=0
EOF
    echo 9 >"$m/etc/dnf/vars/releasever"
    in_root dnf -y --disablerepo='*' --enablerepo=patchward-sandbox install \
      patchward-sandbox-release pw-libdemo-1.0-1 pw-demo-utils-1.0-1 pw-kernel-1.0-1 pw-broken-1.0-1 \
      pw-depender-1.0-1 pw-replacer-1.0-1 pw-oldtool-1.0-1
    rm -f "$m/etc/os-release"
    cat >"$m/etc/os-release" <<'EOF'
NAME="patchward sandbox"
ID=rocky
ID_LIKE="rhel centos fedora"
VERSION="9.4 (patchward sandbox)"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="patchward sandbox: Debian userland with rpm/dnf (rocky-9 stand-in)"
HOME_URL="https://github.com/patchward/patchward/blob/main/test/README.md"
PATCHWARD_SANDBOX=1
EOF
    ;;
  *) echo "unknown flavour $flavour" >&2; exit 2 ;;
esac

in_root apt-get clean
rm -f "$m/usr/sbin/policy-rc.d" "$m"/var/cache/apt/*.bin "$m"/var/log/apt/* "$m"/var/log/dpkg.log
echo "provisioned $flavour layer"
