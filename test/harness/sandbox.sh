#!/usr/bin/env bash
# Sandbox test hosts from the command line (people, the demo). Needs root.
#
#   bash test/harness/sandbox.sh up 3 apt 1 rpm     start 3 apt + 1 rpm host (fleet "default")
#   bash test/harness/sandbox.sh status
#   bash test/harness/sandbox.sh ssh pw-apt-01 -- dpkg-query -W 'pw-*'
#   bash test/harness/sandbox.sh down
#   bash test/harness/sandbox.sh --help             every command
#
# Builds the cached image first when missing (ensure.sh) and compiles the harness when dist/ is
# missing or older than test/harness/*.ts. The logic lives in test/harness/sandbox.ts (cli.ts).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=$root/dist/test/harness/cli.js
if [ ! -f "$cli" ] || [ -n "$(find "$root/test/harness" -name '*.ts' -newer "$cli" -print -quit)" ]; then
  echo "[sandbox] compiling (npx tsc -p tsconfig.json)" >&2
  # tsc still emits when another part of the tree has type errors; the harness is checked on its own.
  (cd "$root" && npx tsc -p tsconfig.json >&2) || [ -f "$cli" ] || exit 1
fi
exec node "$cli" "$@"
