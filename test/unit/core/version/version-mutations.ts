/**
 * Tricky variants of real versions for property and oracle tests: pre-release `~`, `+`/`^`
 * suffixes, leading zeros, digit runs beyond 2^64, epochs added, dropped or bumped, revisions and
 * releases dropped or appended, case and separator changes. Each mutation is a pure function of the
 * version and a choice number; results that fail the scheme's grammar fall back to the input.
 */
import fc from 'fast-check';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import type { VersionSchemeId } from '../../../../controller/ports/version-scheme.js';

type Mutation = (version: string, choice: number) => string;

const BIG_RUNS = ['18446744073709551616', '18446744073709551615', '9007199254740993', '99999999999999999999', '000000000000000000001'];

function pick<T>(items: readonly T[], choice: number): T {
  const item = items[choice % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** [start, end) of every maximal digit run. */
function digitRuns(version: string): [number, number][] {
  const runs: [number, number][] = [];
  for (const match of version.matchAll(/[0-9]+/g)) runs.push([match.index, match.index + match[0].length]);
  return runs;
}

function splitEpoch(version: string): { epoch: string | undefined; rest: string } {
  const match = /^([0-9]+):(.*)$/s.exec(version);
  return match === null ? { epoch: undefined, rest: version } : { epoch: match[1], rest: match[2] ?? '' };
}

const COMMON: readonly Mutation[] = [
  (v, c) => v + pick(['~', '~~', '~rc1', '~~a', '~0'], c),
  (v, c) => {
    const runs = digitRuns(v);
    if (runs.length === 0) return v;
    const [start] = pick(runs, c);
    return `${v.slice(0, start)}${'0'.repeat(1 + (c % 3))}${v.slice(start)}`;
  },
  (v, c) => {
    const runs = digitRuns(v);
    if (runs.length === 0) return v;
    const [start, end] = pick(runs, c);
    return `${v.slice(0, start)}${pick(BIG_RUNS, c >> 3)}${v.slice(end)}`;
  },
  (v, c) => {
    const { epoch, rest } = splitEpoch(v);
    switch (c % 4) {
      case 0:
        return `0:${rest}`;
      case 1:
        return rest;
      case 2:
        return `${epoch === undefined ? 1 : Number(epoch) + 1}:${rest}`;
      default:
        return `${pick(['1', '2', '01', '10'], c >> 2)}:${rest}`;
    }
  },
  (v, c) => {
    const letters = [...v.matchAll(/[a-z]/g)];
    if (letters.length === 0) return `${v}${pick(['a', 'A', '.1', 'z'], c)}`;
    const at = pick(letters, c).index;
    return `${v.slice(0, at)}${v.charAt(at).toUpperCase()}${v.slice(at + 1)}`;
  },
  (v, c) => v + pick(['a', 'A', '.1', '.0', '1', 'z9'], c),
  (v) => v,
];

const DPKG: readonly Mutation[] = [
  (v, c) => v + pick(['+', '+dfsg', '+really1.0', '+b1', '.1', '+deb12u1'], c),
  (v, c) => (v.includes('-') ? v.slice(0, v.lastIndexOf('-')) : `${v}-${pick(['0', '1', '0ubuntu1', '1~bpo12+1'], c)}`),
  (v, c) => {
    const { epoch, rest } = splitEpoch(v);
    const head = epoch === undefined ? '' : `${epoch}:`;
    return `${head}${rest.replace(/-([^-]*)$/, `-${pick(['1', '2'], c)}-$1`)}`;
  },
  (v, c) => (v.includes(':') && c % 2 === 0 ? v.replace(/^(\d+:[0-9][^-]*)/, '$1:1') : `1:${v.replace(/^\d+:/, '')}`),
];

const RPM: readonly Mutation[] = [
  (v, c) => v + pick(['^', '^1', '^git20200101', '+1', '.alma', '.alma.1', '_4'], c),
  (v, c) => (v.includes('-') ? v.slice(0, v.indexOf('-')) : `${v}-${pick(['1', '1.el9', '1.el9_4', '0.1.rc1.el8'], c)}`),
  (v, c) => {
    const dots = [...v.matchAll(/\./g)];
    if (dots.length === 0) return v;
    const at = pick(dots, c).index;
    return `${v.slice(0, at)}${pick(['_', '+', '..', ''], c >> 2)}${v.slice(at + 1)}`;
  },
  (v, c) => v.replace(/\.el(\d+)/, pick(['.el$1_4', '.el$1.alma', '.module_el$1.10.0+3862+c5a22a8d'], c)),
];

export function mutationsFor(scheme: VersionSchemeId): readonly Mutation[] {
  return [...COMMON, ...(scheme === 'dpkg' ? DPKG : RPM)];
}

/** Applies mutation `kind` with `choice`; keeps the input when the result is not a valid version. */
export function mutate(scheme: VersionSchemeId, version: string, kind: number, choice: number): string {
  const mutations = mutationsFor(scheme);
  const mutated = pick(mutations, kind)(version, choice);
  return versionSchemeFor(scheme).isValidVersion(mutated) ? mutated : version;
}

/** A real version from `pool`, mutated zero to three times. */
export function versionArbitrary(scheme: VersionSchemeId, pool: readonly string[]): fc.Arbitrary<string> {
  const steps = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 });
  return fc
    .tuple(fc.constantFrom(...pool), steps)
    .map(([version, edits]) => edits.reduce((current, [kind, choice]) => mutate(scheme, current, kind, choice), version));
}

/** A variant that compares equal to `version`: `0:` epoch, a leading zero, `-0` or `_` for `.`. */
export function equalVariant(scheme: VersionSchemeId, version: string, choice: number): string {
  const runs = digitRuns(version);
  let variant = version;
  switch (choice % 3) {
    case 0:
      variant = version.includes(':') ? version.replace(/^(\d+):/, '0$1:') : `0:${version}`;
      break;
    case 1: {
      const run = runs.length === 0 ? undefined : pick(runs, choice >> 2);
      if (run !== undefined) variant = `${version.slice(0, run[0])}0${version.slice(run[0])}`;
      break;
    }
    default:
      if (scheme === 'dpkg') variant = version.includes('-') ? version : `${version}-0`;
      else variant = version.replace('.', '_');
  }
  return versionSchemeFor(scheme).isValidVersion(variant) ? variant : version;
}

/**
 * Three related versions: one real version and mutations of it, so that equal and near-equal
 * versions (the interesting cases for transitivity) come up often.
 */
export function relatedTripleArbitrary(scheme: VersionSchemeId, pool: readonly string[]): fc.Arbitrary<[string, string, string]> {
  const base = versionArbitrary(scheme, pool);
  return base.chain((root) => {
    const near = versionArbitrary(scheme, [root]);
    const equal = fc.nat().map((choice) => equalVariant(scheme, root, choice));
    return fc.tuple(fc.oneof(near, fc.constant(root)), fc.oneof(near, equal), fc.oneof(near, equal, base));
  });
}
