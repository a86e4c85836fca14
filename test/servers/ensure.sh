#!/usr/bin/env bash
# Build every missing test-server binary into the cache outside the clone.
#
#   bash test/servers/ensure.sh            build what is missing (a no-op when all are cached)
#   bash test/servers/ensure.sh --list     print the cached paths and sizes, build nothing
#
# Binaries are built from the Go module proxy with the local Go toolchain, in throw-away wrapper
# modules under $CACHE/build, and land in $CACHE/bin/<name>-<version> (versions: versions.env).
# Each binary is written to a temporary name and renamed when complete, a lock serialises
# concurrent runs, and an interrupted run leaves nothing half-built behind: it is safe to ^C and
# rerun. Build logs: $CACHE/logs/build-<name>-<version>.log; timings: $CACHE/logs/timings.tsv.
#
# Environment: PATCHWARD_TESTENV_CACHE overrides the cache (default ~/.cache/patchward/testenv).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
: "${K8S_VERSION:?missing in versions.env}" "${ETCD_VERSION:?missing in versions.env}" "${GITEA_VERSION:?missing in versions.env}"

CACHE=${PATCHWARD_TESTENV_CACHE:-$HOME/.cache/patchward/testenv}
BIN=$CACHE/bin
WRAP=$CACHE/build
LOGS=$CACHE/logs
GITEA_TAGS="sqlite sqlite_unlock_notify"

export GOTOOLCHAIN=local GOWORK=off GOFLAGS="-mod=mod -buildvcs=false"

say() { printf '[servers %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }

child=""
tmp_paths=()
cleanup() {
  local rc=$?
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  local p
  for p in "${tmp_paths[@]}"; do rm -rf -- "$p"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted; removing partial output"; exit 130' INT TERM

have() { [ -x "$BIN/$1" ] && [ -s "$BIN/$1" ]; }
size_of() { stat -c %s "$1"; }
human() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

# run_logged LABEL LOGFILE CMD...: run CMD with its output in LOGFILE, print a heartbeat every
# 30 s (elapsed time and the number of packages `go build -v` has reported), fail with the log tail.
run_logged() {
  local label=$1 logfile=$2; shift 2
  local start=$SECONDS
  printf '\n=== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logfile"
  # setsid: own process group, so an interrupt can stop the whole go build tree.
  setsid "$@" >>"$logfile" 2>&1 &
  child=$!
  local last=$SECONDS
  while kill -0 "$child" 2>/dev/null; do
    sleep 2
    if (( SECONDS - last >= 30 )); then
      last=$SECONDS
      say "  $label: $((SECONDS - start)) s, $(grep -c '^[a-z0-9].*/' "$logfile" || true) packages so far"
    fi
  done
  local rc=0
  wait "$child" || rc=$?
  child=""
  if (( rc != 0 )); then
    say "  $label FAILED (exit $rc) after $((SECONDS - start)) s; last lines of $logfile:" >&2
    tail -n 40 "$logfile" >&2
    exit 1
  fi
}

# modfield FIELD: read one string field of `go mod download -json` output on stdin.
modfield() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }

# fresh_wrapper DIR MODULE: an empty wrapper module (rebuilt every time, so reruns after an
# interrupted edit start clean).
fresh_wrapper() {
  mkdir -p "$1"
  rm -f "$1/go.mod" "$1/go.sum"
  (cd "$1" && go mod init "$2" >/dev/null 2>&1) || die "go mod init in $1"
}

# install_bin NAME TMP SECONDS: rename a finished build into the cache and record its figures.
install_bin() {
  local name=$1 tmp=$2 secs=$3
  [ -s "$tmp" ] || die "build of $name produced no file"
  chmod 0755 "$tmp"
  mv -f -- "$tmp" "$BIN/$name"
  local bytes; bytes=$(size_of "$BIN/$name")
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$secs" "$bytes" "$(nproc)cpu" >>"$LOGS/timings.tsv"
  say "built $name in ${secs} s ($(human "$bytes"))"
}

build_etcd() {
  local name=etcd-$ETCD_VERSION
  have "$name" && return 0
  say "building $name from go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  local w=$WRAP/etcd-$ETCD_VERSION log=$LOGS/build-$name.log start=$SECONDS
  : >"$log"
  fresh_wrapper "$w" local/patchward-etcd-build
  cd "$w"
  # The server module's own replace directives point at sibling directories (../api, ../client);
  # from a wrapper they are ignored, and the published siblings at the same tag are used.
  go mod edit -go=1.26.0 -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  local tmp=$BIN/.tmp.$name.$$
  tmp_paths+=("$tmp")
  CGO_ENABLED=0 run_logged "$name" "$log" \
    go build -v -trimpath -ldflags "-s -w" -o "$tmp" go.etcd.io/etcd/server/v3
  install_bin "$name" "$tmp" $((SECONDS - start))
}

build_k8s() {
  local want=() b
  for b in kube-apiserver kubectl; do have "$b-$K8S_VERSION" || want+=("$b"); done
  (( ${#want[@]} )) || return 0
  local minor patch staging
  minor=$(cut -d. -f2 <<<"$K8S_VERSION"); patch=$(cut -d. -f3 <<<"$K8S_VERSION")
  staging=v0.$minor.$patch
  say "building ${want[*]} from k8s.io/kubernetes@$K8S_VERSION (staging modules at $staging)"
  local w=$WRAP/k8s-$K8S_VERSION log=$LOGS/build-k8s-$K8S_VERSION.log
  : >"$log"
  fresh_wrapper "$w" local/patchward-k8s-build
  cd "$w"
  # Download before adding the requirement: the root go.mod requires its staging modules at v0.0.0.
  local json mod
  json=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION") || die "go mod download k8s.io/kubernetes@$K8S_VERSION: $json"
  mod=$(modfield GoMod <<<"$json")
  [ -f "$mod" ] || die "no go.mod for k8s.io/kubernetes@$K8S_VERSION in: $json"
  if grep -E '=>' "$mod" | grep -vq '=> \./staging/src/k8s.io/'; then
    grep -E '=>' "$mod" | grep -v '=> \./staging/src/k8s.io/' >&2
    die "k8s.io/kubernetes@$K8S_VERSION has replace directives other than ./staging (above); copy them into the wrapper"
  fi
  local mods=() m
  mapfile -t mods < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/src/.*#\1#p' "$mod")
  (( ${#mods[@]} > 20 )) || die "found only ${#mods[@]} staging modules in $mod"
  local edits=(-go=1.26.0 -godebug=default=go1.26 "-require=k8s.io/kubernetes@$K8S_VERSION")
  for m in "${mods[@]}"; do edits+=("-replace=$m=$m@$staging"); done
  go mod edit "${edits[@]}"
  say "  mapped ${#mods[@]} staging modules to $staging"
  local ld="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  for b in "${want[@]}"; do
    local name=$b-$K8S_VERSION start=$SECONDS tmp=$BIN/.tmp.$b-$K8S_VERSION.$$
    tmp_paths+=("$tmp")
    say "  compiling $name"
    CGO_ENABLED=0 run_logged "$name" "$log" \
      go build -v -trimpath -ldflags "$ld" -o "$tmp" "k8s.io/kubernetes/cmd/$b"
    install_bin "$name" "$tmp" $((SECONDS - start))
  done
}

build_gitea() {
  local name=gitea-$GITEA_VERSION assets=gitea-$GITEA_VERSION-assets
  if have "$name" && [ -d "$BIN/$assets/templates" ]; then return 0; fi
  say "building $name from code.gitea.io/gitea@$GITEA_VERSION (tags: $GITEA_TAGS)"
  local w=$WRAP/gitea-$GITEA_VERSION log=$LOGS/build-$name.log start=$SECONDS
  : >"$log"
  fresh_wrapper "$w" local/patchward-gitea-build
  cd "$w"
  local json mod src
  json=$(go mod download -json "code.gitea.io/gitea@$GITEA_VERSION") || die "go mod download code.gitea.io/gitea@$GITEA_VERSION: $json"
  mod=$(modfield GoMod <<<"$json"); src=$(modfield Dir <<<"$json")
  [ -f "$mod" ] && [ -d "$src/templates" ] || die "unexpected download result for gitea: $json"
  # Gitea's replace (forks it calls into), exclude and godebug directives only apply in the main
  # module, so the wrapper copies them; a local (./) replace cannot be copied and fails the build.
  local edits=()
  mapfile -t edits < <(go mod edit -json "$mod" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const out = [];
    const v = (mv) => mv.Path + (mv.Version ? "@" + mv.Version : "");
    for (const r of m.Replace ?? []) {
      if (!r.New.Version) { console.error("local replace " + r.New.Path); process.exit(2); }
      out.push("-replace=" + v(r.Old) + "=" + v(r.New));
    }
    for (const e of m.Exclude ?? []) out.push("-exclude=" + e.Path + "@" + e.Version);
    for (const g of m.GoDebug ?? []) out.push("-godebug=" + g.Key + "=" + g.Value);
    console.log(out.join("\n"));') || die "could not copy directives from $mod"
  go mod edit -go=1.26.0 "-require=code.gitea.io/gitea@$GITEA_VERSION" "${edits[@]}"
  say "  copied ${#edits[@]} replace/exclude/godebug directives from gitea's go.mod"
  if ! have "$name"; then
    local tmp=$BIN/.tmp.$name.$$
    tmp_paths+=("$tmp")
    CGO_ENABLED=1 CGO_CFLAGS="-O2 -g -DSQLITE_MAX_VARIABLE_NUMBER=32766" run_logged "$name" "$log" \
      go build -v -trimpath -tags "$GITEA_TAGS" \
      -ldflags "-s -w -X main.Version=${GITEA_VERSION#v} -X 'main.Tags=$GITEA_TAGS'" \
      -o "$tmp" code.gitea.io/gitea
    install_bin "$name" "$tmp" $((SECONDS - start))
  fi
  # Without the bindata tag Gitea reads templates/, options/ and public/ from STATIC_ROOT_PATH;
  # keep a copy next to the binary so the cache does not depend on GOMODCACHE staying put.
  local tmpa=$BIN/.tmp.$assets.$$
  tmp_paths+=("$tmpa")
  mkdir -p "$tmpa"
  cp -R "$src/templates" "$src/options" "$src/public" "$tmpa/"
  chmod -R u+w "$tmpa"
  rm -rf -- "${BIN:?}/$assets"
  mv -- "$tmpa" "$BIN/$assets"
  say "  gitea assets in $BIN/$assets"
}

list() {
  local b
  for b in "etcd-$ETCD_VERSION" "kube-apiserver-$K8S_VERSION" "kubectl-$K8S_VERSION" "gitea-$GITEA_VERSION"; do
    if have "$b"; then say "  $BIN/$b ($(human "$(size_of "$BIN/$b")"))"; else say "  $BIN/$b MISSING"; fi
  done
}

mkdir -p "$BIN" "$WRAP" "$LOGS"
if [ "${1:-}" = "--list" ]; then list; exit 0; fi

command -v go >/dev/null || die "the Go toolchain (go) is not on PATH"
exec 9>"$CACHE/.ensure.lock"
if ! flock -n 9; then
  say "another ensure.sh is building into $CACHE; waiting for it"
  flock 9
fi

if have "etcd-$ETCD_VERSION" && have "kube-apiserver-$K8S_VERSION" && have "kubectl-$K8S_VERSION" \
  && have "gitea-$GITEA_VERSION" && [ -d "$BIN/gitea-$GITEA_VERSION-assets/templates" ]; then
  say "test servers cached in $BIN"
  exit 0
fi
total=$SECONDS
say "building missing test servers into $BIN with $(go version | cut -d' ' -f3) (logs: $LOGS)"
build_etcd
build_k8s
build_gitea
say "done in $((SECONDS - total)) s:"
list
