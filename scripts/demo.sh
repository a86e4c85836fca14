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
if [ ! -f dist/controller/cli/main.js ]; then say "compiling"; npm run --silent build; fi
say "sandbox image (cached under ~/.cache/patchward/sandbox; first build takes a few minutes)"
bash test/harness/ensure.sh

work=${PATCHWARD_DEMO_DIR:-$(mktemp -d /tmp/patchward-demo.XXXXXX)}
mkdir -p "$work"
if [ -z "${PATCHWARD_DEMO_KEEP:-}" ]; then trap 'say "tearing down the sandbox hosts"; sandbox down || true' EXIT; fi

say "starting 3 apt hosts and 1 rpm host"
sandbox up 3 apt 1 rpm

say "policy repository (a local Git repository) in $work/policy-repo"
repo=$work/policy-repo
state=$work/state
rm -rf "$repo" "$state"; mkdir -p "$repo"
cp policies/windows.yaml "$repo/windows.yaml"
cp scripts/demo/windows.yaml "$repo/demo-window.yaml"
cp scripts/demo/rings.yaml "$repo/rings.yaml"
cp scripts/demo/security-policy.yaml "$repo/security-policy.yaml"
cp scripts/demo/baseline.yaml "$repo/baseline.yaml"
sandbox fleet-yaml --out "$repo/fleet.yaml" >/dev/null
git -C "$repo" init -q -b main
git -C "$repo" add .
git -C "$repo" -c user.name=demo -c user.email=demo@example.invalid commit -qm "Sandbox fleet with demo windows, rings, policy and baseline"
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

say "patchward propose --forge git   (plain Git: the proposal is a branch of the policy repository)"
pw propose -f "$repo" --inventory "$work/inventory.json" --advisories test/fixtures/advisories/sandbox \
  --kev test/fixtures/advisories/kev/known-exploited-sample.json --forge git --repository "$repo" --state "$state"
git -C "$repo" branch --list 'patchward/*'
proposal=$(git -C "$repo" for-each-ref --format='%(refname:short)' 'refs/heads/patchward/security/*' | head -n 1)
[ -n "$proposal" ] || { echo "demo: no proposal branch was made" >&2; exit 1; }

say "the proposal $proposal: one commit that adds the approval to baseline.yaml"
git -C "$repo" --no-pager log -1 --format='%s' "$proposal"
git -C "$repo" --no-pager diff "main...$proposal"

say "a person reviews and merges it (the merge is the approval)"
git -C "$repo" -c user.name=reviewer -c user.email=reviewer@example.invalid merge -q --no-ff -m "Merge $proposal" "$proposal"
git -C "$repo" --no-pager log --oneline -3

say "patchward plan -f $repo   (what the merge will do, when, to which hosts)"
pw plan -f "$repo" --state "$state"

say "patchward rollout -f $repo --until done   (ring by ring: canary, early, broad; soaks of 5 s)"
pw rollout -f "$repo" --state "$state" --until done

say "patchward report   (the audit log: what was patched, when, with which result)"
pw report --state "$state" --verify --advisories test/fixtures/advisories/sandbox

say "patchward assess after the rollout"
pw inventory -f "$repo" --state "$state" --output json > "$work/inventory-after.json" || true
pw assess --inventory "$work/inventory-after.json" --advisories test/fixtures/advisories/sandbox \
  --baseline "$repo/baseline.yaml" --output table

say "done"
echo "policy repository: $repo (proposal branch $proposal, merged)"
echo "state directory:   $state (rollout progress, audit.jsonl)"
echo "inventory:         $work/inventory.json, after: $work/inventory-after.json"
echo "assessment:        $work/assessment.csv (one row per host and missing fix)"
echo "Not built yet: the long-running controller (patchward run), Kubernetes mode; see README."
