// Compiles test-support/types/usage.ts against index.d.ts, laravel-echo and
// pusher-js. Needs TypeScript: resolvable from this package, or a tsc path in
// POGO_TSC (e.g. after `npm install --prefix /tmp/tsc typescript`); skipped otherwise.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTsc() {
  if (process.env.POGO_TSC) return process.env.POGO_TSC;
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const tsc = findTsc();

it(
  'index.d.ts type-checks with laravel-echo and pusher-js',
  { skip: tsc ? false : 'TypeScript not installed (set POGO_TSC to a tsc binary)', timeout: 180_000 },
  async () => {
    const project = join(root, 'test-support/types/tsconfig.json');
    try {
      await promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: root, timeout: 170_000 });
    } catch (err) {
      throw new Error(`tsc reported errors:\n${err.stdout}${err.stderr}`, { cause: err });
    }
  },
);
