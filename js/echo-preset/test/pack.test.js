import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

it('npm pack ships only the code, the types, the README and the manifest', { timeout: 120_000 }, async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
    cwd: root,
    timeout: 110_000,
    maxBuffer: 8 << 20,
  });
  const [pack] = JSON.parse(stdout);
  const shipped = pack.files.map((f) => f.path).sort();
  const sources = readdirSync(join(root, 'src')).map((name) => `src/${name}`);
  const expected = ['README.md', 'index.d.ts', 'package.json', ...sources].sort();
  assert.deepEqual(shipped, expected);
  assert.ok(sources.every((path) => path.endsWith('.js') && !path.includes('test')), 'src holds only library code');
});

it('the manifest declares an ESM package without side effects and with types', () => {
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.exports['.'].types, './index.d.ts');
  assert.equal(manifest.exports['.'].default, './src/index.js');
  assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), ['laravel-echo', 'pusher-js']);
  assert.equal(manifest.engines.node, '>=20');
  for (const target of [manifest.exports['.'].types, manifest.exports['.'].default]) {
    assert.ok(readFileSync(join(root, target), 'utf8').length > 0, target);
  }
});

it('imports without touching globals', async () => {
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  await import('@pogo/echo-preset');
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
  assert.deepEqual(added, []);
});
