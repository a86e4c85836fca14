#!/usr/bin/env bash
# The one test command (README, .ci/run): prepares what the tests need, then runs every test.
#  1. system packages and test servers/hosts that are missing are installed or built
#     (cached outside the clone under ~/.cache/patchward, so a second run starts in seconds);
#  2. TypeScript is compiled to dist/;
#  3. every test file under test/ runs with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "system packages (test/system-packages.txt)"
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' test/system-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi

for ensure in test/harness/ensure.sh test/servers/ensure.sh; do
  if [ -f "$ensure" ]; then
    step "bash $ensure"
    bash "$ensure"
  fi
done

step "tsc"
npx tsc -p tsconfig.json

step "node --test"
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under dist/test" >&2
  exit 1
fi
# One file at a time: integration tests start real servers and hosts, and this machine has 2 cores.
exec node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
