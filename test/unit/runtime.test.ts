/**
 * The runtime the tests, the demo and CI run on: Node 24 LTS (issue 9; Node 20 reached end of life
 * on 2026-04-30). npm puts node_modules/.bin first on the PATH of `npm test`, where the `node`
 * devDependency provides Node 24 whatever the system Node is.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

describe('runtime', () => {
  it('is Node 24 or later', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.ok(
      major >= 24,
      `running on Node ${process.version}; run the tests with 'npm test' so that the node devDependency (Node 24) is used`,
    );
  });

  it("is the Node that package.json's engines field asks for", () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    assert.equal(manifest.engines.node, '>=24');
    assert.match(process.version, /^v2[4-9]\.|^v[3-9][0-9]\./);
  });

  it("loads ssh2's native crypto binding (built for this Node by scripts/native-addons.mjs)", () => {
    // Built for another Node's ABI (npm runs dependencies' install scripts with the system Node),
    // the binding fails to load and ssh2 silently encrypts every packet through its JavaScript path.
    const require = createRequire(import.meta.url);
    const crypto = require('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
    assert.equal(
      crypto.bindingAvailable,
      true,
      "ssh2's crypto binding does not load on this Node: run 'npm ci' again (postinstall rebuilds it)",
    );
  });
});
