/**
 * Benchmark: assess 10,000 hosts × ~1,500 packages against EVERY advisory fixture record.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/assess/run.js [--hosts 10000] [--packages 1500]
 *
 * Hosts are synthetic but built from real data: Debian 12 images take real (package, version,
 * source, source version) rows of the bookworm index, AlmaLinux 8/9/10 images take real rpm names
 * and real `fixed` EVRs of the advisories, the Ubuntu image is the real jammy manifest. Some
 * packages are moved down to a real older version (another advisory's fixed version of the same
 * package) so that hosts have findings. Like a fleet built from a few images, a share of hosts
 * keep their image's package set exactly; the others differ in 1–5 packages. Package objects and
 * unchanged arrays are shared between hosts, as an inventory loader would intern them.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { AdvisoryIndex } from '../../controller/core/advisory/advisory-index.js';
import { assess } from '../../controller/core/assess/assess.js';
import type { HostInventory, InstalledPackage } from '../../controller/core/inventory/host-inventory.js';
import { versionSchemeFor } from '../../controller/core/version/index.js';
import { FIXTURES, loadBundledAdvisories } from '../../test/helpers/bundled-advisories.js';
import { host } from '../../test/helpers/host-inventory-builders.js';

const TARGETS = { assessMs: 2000, buildMs: 5000, rssBytes: 1024 ** 3 };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? undefined : Number(process.argv[i + 1]);
  return value === undefined || Number.isNaN(value) ? fallback : value;
}

/** Deterministic PRNG (mulberry32), so every run builds the same fleet. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function shuffled<T>(rand: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

interface Image {
  readonly name: string;
  readonly release: string;
  readonly family: 'debian' | 'rhel';
  readonly packages: readonly InstalledPackage[];
  /** Per package index: real alternative versions for variations. */
  readonly alternatives: ReadonlyMap<number, readonly string[]>;
}

function fixedVersions(index: AdvisoryIndex, release: string, name: string): string[] {
  const scheme = versionSchemeFor(release.startsWith('debian') || release.startsWith('ubuntu') ? 'dpkg' : 'rpm');
  const versions = new Set<string>();
  for (const entry of index.lookup(release, name)) if (entry.fixed !== undefined) versions.add(entry.fixed);
  return [...versions].sort((a, b) => scheme.compare(a, b));
}

async function debianImages(index: AdvisoryIndex, count: number, size: number, rand: () => number): Promise<Image[]> {
  const text = gunzipSync(await readFile(`${FIXTURES}inventories/bookworm-packages-index.tsv.gz`)).toString('utf8');
  const rows = new Map<string, { version: string; arch: string; source: string; sourceVersion: string }>();
  for (const line of text.split('\n').slice(1)) {
    const [suite, name, version, arch, source, sourceVersion] = line.split('\t');
    if (
      suite !== 'bookworm' ||
      name === undefined ||
      version === undefined ||
      arch === undefined ||
      source === undefined ||
      sourceVersion === undefined
    )
      continue;
    if (!rows.has(name)) rows.set(name, { version, arch, source, sourceVersion });
  }
  const names = [...rows.keys()];
  const advised = names.filter((name) => index.lookup('debian-12', rows.get(name)?.source ?? '').length > 0);
  const plain = names.filter((name) => index.lookup('debian-12', rows.get(name)?.source ?? '').length === 0);
  const images: Image[] = [];
  for (let n = 0; n < count; n += 1) {
    const chosen = [...shuffled(rand, advised).slice(0, Math.min(400, Math.floor(size / 4))), ...shuffled(rand, plain)]
      .slice(0, size)
      .sort();
    const alternatives = new Map<number, readonly string[]>();
    const packages = chosen.map((name, i) => {
      const row = rows.get(name);
      if (row === undefined) throw new Error(name);
      const older = fixedVersions(index, 'debian-12', row.source).filter((v) => versionSchemeFor('dpkg').compare(v, row.sourceVersion) < 0);
      if (older.length > 0) alternatives.set(i, older);
      const downgrade = older.length > 0 && rand() < 0.3;
      const sourceVersion = downgrade ? pick(rand, older) : row.sourceVersion;
      const version = downgrade ? sourceVersion : row.version;
      return Object.freeze({ name, version, arch: row.arch, source: row.source, sourceVersion });
    });
    images.push({ name: `debian-12-image-${n}`, release: 'debian-12', family: 'debian', packages, alternatives });
  }
  return images;
}

function almaImage(index: AdvisoryIndex, major: number, size: number, rand: () => number): Image {
  const release = `almalinux-${major}`;
  const names = [...(index.release(release)?.packages.keys() ?? [])].sort();
  const chosen = shuffled(rand, names).slice(0, size).sort();
  const alternatives = new Map<number, readonly string[]>();
  const packages = chosen.map((name, i) => {
    const versions = fixedVersions(index, release, name);
    alternatives.set(i, versions);
    // Mostly the newest real fixed version (patched); 15% an older real fixed version (behind).
    const behind = versions.length > 1 && rand() < 0.15;
    const version = (behind ? versions[Math.floor(rand() * (versions.length - 1))] : versions[versions.length - 1]) ?? '0-0';
    return Object.freeze({ name, version, arch: 'x86_64' });
  });
  return { name: `almalinux-${major}-image`, release, family: 'rhel', packages, alternatives };
}

async function ubuntuImage(): Promise<Image> {
  const text = await readFile(`${FIXTURES}inventories/ubuntu-jammy-oci-amd64-20220801.manifest.tsv`, 'utf8');
  const sources: Record<string, string> = { libc6: 'glibc', 'libc-bin': 'glibc', libssl3: 'openssl' };
  const packages = text
    .trim()
    .split('\n')
    .map((line) => {
      const [qualified = '', version = ''] = line.split('\t');
      const [name = '', arch = 'amd64'] = qualified.split(':');
      const source = sources[name];
      return Object.freeze({ name, version, arch, ...(source === undefined ? {} : { source }) });
    });
  return { name: 'ubuntu-jammy-oci', release: 'ubuntu-22.04', family: 'debian', packages, alternatives: new Map() };
}

function buildFleet(
  images: readonly Image[],
  weights: readonly number[],
  hosts: number,
  identicalShare: number,
  rand: () => number,
): HostInventory[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const fleet: HostInventory[] = [];
  for (let h = 0; h < hosts; h += 1) {
    let r = rand() * total;
    let which = 0;
    while (which < images.length - 1 && r >= (weights[which] ?? 0)) r -= weights[which++] ?? 0;
    const image = images[which] as Image;
    if (rand() < identicalShare || image.alternatives.size === 0) {
      fleet.push(host(`host-${h}`, image.release, image.packages));
      continue;
    }
    const packages = [...image.packages];
    const changeable = [...image.alternatives.keys()];
    const changes = 1 + Math.floor(rand() * 5);
    for (let c = 0; c < changes; c += 1) {
      const i = pick(rand, changeable);
      const base = packages[i] as InstalledPackage;
      const version = pick(rand, image.alternatives.get(i) ?? [base.version]);
      packages[i] = Object.freeze(image.family === 'debian' ? { ...base, version, sourceVersion: version } : { ...base, version });
    }
    fleet.push(host(`host-${h}`, image.release, packages));
  }
  return fleet;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  const hostCount = option('hosts', 10_000);
  const size = option('packages', 1500);
  const identicalShare = option('identical', 0.4);
  const loaded = await loadBundledAdvisories();
  const { index } = loaded;
  const rand = random(20261121);
  const images = [
    ...(await debianImages(index, 4, size, rand)),
    almaImage(index, 8, size, rand),
    almaImage(index, 9, size, rand),
    almaImage(index, 10, size, rand),
    await ubuntuImage(),
  ];
  const weights = [0.15, 0.15, 0.1, 0.1, 0.15, 0.2, 0.1, 0.05];
  const fleet = buildFleet(images, weights, hostCount, identicalShare, rand);
  const packageCount = fleet.reduce((sum, host) => sum + (host.packages?.length ?? 0), 0);
  globalThis.gc?.();

  const started = performance.now();
  const result = assess(fleet, index, { approvals: [] }, { now: new Date('2026-11-21T00:00:00Z') });
  const assessMs = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;

  const identical = fleet.length - new Set(fleet.map((host) => host.packages)).size;
  const lines = [
    `advisory records: ${index.stats.records} loaded (${loaded.batches.reduce((s, b) => s + b.skipped.length, 0)} skipped at the edge), ${index.stats.advisories} advisories, ${index.stats.entries} entries, ${index.stats.rejectedEntries} entries rejected, ${index.stats.superseded} superseded, ${index.stats.withdrawn} withdrawn`,
    `fleet: ${fleet.length} hosts from ${images.length} images (${images.map((image) => `${image.name}:${image.packages.length}`).join(', ')}), ${packageCount.toLocaleString('en')} installed packages`,
    `fleet shape: ${identical} hosts (${((identical / fleet.length) * 100).toFixed(0)}%) reuse an image's exact package list; the others differ from their image in 1–5 packages; distinct package sets assessed: ${result.summary.distinctPackageSets}`,
    `findings: ${result.summary.findings.toLocaleString('en')} missing fixes; states ${JSON.stringify(result.summary.byState)}`,
    `load (read + parse + ajv): ${loaded.timings.loadMs.toFixed(0)} ms`,
    `index build: ${loaded.timings.buildMs.toFixed(0)} ms (target < ${TARGETS.buildMs} ms: ${(loaded.timings.buildMs / TARGETS.buildMs).toFixed(2)}× of target)`,
    `assess: ${assessMs.toFixed(0)} ms for ${fleet.length} hosts = ${Math.round(fleet.length / (assessMs / 1000)).toLocaleString('en')} hosts/s (target < ${TARGETS.assessMs} ms: ${(assessMs / TARGETS.assessMs).toFixed(2)}× of target)`,
    `peak RSS: ${mib(peakRss)} (target < 1024 MiB: ${(peakRss / TARGETS.rssBytes).toFixed(2)}× of target)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
