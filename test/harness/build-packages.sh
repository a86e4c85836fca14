#!/usr/bin/env bash
# Build the sandbox's local package repository: tiny real packages, each in an OLD version (installed
# on every host at start) and a FIXED version (available in the repository), as .deb and .rpm.
#
#   bash test/harness/build-packages.sh <out-dir>      (ensure.sh calls it; <out-dir> must be empty)
#
# <out-dir>/apt/  flat apt repository: `deb [trusted=yes] file:/srv/patchward-repo/apt ./`
#                 (dpkg-scanpackages --multiversion + apt-ftparchive release)
# <out-dir>/rpm/  rpm repository with createrepo_c metadata (dnf: gpgcheck=0)
# <out-dir>/MANIFEST.tsv  flavour, package, source, old version, fixed version, what it exercises
#
# The packages (same names in both formats):
#   pw-libdemo, pw-demo-utils  two binaries of source pw-demo-src (source != binary name)
#   pw-kernel      fixed version asks for a reboot: /run/reboot-required + reboot-required.pkgs
#   pw-broken      fixed version fails to install (deb: postinst exit 1; rpm: %pre exit 1)
#   pw-depender    fixed version depends on pw-newdep, which is not installed (pulled in)
#   pw-replacer    fixed version conflicts with / obsoletes pw-oldtool, which is installed (removed)
#   pw-newdep, pw-oldtool  the packages the previous two pull in or push out
#   patchward-sandbox-release (rpm only)  system-release for dnf, and provides /bin/sh for scriptlets
set -euo pipefail

out=${1:?usage: build-packages.sh <out-dir>}
mkdir -p "$out/apt" "$out/rpm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

manifest() { printf '%s\n' "$*" | tr ' ' '\t' >>"$out/MANIFEST.tsv"; }
printf 'flavour\tpackage\tsource\told\tfixed\texercises\n' >"$out/MANIFEST.tsv"

REBOOT_SCRIPT='echo "*** System restart required ***" > /run/reboot-required
echo pw-kernel >> /run/reboot-required.pkgs'

# ---------------------------------------------------------------------------------------------- deb
# mkdeb <name> <version> <source-or-empty> <extra control lines or empty> <postinst body or empty>
mkdeb() {
  local name=$1 version=$2 source=$3 extra=$4 postinst=$5 root
  root=$work/deb/$name-$version
  mkdir -p "$root/DEBIAN" "$root/usr/share/patchward/$name"
  printf '%s\n' "$version" >"$root/usr/share/patchward/$name/version"
  {
    echo "Package: $name"
    echo "Version: $version"
    [ -n "$source" ] && echo "Source: $source"
    echo "Architecture: all"
    echo "Maintainer: patchward sandbox <sandbox@patchward.invalid>"
    echo "Section: misc"
    echo "Priority: optional"
    [ -n "$extra" ] && printf '%s\n' "$extra"
    echo "Description: patchward sandbox test package $name"
    echo " A tiny package built by patchward's test harness (test/harness/build-packages.sh)."
  } >"$root/DEBIAN/control"
  if [ -n "$postinst" ]; then
    printf '#!/bin/sh\nset -e\n%s\n' "$postinst" >"$root/DEBIAN/postinst"
    chmod 0755 "$root/DEBIAN/postinst"
  fi
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/apt/${name}_${version}_all.deb" >/dev/null
}

mkdeb pw-libdemo 1.0-1 'pw-demo-src' '' ''
mkdeb pw-libdemo 1.0-2 'pw-demo-src' '' ''
mkdeb pw-demo-utils 1.0-1 'pw-demo-src' 'Depends: pw-libdemo (>= 1.0)' ''
mkdeb pw-demo-utils 1.0-2 'pw-demo-src' 'Depends: pw-libdemo (>= 1.0)' ''
mkdeb pw-kernel 1.0-1 '' '' "$REBOOT_SCRIPT"
mkdeb pw-kernel 1.1-1 '' '' "$REBOOT_SCRIPT"
mkdeb pw-broken 1.0-1 '' '' ''
mkdeb pw-broken 1.0-2 '' '' 'echo "pw-broken: this fixed version fails in postinst on purpose" >&2
exit 1'
mkdeb pw-newdep 1.0-1 '' '' ''
mkdeb pw-depender 1.0-1 '' '' ''
mkdeb pw-depender 2.0-1 '' 'Depends: pw-newdep (>= 1.0)' ''
mkdeb pw-oldtool 1.0-1 '' '' ''
mkdeb pw-replacer 1.0-1 '' '' ''
mkdeb pw-replacer 2.0-1 '' 'Conflicts: pw-oldtool
Replaces: pw-oldtool' ''

(
  cd "$out/apt"
  dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null
  gzip -9nk Packages
  apt-ftparchive -o APT::FTPArchive::Release::Origin=patchward-sandbox \
    -o APT::FTPArchive::Release::Label=patchward-sandbox release . >Release
)

manifest apt pw-libdemo pw-demo-src 1.0-1 1.0-2 source-name-differs
manifest apt pw-demo-utils pw-demo-src 1.0-1 1.0-2 source-name-differs
manifest apt pw-kernel pw-kernel 1.0-1 1.1-1 reboot-required
manifest apt pw-broken pw-broken 1.0-1 1.0-2 postinst-fails
manifest apt pw-depender pw-depender 1.0-1 2.0-1 pulls-in-pw-newdep
manifest apt pw-replacer pw-replacer 1.0-1 2.0-1 removes-pw-oldtool
manifest apt pw-oldtool pw-oldtool 1.0-1 - removed-by-pw-replacer
manifest apt pw-newdep pw-newdep - 1.0-1 pulled-in-by-pw-depender

# ---------------------------------------------------------------------------------------------- rpm
top=$work/rpmbuild
mkdir -p "$top/SPECS"
# mkrpm <spec-name> <spec body>: header defaults are added; builds noarch binary rpms
mkrpm() {
  local spec=$top/SPECS/$1.spec
  {
    echo 'AutoReqProv: no'
    echo 'License: Apache-2.0'
    echo 'BuildArch: noarch'
    printf '%s\n' "$2"
  } >"$spec"
  rpmbuild --quiet --nodeps --define "_topdir $top" --define '_binary_payload w9.gzdio' \
    --define '_build_id_links none' -bb "$spec"
}
# rpmfiles <name> <version>: an %install snippet and %files entry for one package's marker file
rpmfile() { printf 'mkdir -p %%{buildroot}/usr/share/patchward/%s && echo %s > %%{buildroot}/usr/share/patchward/%s/version\n' "$1" "$2" "$1"; }
# simple <name> <version> <release> <extra header lines> <extra sections>
simple() {
  mkrpm "$1-$2-$3" "Name: $1
Version: $2
Release: $3
Summary: patchward sandbox test package $1
$4
%description
A tiny package built by patchward's test harness (test/harness/build-packages.sh).
%install
$(rpmfile "$1" "$2-$3")
%files
/usr/share/patchward/$1
$5"
}

mkrpm patchward-sandbox-release "Name: patchward-sandbox-release
Version: 9.4
Release: 1
Summary: system-release of the patchward sandbox (Debian userland with rpm/dnf)
Provides: system-release = 9.4
Provides: system-release(releasever) = 9
Provides: /bin/sh
Provides: /bin/bash
%description
Tells dnf the release version and provides the scriptlet shell, which dpkg (not rpm) owns here.
%install
mkdir -p %{buildroot}/usr/share/patchward/patchward-sandbox-release
echo 9.4-1 > %{buildroot}/usr/share/patchward/patchward-sandbox-release/version
%files
/usr/share/patchward/patchward-sandbox-release"

for rel in 1 2; do
  mkrpm "pw-demo-src-1.0-$rel" "Name: pw-demo-src
Version: 1.0
Release: $rel
Summary: source of pw-libdemo and pw-demo-utils
%description
Source package only: its binaries are pw-libdemo and pw-demo-utils.
%package -n pw-libdemo
Summary: patchward sandbox library-like package
%description -n pw-libdemo
Library-like package built from source pw-demo-src.
%package -n pw-demo-utils
Summary: patchward sandbox utilities of pw-demo-src
Requires: pw-libdemo >= 1.0
%description -n pw-demo-utils
Utilities built from source pw-demo-src.
%install
$(rpmfile pw-libdemo "1.0-$rel")
$(rpmfile pw-demo-utils "1.0-$rel")
%files -n pw-libdemo
/usr/share/patchward/pw-libdemo
%files -n pw-demo-utils
/usr/share/patchward/pw-demo-utils"
done
simple pw-kernel 1.0 1 '' "%post
$REBOOT_SCRIPT"
simple pw-kernel 1.1 1 '' "%post
$REBOOT_SCRIPT"
simple pw-broken 1.0 1 '' ''
simple pw-broken 1.0 2 '' '%pre
echo "pw-broken: this fixed version fails in %pre on purpose" >&2
exit 1'
simple pw-newdep 1.0 1 '' ''
simple pw-depender 1.0 1 '' ''
simple pw-depender 2.0 1 'Requires: pw-newdep >= 1.0' ''
simple pw-oldtool 1.0 1 '' ''
simple pw-replacer 1.0 1 '' ''
simple pw-replacer 2.0 1 'Obsoletes: pw-oldtool <= 1.0
Conflicts: pw-oldtool' ''

cp "$top"/RPMS/noarch/*.rpm "$out/rpm/"
createrepo_c --quiet "$out/rpm"

manifest rpm pw-libdemo pw-demo-src 1.0-1 1.0-2 source-name-differs
manifest rpm pw-demo-utils pw-demo-src 1.0-1 1.0-2 source-name-differs
manifest rpm pw-kernel pw-kernel 1.0-1 1.1-1 reboot-required
manifest rpm pw-broken pw-broken 1.0-1 1.0-2 pre-fails
manifest rpm pw-depender pw-depender 1.0-1 2.0-1 pulls-in-pw-newdep
manifest rpm pw-replacer pw-replacer 1.0-1 2.0-1 obsoletes-pw-oldtool
manifest rpm pw-oldtool pw-oldtool 1.0-1 - obsoleted-by-pw-replacer
manifest rpm pw-newdep pw-newdep - 1.0-1 pulled-in-by-pw-depender
manifest rpm patchward-sandbox-release patchward-sandbox-release 9.4-1 - release-and-sh-provides
ls -l "$out/apt" "$out/rpm"
