import assert from 'node:assert/strict';
import type { CommandResult, RunOptions, Transport } from '../../controller/ports/transport.js';

/** One expected call: which argv (exact, or a predicate), and what it answers or throws. */
export interface ExpectedCall {
  readonly argv: readonly string[] | ((argv: readonly string[]) => boolean);
  readonly sudo?: boolean;
  readonly reply: Partial<CommandResult> | Error;
  /** Resolve only after this promise (to test timeouts and concurrency). */
  readonly gate?: Promise<void>;
}

/**
 * A scripted `Transport` (STYLE.md §8): calls must come in order and match; an unexpected call
 * fails (and is remembered even if the code under test swallows the error), and `assertDone()`
 * fails when an expected call was never made.
 */
export class FakeTransport implements Transport {
  readonly host: string;
  readonly calls: { argv: readonly string[]; options: RunOptions }[] = [];
  readonly #expected: ExpectedCall[];
  readonly #failures: string[] = [];
  closed = 0;

  constructor(host: string, expected: readonly ExpectedCall[]) {
    this.host = host;
    this.#expected = [...expected];
  }

  async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    this.calls.push({ argv, options });
    const next = this.#expected.shift();
    if (next === undefined) {
      this.#failures.push(`unexpected call ${JSON.stringify(argv)}`);
      assert.fail(`FakeTransport(${this.host}): unexpected call ${JSON.stringify(argv)}`);
    }
    const matches = typeof next.argv === 'function' ? next.argv(argv) : JSON.stringify(next.argv) === JSON.stringify(argv);
    if (!matches) {
      this.#failures.push(`call ${JSON.stringify(argv)} does not match`);
      assert.fail(`FakeTransport(${this.host}): call ${JSON.stringify(argv).slice(0, 200)} does not match the expected one`);
    }
    if (next.sudo !== undefined && next.sudo !== (options.sudo ?? false)) {
      this.#failures.push(`sudo ${String(options.sudo)} expected ${String(next.sudo)}`);
      assert.fail(`FakeTransport(${this.host}): sudo ${String(options.sudo)}, expected ${String(next.sudo)}`);
    }
    if (next.gate !== undefined) await next.gate;
    if (next.reply instanceof Error) throw next.reply;
    return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, ...next.reply };
  }

  async close(): Promise<void> {
    this.closed++;
  }

  /** Fails on unused expectations and on any unexpected call seen earlier. */
  assertDone(): void {
    assert.deepEqual(this.#failures, [], `FakeTransport(${this.host}) saw bad calls`);
    assert.equal(this.#expected.length, 0, `FakeTransport(${this.host}): ${this.#expected.length} expected call(s) never made`);
  }
}

/** Builds the stdout of the facts script from sections (name → [body, rc]). */
export function factsOutput(sections: Readonly<Record<string, readonly [string, string]>>): string {
  return Object.entries(sections)
    .map(([name, [body, rc]]) => `\n@@patchward:${name}@@\n${body}\n@@patchward-rc:${name}:${rc}@@\n`)
    .join('');
}
