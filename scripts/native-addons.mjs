// Rebuilds the optional native addons of our dependencies for the Node that runs patchward.
//
// `npm ci` runs each dependency's install script with the npm that started it, which on this
// machine (and on most Debian hosts) is the system Node 20. ssh2's crypto binding and
// cpu-features were therefore compiled for Node 20's ABI: under Node 24 (the `node` devDependency,
// our runtime) they fail to load and ssh2 silently falls back to its JavaScript path, which creates
// one OpenSSL cipher object per packet (AES-GCM). This script runs as the root package's
// `postinstall`, after every dependency is installed, when node_modules/.bin (Node 24) is first on
// the PATH: it rebuilds both addons with node-gyp against Node 24's own headers (shipped in the
// node-<platform>-<arch> package, so nothing is downloaded) and then loads them to prove it.
//
// Both addons are optional for their packages: when a build is impossible (no compiler, no
// headers) it says so and exits 0, and ssh2 keeps working on its JavaScript path, only slower.
// test/unit/runtime.test.ts fails when the binding does not load, so CI notices.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (text) => process.stdout.write(`native-addons: ${text}\n`);

/** A directory holding include/node/node_version.h of exactly this Node, or undefined. */
function nodeHeadersDir() {
  const candidates = [
    resolve(dirname(process.execPath), '..'),
    join(root, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'include', 'node', 'node_version.h')));
}

/** npm tells its scripts where its bundled node-gyp is; otherwise the one on the PATH. */
function nodeGypCommand() {
  const bundled = process.env.npm_config_node_gyp;
  if (bundled !== undefined && existsSync(bundled)) return [process.execPath, bundled];
  return ['node-gyp'];
}

/** Whether the addon loads in a fresh Node (this process may hold an old copy of it already). */
function loads(path) {
  return spawnSync(process.execPath, ['-e', 'require(process.argv[1])', path], { stdio: 'ignore' }).status === 0;
}

const ADDONS = [
  {
    name: 'ssh2 crypto binding',
    dir: join(root, 'node_modules', 'ssh2', 'lib', 'protocol', 'crypto'),
    binary: join(root, 'node_modules', 'ssh2', 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node'),
    args: [`--real_openssl_major=${/^\d+/.exec(process.versions.openssl)?.[0] ?? '3'}`],
  },
  {
    name: 'cpu-features',
    dir: join(root, 'node_modules', 'cpu-features'),
    binary: join(root, 'node_modules', 'cpu-features', 'build', 'Release', 'cpufeatures.node'),
    args: [],
  },
];

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  say(
    `running on Node ${process.version}, not the project's Node 24: nothing rebuilt (run 'npm ci' again once node_modules/.bin/node exists)`,
  );
  process.exit(0);
}
const headers = nodeHeadersDir();
for (const addon of ADDONS) {
  if (!existsSync(addon.dir)) continue;
  if (loads(addon.binary)) {
    say(`${addon.name}: already built for Node ${process.version}`);
    continue;
  }
  if (headers === undefined) {
    say(`${addon.name}: no headers of Node ${process.version} found; ssh2 falls back to JavaScript crypto (slower)`);
    continue;
  }
  if (addon.name === 'cpu-features') {
    // Its own install script writes buildcheck.gypi first (which CPU-feature sources to compile).
    const check = spawnSync(process.execPath, ['buildcheck.js'], { cwd: addon.dir, encoding: 'utf8' });
    if (check.status !== 0) {
      say(`${addon.name}: buildcheck failed; left as it is`);
      continue;
    }
    writeFileSync(join(addon.dir, 'buildcheck.gypi'), check.stdout);
  }
  const [program, ...prefix] = nodeGypCommand();
  const result = spawnSync(program, [...prefix, 'rebuild', `--target=${process.version}`, `--nodedir=${headers}`, ...addon.args], {
    cwd: addon.dir,
    encoding: 'utf8',
    // npm exports its own config to scripts, and Debian's npm sets nodedir=/usr (the system
    // Node's headers), which node-gyp prefers over --nodedir: point it at Node 24's.
    env: { ...process.env, npm_config_nodedir: headers },
  });
  if (result.status === 0 && loads(addon.binary)) say(`${addon.name}: rebuilt for Node ${process.version}`);
  else
    say(
      `${addon.name}: rebuild for Node ${process.version} failed (${(result.stderr || result.stdout || String(result.error)).trim().split('\n').slice(-3).join(' / ')})`,
    );
}
