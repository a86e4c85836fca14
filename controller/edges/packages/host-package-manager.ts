import type { RebootState } from '../../core/inventory/host-inventory.js';
import type { PackageVersion, Transaction } from '../../core/transaction/transaction.js';
import { err, ok, StalledError, type Result } from '../../errors.js';
import type {
  ApplyOptions,
  ApplyOutcome,
  CheckedApplyOutcome,
  CommandOptions,
  FactsOptions,
  HostFacts,
  HostPackageState,
  PackageCommandFailure,
  PackageDbRefusal,
  PackageManager,
  PackageManagerId,
} from '../../ports/package-manager.js';
import type { CommandResult, Transport } from '../../ports/transport.js';
import { quoteArgv } from '../transport/quote.js';
import { aptFamily } from './apt/apt-family.js';
import { collectHostFacts, runThenCollectFacts } from './collect-facts.js';
import { dnfFamily } from './dnf/dnf-family.js';
import { outputTail, type PackageFamily } from './package-family.js';

const FAMILIES: Readonly<Record<PackageManagerId, PackageFamily>> = Object.freeze({ apt: aptFamily, dnf: dnfFamily });

/** The family table of a package manager id. */
export function packageFamilyFor(id: PackageManagerId): PackageFamily {
  return FAMILIES[id];
}

/**
 * The command line a person runs on the host to reinstall exactly these versions (the rollback
 * command printed with each host's outcome), quoted by the one quoting function.
 */
export function reinstallCommandLine(id: PackageManagerId, previous: readonly PackageVersion[]): string {
  return quoteArgv(FAMILIES[id].manualInstallArgv(previous));
}

/** Builds the `PackageManager` of a host whose family is known (from its inventory or os-release). */
export function packageManagerFor(id: PackageManagerId, transport: Transport): PackageManager {
  return new HostPackageManager(FAMILIES[id], transport);
}

function failure(reason: PackageCommandFailure['reason'], result: CommandResult | undefined, message: string): PackageCommandFailure {
  return { reason, exitCode: result?.exitCode ?? -1, message, output: result === undefined ? '' : outputTail(result) };
}

/**
 * The ONE implementation of the `PackageManager` port: the control flow of every step, the same
 * for every family; the family table (`apt/apt-family.ts`, `dnf/dnf-family.ts`) says which argv to
 * run and how to read its output. Every argv goes to the transport, whose one quoting function
 * (`edges/transport/quote.ts`) turns it into a command line.
 */
export class HostPackageManager implements PackageManager {
  readonly id: PackageManagerId;
  readonly #family: PackageFamily;
  readonly #transport: Transport;

  constructor(family: PackageFamily, transport: Transport) {
    this.id = family.id;
    this.#family = family;
    this.#transport = transport;
  }

  collectFacts(options: FactsOptions): Promise<HostFacts> {
    return collectHostFacts(this.#transport, { ...options, packageManager: this.id });
  }

  async readState(options: CommandOptions & { readonly lockWaitSeconds: number }): Promise<Result<HostPackageState, PackageDbRefusal>> {
    const facts = await this.collectFacts({
      pendingUpgrades: false,
      refresh: false,
      timeoutMs: options.timeoutMs,
      sudo: options.sudo,
      lockWaitSeconds: options.lockWaitSeconds,
    });
    const locks = facts.packageDb.problems.filter((problem) => problem.kind === 'lock-held');
    if (locks.length > 0)
      return err({
        reason: 'lock-held',
        problems: locks,
        message: `package lock still held after ${options.lockWaitSeconds} s: ${locks.map((lock) => lock.path).join(', ')}`,
      });
    if (!facts.packageDb.healthy)
      return err({
        reason: 'broken-db',
        problems: facts.packageDb.problems,
        message: `package database needs repair: ${facts.packageDb.problems.map((problem) => problem.detail).join('; ')}`,
      });
    return ok({ os: facts.os, bootId: facts.bootId, kernel: facts.kernel, packages: facts.packages, reboot: facts.reboot });
  }

  async refreshMetadata(
    options: CommandOptions & { readonly refreshTimeoutSeconds: number },
  ): Promise<Result<void, PackageCommandFailure>> {
    const seconds = Math.max(1, Math.ceil(options.refreshTimeoutSeconds));
    const result = await this.#run(this.#family.refreshArgv(seconds), options);
    if (result.exitCode === 0) return ok(undefined);
    const timedOut = result.exitCode === 124;
    return err(
      failure(
        'refresh-failed',
        result,
        timedOut ? `metadata refresh did not finish within ${seconds} s` : `metadata refresh exited ${result.exitCode}`,
      ),
    );
  }

  async simulate(targets: readonly PackageVersion[], options: ApplyOptions): Promise<Result<Transaction, PackageCommandFailure>> {
    const invalid = this.#invalidTargets(targets);
    if (invalid !== undefined) return err(invalid);
    const result = await this.#run(this.#family.installArgv(targets, this.#installOptions(options, true)), options);
    if (!this.#family.isSimulationDone(result))
      return err(failure(this.#family.classifyFailure(result), result, `simulation exited ${result.exitCode}`));
    return ok(this.#family.parseTransaction(result.stdout));
  }

  async apply(targets: readonly PackageVersion[], options: ApplyOptions): Promise<Result<ApplyOutcome, PackageCommandFailure>> {
    const invalid = this.#invalidTargets(targets);
    if (invalid !== undefined) return err(invalid);
    // ONE remote call: the install, then the facts as it left the host (what `verify` checks).
    return this.#installThenReadBack(this.#family.installArgv(targets, this.#installOptions(options, false)), options);
  }

  async checkedApply(
    targets: readonly PackageVersion[],
    options: ApplyOptions,
    accept: (transaction: Transaction) => boolean,
  ): Promise<CheckedApplyOutcome> {
    const gate = this.#family.gatedInstall;
    if (gate === undefined) {
      // No gate in this family: simulate, let the caller decide, then install. Removals only when
      // the accepted simulation had some (where the family can forbid them, as apt's --no-remove).
      const simulated = await this.simulate(targets, options);
      if (!simulated.ok) return { kind: 'failed', stage: 'simulation', failure: simulated.error };
      if (!accept(simulated.value)) return { kind: 'refused', transaction: simulated.value };
      const applied = await this.apply(targets, { ...options, allowRemovals: simulated.value.removals.length > 0 });
      if (!applied.ok) return { kind: 'failed', stage: 'install', failure: applied.error };
      return { kind: 'applied', transaction: simulated.value, outcome: applied.value };
    }
    const invalid = this.#invalidTargets(targets);
    if (invalid !== undefined) return { kind: 'failed', stage: 'install', failure: invalid };
    let shown: Transaction | undefined;
    let accepted = false;
    const applied = await this.#installThenReadBack(gate.argv(targets, this.#installOptions(options, false)), options, (output) => {
      shown = gate.transaction(output);
      if (shown === undefined) return undefined;
      accepted = accept(shown);
      return accepted ? 'install\n' : 'refuse\n';
    });
    if (shown !== undefined && !accepted) return { kind: 'refused', transaction: shown };
    if (!applied.ok) return { kind: 'failed', stage: 'install', failure: applied.error };
    return { kind: 'applied', transaction: shown, outcome: applied.value };
  }

  /** Runs an install and reads the host back in the same remote call (`after`); `reply` converses with it. */
  async #installThenReadBack(
    argv: readonly string[],
    options: ApplyOptions,
    reply?: (stdoutSoFar: string) => string | undefined,
  ): Promise<Result<ApplyOutcome, PackageCommandFailure>> {
    const { command: result, facts } = await runThenCollectFacts(
      this.#transport,
      argv,
      { pendingUpgrades: false, refresh: false, packageManager: this.id, timeoutMs: options.timeoutMs, sudo: options.sudo },
      reply,
    );
    if (result.exitCode !== 0) return err(failure(this.#family.classifyFailure(result), result, `install exited ${result.exitCode}`));
    return ok({
      exitCode: result.exitCode,
      output: outputTail(result),
      durationMs: result.durationMs,
      ...(facts === undefined ? {} : { after: facts }),
    });
  }

  async installedVersions(names: readonly string[], options: CommandOptions): Promise<readonly PackageVersion[]> {
    if (names.length === 0) return [];
    this.#checkNames(names);
    const result = await this.#run(this.#family.installedArgv(names), options);
    return this.#family.parseInstalled(result.stdout);
  }

  async offeredVersions(names: readonly string[], options: CommandOptions): Promise<readonly PackageVersion[]> {
    if (names.length === 0) return [];
    this.#checkNames(names);
    const result = await this.#run(this.#family.offeredArgv(names), options);
    return this.#family.parseOffered(result.stdout);
  }

  async rebootRequired(options: CommandOptions): Promise<RebootState> {
    const facts = await this.collectFacts({ pendingUpgrades: false, refresh: false, timeoutMs: options.timeoutMs, sudo: options.sudo });
    return facts.reboot;
  }

  #run(argv: readonly string[], options: CommandOptions): Promise<CommandResult> {
    return this.#transport.run(argv, { timeoutMs: options.timeoutMs, sudo: options.sudo });
  }

  #installOptions(options: ApplyOptions, simulate: boolean) {
    return {
      simulate,
      lockTimeoutSeconds: Math.max(0, Math.ceil(options.lockTimeoutSeconds)),
      allowDowngrades: options.allowDowngrades === true,
      // A simulation must show removals (to name them); an apply must not make unchecked ones.
      allowRemovals: simulate || options.allowRemovals === true,
    };
  }

  /** Names and versions outside the family's grammar never reach a command line. */
  #invalidTargets(targets: readonly PackageVersion[]): PackageCommandFailure | undefined {
    if (targets.length === 0) return failure('invalid-request', undefined, 'no packages to install');
    const bad = targets.filter(
      (target) => !this.#family.scheme.isValidPackageName(target.name) || !this.#family.scheme.isValidVersion(target.version),
    );
    if (bad.length === 0) return undefined;
    return failure(
      'invalid-request',
      undefined,
      `not a valid ${this.#family.scheme.id} package name or version: ${bad.map((target) => JSON.stringify(`${target.name} ${target.version}`)).join(', ')}`,
    );
  }

  #checkNames(names: readonly string[]): void {
    const bad = names.filter((name) => !this.#family.scheme.isValidPackageName(name));
    if (bad.length > 0)
      throw new StalledError(
        'InvalidPackageName',
        `not a valid ${this.#family.scheme.id} package name: ${bad.map((name) => JSON.stringify(name)).join(', ')}`,
      );
  }
}
