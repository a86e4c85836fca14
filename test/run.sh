#!/usr/bin/env bash
# The one test command (README, .ci/run): prepares what the tests need, then runs every test.
#  1. system packages and test servers/hosts that are missing are installed or built
#     (cached outside the clone under ~/.cache/patchward, so a second run starts in seconds);
#  2. TypeScript is compiled to dist/;
#  3. every test file under test/ runs with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# npm puts node_modules/.bin first on PATH: the `node` devDependency is Node 24 LTS, whatever the system has.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 24 ]; then
  echo "test/run.sh: Node $(node --version) is too old; run it as 'npm test' so that node_modules/.bin/node (Node 24) is used" >&2
  exit 2
fi

step "system packages (test/system-packages.txt)"
bash scripts/install-system-packages.sh

step "sandbox image (test/harness/ensure.sh)"
bash test/harness/ensure.sh

step "test servers (test/servers/ensure.sh)"
bash test/servers/ensure.sh

step "tsc, then the validators generated from crds/ (npm run build)"
npx tsc -p tsconfig.json
node scripts/generate-validators.mjs

step "biome (format + lint)"
npx biome check .

step "node --test"
mapfile -t files < <(find dist/test -name '*.test.js' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under dist/test" >&2
  exit 1
fi
# One file at a time: integration tests start real servers and hosts, and this machine has 2 cores.
exec node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
