import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ExternalError, StalledError } from '../../../errors.js';
import { STATE_ERROR_CODES } from '../../../ports/state-store.js';
import { writeFileAtomic } from './atomic-file.js';

/** The lock itself: an SQLite database file whose exclusive lock is held while the store is open. */
export const LOCK_FILE = 'lock.db';
/** Who holds the lock (pid, process start time, boot id, host), for messages only. */
export const OWNER_FILE = 'lock-owner.json';

/** The process that holds (or held) a state directory's lock, as recorded in `lock-owner.json`. */
export interface LockOwner {
  readonly format: 1;
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (`/proc/<pid>/stat` field 22). */
  readonly startTime: string;
  readonly bootId: string;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** A held lock; `release` is idempotent. */
export interface StateLock {
  readonly owner: LockOwner;
  release(): void;
}

/**
 * Takes the exclusive lock of a state directory (see ADR 0005). The lock is a POSIX record lock
 * that SQLite takes on `lock.db` (`locking_mode=EXCLUSIVE` + `BEGIN EXCLUSIVE`, no busy wait): the
 * kernel holds it for this process and drops it when the process ends in any way (SIGKILL, crash,
 * power cut), so there is no stale lock to detect and nothing ever breaks a live one. A second
 * opener, in this process or another, fails at once with Stalled `StateLocked` naming the holder
 * from `lock-owner.json` (pid, start time, host), which the holder rewrites after taking the lock.
 */
export async function acquireStateLock(directory: string, now: Date): Promise<StateLock> {
  const path = join(directory, LOCK_FILE);
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(path, { timeout: 0 });
  } catch (cause) {
    throw new ExternalError('filesystem', STATE_ERROR_CODES.io, `cannot open the lock of state directory ${directory}`, {
      cause,
      context: { path },
    });
  }
  try {
    // In exclusive locking mode SQLite keeps the EXCLUSIVE file lock of its first write transaction
    // until the connection closes; the journal stays in memory, so no other file appears.
    database.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY;');
    database.exec(
      'BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY); INSERT OR REPLACE INTO lock (id) VALUES (1); COMMIT;',
    );
  } catch (cause) {
    database.close();
    if (isBusy(cause)) {
      const holder = await readOwner(directory);
      throw new StalledError(
        STATE_ERROR_CODES.locked,
        `state directory ${directory} is in use by another patchward process (${describeOwner(holder)}); ` +
          'two processes must not drive the same state: stop the other one, or give this one another --state',
        { cause, context: { path, holderPid: holder?.pid, holderHost: holder?.hostname } },
      );
    }
    throw new ExternalError('filesystem', STATE_ERROR_CODES.io, `cannot lock state directory ${directory}`, { cause, context: { path } });
  }
  const owner = currentProcessOwner(now);
  try {
    await writeFileAtomic(join(directory, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  } catch (cause) {
    database.close();
    throw new ExternalError('filesystem', STATE_ERROR_CODES.io, `cannot record the lock owner in ${directory}`, { cause });
  }
  let released = false;
  return {
    owner,
    release: () => {
      if (released) return;
      released = true;
      database.close();
    },
  };
}

/** The recorded owner, if readable. Informational: the kernel lock, not this file, decides. */
export async function readOwner(directory: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(directory, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return parsed as LockOwner;
  } catch {
    return undefined;
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  if (owner === undefined) return 'holder not recorded yet';
  const alive = owner.hostname === hostname() ? (isSameProcessAlive(owner) ? ', running' : ', not running any more') : '';
  return `pid ${owner.pid} on ${owner.hostname} since ${owner.since}${alive}`;
}

/** True when `owner.pid` is a live process that started at the recorded time in the recorded boot. */
export function isSameProcessAlive(owner: LockOwner): boolean {
  const stat = processStat(owner.pid);
  return stat !== undefined && stat.startTime === owner.startTime && readBootId() === owner.bootId;
}

function currentProcessOwner(now: Date): LockOwner {
  return {
    format: 1,
    pid: process.pid,
    startTime: processStat(process.pid)?.startTime ?? 'unknown',
    bootId: readBootId(),
    hostname: hostname(),
    since: now.toISOString(),
  };
}

/** Field 22 (starttime) of `/proc/<pid>/stat`; the command name (field 2) may hold spaces and parentheses. */
function processStat(pid: number): { startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19];
    return startTime === undefined ? undefined : { startTime };
  } catch {
    return undefined;
  }
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  // SQLITE_BUSY = 5, SQLITE_LOCKED = 6 (primary result codes; extended codes keep them in the low byte)
  return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}
