import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../../../../helpers/state-store-child.js', import.meta.url));

export interface ChildEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** A real child process (recorded in `spawned`, for the test's clean-up) running `test/helpers/state-store-child.ts`, with its events as they come. */
export class StateProcess {
  readonly child: ChildProcess;
  readonly #events: ChildEvent[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';

  constructor(args: readonly string[], spawned: StateProcess[]) {
    spawned.push(this);
    this.child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString('utf8');
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.#events.push(JSON.parse(line) as ChildEvent);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** The first event of the child (fails when it exits without one). */
  async next(): Promise<ChildEvent> {
    for (;;) {
      const event = this.#events.shift();
      if (event !== undefined) return event;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`child exited (${this.child.exitCode ?? this.child.signalCode}) without an event; stderr: ${this.#stderr}`);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** SIGKILL (no clean-up of any kind in the child) and wait for it to be gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
