// The example app's own PHPUnit feature tests (examples/laravel-app/tests),
// run here so that `go tool mage e2e:test` covers the whole example: they
// need no server, only PHP, phpunit and the offline autoloader.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { APP_DIR, ensureAutoloader } from './lib/app.mjs';

const run = promisify(execFile);

it('passes the example app\'s PHPUnit suite', { timeout: 120_000 }, async () => {
  await ensureAutoloader();
  try {
    const { stdout } = await run('phpunit', ['--colors=never'], { cwd: APP_DIR, timeout: 110_000 });
    assert.match(stdout, /OK \(\d+ tests?/);
  } catch (err) {
    assert.fail(`phpunit failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
});
