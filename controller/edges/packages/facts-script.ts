/**
 * The one remote invocation that gathers a host's facts: a FIXED POSIX sh script passed as argv to
 * `sh -c`, with its only inputs as positional parameters ($1 pending upgrades 0/1, $2 refresh 0/1,
 * $3 package manager '', 'apt' or 'dnf', $4 available versions 0/1, $5 refresh timeout in seconds,
 * $6 seconds to wait for a held package lock), which the script only compares with constants or
 * passes to `timeout`/`test` as numbers (checked digits-only in `factsArgv`). Nothing from the fleet,
 * the policy or the host is ever pasted into it.
 *
 * `factsAfterArgv` puts a command before the facts (after `--`, as positional parameters run as
 * "$@", never pasted into the script): its output (stdout and stderr together) and exit code form
 * the `command` section, so an install and the reading of what it left take one remote call (that
 * reading leaves out the lock check: the command held the locks itself).
 *
 * Output is a sequence of sections:
 *   @@patchward:NAME@@          (on its own line)
 *   …body…
 *   @@patchward-rc:NAME:CODE@@  (exit code of the section's main command)
 * Only dpkg-query's and rpm's stderr is kept (it names package-database errors); the rest is dropped.
 */

import { osIdsOfFamily } from '../../core/inventory/os-release.js';

/** dpkg-query format: one line per package, tab-separated (dpkg-query expands `\t`, `\n`). */
const DPKG_FORMAT = '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\t${source:Package}\\t${source:Version}\\n';

/** dpkg-query format of the installed package names alone, space-separated (the offered-versions filter). */
const DPKG_NAMES_FORMAT = '${Package} ';

/**
 * The RHEL-family os-release IDs, from the one family table in core (`osIdsOfFamily`): constants
 * of ours, checked to be plain lower-case words before they become part of the fixed script.
 */
const RHEL_ID_PATTERN = osIdsOfFamily('rhel')
  .map((id) => {
    if (!/^[a-z0-9]+$/.test(id)) throw new Error(`os-release ID ${JSON.stringify(id)} cannot be matched safely`);
    return id;
  })
  .join('|');

const SCRIPT = String.raw`
set -u
LC_ALL=C; export LC_ALL
want_pending=$1; refresh=$2; pm=$3; want_available=$4; refresh_timeout=$5; lock_wait=$6
shift 6
sec() { printf '\n@@patchward:%s@@\n' "$1"; }
rc() { printf '\n@@patchward-rc:%s:%s@@\n' "$1" "$2"; }
# After a command (an install) the lock check is left out: that command held the locks itself, and
# what is read back is checked for the installed versions and the reboot signals alone.
check_locks=1
if [ "$#" -gt 0 ] && [ "$1" = -- ]; then
  check_locks=0
  # "-- argv…": run that command first (an install), its output and exit code in its own section;
  # the facts that follow are then the host as the command left it. Its stdin is /dev/null; the
  # caller's stdin is fd 3, where a gated install reads the controller's verdict.
  shift
  sec command; "$@" 2>&1 3<&0 </dev/null; rc command $?
fi
locked() { # the lock files another process holds a write lock on (/proc/locks: … WRITE PID MAJ:MIN:INODE …)
  stat -c '%i %n' "$@" 2>/dev/null | while read -r ino f; do
    while read -r _ _ _ mode _ dev _; do
      case $mode:$dev in WRITE:*:"$ino") echo "$f"; break ;; esac
    done </proc/locks
  done
}
# The shell's own read where a file is all there is to read: every process started on the host is
# CPU the host pays (the rollout benchmark is bound by it).
os_release=/etc/os-release; [ -r "$os_release" ] || os_release=/usr/lib/os-release
sec os-release; while IFS= read -r line || [ -n "$line" ]; do printf '%s\n' "$line"; done 2>/dev/null <"$os_release"; rc os-release $?
sec uname; if read -r release 2>/dev/null </proc/sys/kernel/osrelease; then echo "$release"; else uname -r; fi; rc uname $?
sec bootid; read -r boot_id </proc/sys/kernel/random/boot_id && echo "$boot_id"; rc bootid $?
with_timeout() { if command -v timeout >/dev/null 2>&1; then timeout "$refresh_timeout" "$@"; else "$@"; fi; }
wait_unlocked() { # wait_unlocked <lock files>: up to $lock_wait seconds while one of them is held
  waited=0
  while [ "$waited" -lt "$lock_wait" ] && [ -n "$(locked "$@")" ]; do sleep 1; waited=$((waited + 1)); done
}
if [ -z "$pm" ]; then
  if grep -Eq '^(ID|ID_LIKE)=("?|.*[" ])(${RHEL_ID_PATTERN})("| |$)' /etc/os-release 2>/dev/null; then pm=dnf
  elif command -v dpkg-query >/dev/null 2>&1; then pm=apt
  elif command -v rpm >/dev/null 2>&1; then pm=dnf
  fi
fi
# The versions apt's repositories offer for installed packages: the repositories' own Packages
# lists (never the status file), cut by awk to the records of installed names, in one pass and no
# apt-cache per package. The lists are found by name in apt's default lists directory
# (Dir::State::lists), as apt writes them. Plain ones (…_Packages) awk reads itself; compressed
# ones (…_Packages.lz4 and the like) reach it through apt-helper cat-file on its stdin, and only a
# host with none there pays for one more apt process to ask apt where they are (indextargets).
available_versions() {
  set --
  compressed=0
  for list in /var/lib/apt/lists/*_Packages /var/lib/apt/lists/*_Packages.*; do
    [ -e "$list" ] || continue
    case $list in *_Packages) set -- "$@" "$list" ;; *) compressed=1 ;; esac
  done
  names=$(dpkg-query -W -f='${DPKG_NAMES_FORMAT}')
  if [ "$#" -gt 0 ] && [ "$compressed" = 0 ]; then awk -v names="$names" "$available_filter" "$@"; return; fi
  { for list in /var/lib/apt/lists/*_Packages.*; do [ -e "$list" ] && echo "$list"; done
    [ "$#" -gt 0 ] || [ "$compressed" = 1 ] || apt-get indextargets --format '$(FILENAME)' 'Created-By: Packages' 2>/dev/null
  } | while read -r list; do
    [ -e "$list" ] || continue
    if [ -x /usr/lib/apt/apt-helper ]; then /usr/lib/apt/apt-helper cat-file "$list"; else cat "$list"; fi
    printf '\n\n' # the list's last record ends here, even without a newline of its own
  done | awk -v names="$names" "$available_filter" - "$@"
}
# A record ends at a blank line or at the end of its list (a list need not end with a blank line).
available_filter='
  BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) wanted[list[i]] = 1 }
  FNR == 1 && keep { print ""; keep = 0 }
  /^Package: / { keep = ($2 in wanted) }
  keep && /^(Package|Version|Architecture|Source):/ { print }
  /^$/ { if (keep) print ""; keep = 0 }'
sec pm; echo "$pm"; rc pm 0
case $pm in
apt)
  wait_unlocked /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock
  # Streamed, never held in a shell variable: a flood of output must reach the controller's
  # host-output cap (and be cut there), not pile up in the host's shell.
  sec packages; dpkg-query -W -f='${DPKG_FORMAT}'; rc packages $?
  sec reboot; if [ -e /var/run/reboot-required ]; then echo required; cat /var/run/reboot-required.pkgs 2>/dev/null; fi; rc reboot 0
  if [ "$check_locks" = 1 ]; then sec locks; locked /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock; rc locks 0; fi
  if [ "$refresh" = 1 ]; then sec refresh; with_timeout apt-get update -qq >/dev/null 2>&1; rc refresh $?; fi
  if [ "$want_pending" = 1 ]; then sec pending; apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null; rc pending $?; fi
  if [ "$want_available" = 1 ]; then sec available; available_versions; rc available $?; fi
  ;;
dnf)
  wait_unlocked /var/lib/rpm/.rpm.lock /var/lib/rpm/.dbenv.lock
  sec arch; uname -m; rc arch $?
  sec packages; rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'; rc packages $?
  sec reboot; if command -v needs-restarting >/dev/null 2>&1; then needs-restarting -r 2>/dev/null; rc reboot $?; else rc reboot absent; fi
  sec reboot-file; if [ -e /var/run/reboot-required ]; then echo required; cat /var/run/reboot-required.pkgs 2>/dev/null; fi; rc reboot-file 0
  if [ "$check_locks" = 1 ]; then sec locks; locked /var/lib/rpm/.rpm.lock /var/lib/rpm/.dbenv.lock; rc locks 0; fi
  if [ "$refresh" = 1 ]; then sec refresh; with_timeout dnf -q makecache >/dev/null 2>&1; rc refresh $?; fi
  if [ "$want_pending" = 1 ]; then
    sec pending
    if [ "$refresh" = 1 ]; then dnf -q check-update 2>/dev/null; else dnf -q -C check-update 2>/dev/null; fi
    rc pending $?
  fi
  if [ "$want_available" = 1 ]; then
    # From the metadata cache only (-C): fresh after the refresh above, never a download here.
    sec available
    rpm -qa --qf '%{NAME}\n' | sort -u | xargs -r dnf -q -C repoquery --available \
      --qf '%{name}\t%{epoch}\t%{version}\t%{release}\t%{arch}\t%{sourcerpm}\t%{reponame}' 2>/dev/null
    rc available $?
  fi
  ;;
esac
exit 0
`;

export interface FactsScriptOptions {
  readonly pendingUpgrades: boolean;
  readonly refresh: boolean;
  /** Force one package manager; default: decided on the host from os-release. */
  readonly packageManager?: 'apt' | 'dnf';
  /** List the versions the repositories offer for installed packages (default false). */
  readonly availableVersions?: boolean;
  /** Bound of the metadata refresh (`timeout N apt-get update`), seconds (default 120). */
  readonly refreshTimeoutSeconds?: number;
  /** Wait this long for a held dpkg/rpm lock before reading (default 0: report it at once). */
  readonly lockWaitSeconds?: number;
}

/** A whole number of seconds for the script (never anything but digits reaches it). */
function seconds(value: number | undefined, fallback: number): string {
  const chosen = value === undefined || !Number.isFinite(value) || value < 0 ? fallback : Math.min(Math.ceil(value), 86_400);
  return String(chosen);
}

/** The argv of the facts invocation. `$0` is `patchward-facts` so that `ps` shows what it is. */
export function factsArgv(options: FactsScriptOptions): readonly string[] {
  return [
    'sh',
    '-c',
    SCRIPT,
    'patchward-facts',
    options.pendingUpgrades ? '1' : '0',
    options.refresh ? '1' : '0',
    options.packageManager ?? '',
    options.availableVersions === true ? '1' : '0',
    seconds(options.refreshTimeoutSeconds, 120),
    seconds(options.lockWaitSeconds, 0),
  ];
}

/**
 * The argv that runs `command` on the host and then gathers the facts, in ONE invocation: the
 * command's output and exit code are the `command` section (`commandResultOf`).
 */
export function factsAfterArgv(command: readonly string[], options: FactsScriptOptions): readonly string[] {
  if (command.length === 0) throw new Error('factsAfterArgv: empty command');
  return [...factsArgv(options), '--', ...command];
}

export interface Section {
  readonly body: string;
  /** The section's recorded exit code (`absent` when the tool is missing), undefined if cut off. */
  readonly rc: string | undefined;
}

const START = /^@@patchward:([a-z-]+)@@$/;
const END = /^@@patchward-rc:([a-z-]+):([A-Za-z0-9-]+)@@$/;

/** Splits the invocation's stdout into sections by name. Unknown text outside sections is ignored. */
export function parseSections(stdout: string): ReadonlyMap<string, Section> {
  const sections = new Map<string, Section>();
  let name: string | undefined;
  let lines: string[] = [];
  const finish = (code: string | undefined): void => {
    if (name === undefined) return;
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    sections.set(name, { body: lines.join('\n'), rc: code });
    name = undefined;
    lines = [];
  };
  for (const line of stdout.split('\n')) {
    const start = START.exec(line);
    if (start !== null) {
      finish(undefined);
      name = start[1];
      continue;
    }
    const end = END.exec(line);
    if (end !== null && end[1] === name) {
      finish(end[2]);
      continue;
    }
    if (name !== undefined) lines.push(line);
  }
  finish(undefined);
  return sections;
}
