import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeRunDir, stopAllRecorded, unmountUnder } from './host-runtime.js';
import { isAlive, readProcessRecord } from './os-process.js';

/** What the exit hook needs of a fleet: a synchronous SIGKILL of its recorded hosts. */
export interface KillableFleet {
  killNow(): void;
}

/** Stops whatever a (possibly crashed) earlier fleet left in runDir and removes it. */
export async function cleanRunDir(runDir: string): Promise<void> {
  if (!existsSync(runDir)) return;
  await stopAllRecorded(runDir);
  await unmountUnder(runDir);
  await removeRunDir(runDir);
}

/*
 * Fleets of this process that die with it (stopOnExit). This mirrors real OS state (hosts this
 * process started, by recorded PIDs): on exit, and on SIGINT/SIGTERM/SIGHUP when nobody else
 * handles them, their hosts get SIGKILL. A run dir of such a fleet carries owner.pid, so a later
 * startHosts reaps fleets whose owner died without running the hook (kill -9).
 */
const liveFleets = new Set<KillableFleet>();
let exitHookInstalled = false;
export function killOnExit(fleet: KillableFleet): void {
  liveFleets.add(fleet);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const live of liveFleets) live.killNow();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal); // the default action again: this handler was `once`
    });
  }
}

/** A fleet that was stopped: nothing left for the exit hook to kill. */
export function forgetOnExit(fleet: KillableFleet): void {
  liveFleets.delete(fleet);
}

export const OWNER_FILE = 'owner.pid';
export const TEMP_PREFIX = 'patchward-sandbox-';

/** Stops and removes default (temp) run dirs whose owning process is gone: leftovers of killed test runs. */
export async function reapAbandonedFleets(): Promise<string[]> {
  const reaped: string[] = [];
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const runDir = join(tmpdir(), entry);
    const owner = readProcessRecord(join(runDir, OWNER_FILE));
    if (owner === undefined || isAlive(owner)) continue;
    await cleanRunDir(runDir);
    reaped.push(runDir);
  }
  return reaped;
}
