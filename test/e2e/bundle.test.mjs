// The committed bundle examples/laravel-app/public/build/app.js must be what
// `npm run build:example` makes from resources/js today: a fresh checkout
// serves it without building, so a stale bundle would hide source changes.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, APP_DIR } from './lib/app.mjs';

const run = promisify(execFile);
const COMMITTED = join(APP_DIR, 'public', 'build', 'app.js');

it('has a committed bundle identical to a fresh npm run build:example', { timeout: 60_000 }, async () => {
  const script = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts['build:example'];
  assert.match(script, /^esbuild .* --outfile=examples\/laravel-app\/public\/build\/app\.js$/);
  const dir = mkdtempSync(join(tmpdir(), 'pogo-bundle-'));
  try {
    const out = join(dir, 'app.js');
    const args = script.split(' ').slice(1).map((a) => (a.startsWith('--outfile=') ? `--outfile=${out}` : a));
    await run(join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [...args, '--log-level=warning'], { cwd: REPO_ROOT });
    assert.ok(readFileSync(out).equals(readFileSync(COMMITTED)),
      'public/build/app.js is stale: run `npm run build:example` and commit the result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
