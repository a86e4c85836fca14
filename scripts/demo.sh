#!/usr/bin/env bash
# patchward demo on its embedded default: real sandbox hosts (sshd in mount namespaces on
# loopback, real dpkg/apt and rpm/dnf databases), a local Git policy repository, and the bundled
# advisories. No cluster, no forge. Needs root (mount namespaces), like the tests.
#
#   npm run demo                    # 3 apt hosts + 1 rpm host, then tear down
#   PATCHWARD_DEMO_KEEP=1 npm run demo   # leave the hosts up (stop: bash test/harness/sandbox.sh --name demo down)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ "$(id -u)" -eq 0 ] || { echo "demo: needs root (sandbox hosts are mount namespaces)" >&2; exit 2; }

pw() { node "$root/bin/patchward.js" "$@"; }
sandbox() { local command=$1; shift; bash "$root/test/harness/sandbox.sh" "$command" --name demo "$@"; }

say "system packages (test/system-packages.txt)"
bash scripts/install-system-packages.sh
if [ ! -f dist/controller/cli/main.js ]; then say "compiling"; npx tsc -p tsconfig.json; fi
say "sandbox image (cached under ~/.cache/patchward/sandbox; first build takes a few minutes)"
bash test/harness/ensure.sh

work=${PATCHWARD_DEMO_DIR:-$(mktemp -d /tmp/patchward-demo.XXXXXX)}
mkdir -p "$work"
if [ -z "${PATCHWARD_DEMO_KEEP:-}" ]; then trap 'say "tearing down the sandbox hosts"; sandbox down || true' EXIT; fi

say "starting 3 apt hosts and 1 rpm host"
sandbox up 3 apt 1 rpm

say "policy repository (a local Git repository) in $work/policy-repo"
repo=$work/policy-repo
rm -rf "$repo"; mkdir -p "$repo"
cp policies/windows.yaml policies/rings.yaml policies/security-policy.yaml "$repo/"
cp scripts/demo/baseline.yaml "$repo/baseline.yaml"
sandbox fleet-yaml --out "$repo/fleet.yaml" >/dev/null
git -C "$repo" init -q -b main
git -C "$repo" add .
git -C "$repo" -c user.name=demo -c user.email=demo@example.invalid commit -qm "Sandbox fleet with the example windows, rings and policy"
git -C "$repo" log --oneline

say "patchward validate $repo"
pw validate "$repo"

say "patchward inventory -f $repo   (over SSH, host keys pinned)"
pw inventory -f "$repo" --output json > "$work/inventory.json" || true
pw inventory -f "$repo" || true

advisories=(--advisories test/fixtures/advisories/sandbox --advisories test/fixtures/advisories/debian
            --advisories test/fixtures/advisories/debian-derived.zip --advisories test/fixtures/advisories/almalinux.zip)
say "patchward assess (bundled advisories: sandbox feed, Debian, Debian-derived, AlmaLinux)"
pw assess --inventory "$work/inventory.json" "${advisories[@]}" --kev test/fixtures/advisories/kev/known-exploited-sample.json \
  --baseline "$repo/baseline.yaml" --output table
pw assess --inventory "$work/inventory.json" "${advisories[@]}" --baseline "$repo/baseline.yaml" --output csv > "$work/assessment.csv"

say "patchward propose --dry-run (the pull requests patchward would open against the baseline; no forge needed)"
pw propose -f "$repo" --inventory "$work/inventory.json" --advisories test/fixtures/advisories/sandbox \
  --kev test/fixtures/advisories/kev/known-exploited-sample.json --dry-run | head -n 120 || true

say "done"
echo "inventory:  $work/inventory.json"
echo "assessment: $work/assessment.csv (one row per host and missing fix)"
echo "Proposals against a forge: patchward propose --forge gitea|github|gitlab|git (see README)."
