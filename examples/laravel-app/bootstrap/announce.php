<?php

/*
 * Loaded by Composer's autoloader (composer.json "autoload.files"): when the
 * FrankenPHP application worker starts, log once per server process where
 * to open the example. Does nothing in artisan, in the auth worker or in
 * classic (non-worker) requests.
 *
 * Several app worker threads start at once; the first to take a
 * non-blocking lock on a file named after this process (in the system's
 * temporary directory) prints, and keeps the lock until the process ends,
 * so the line appears once per server.
 */

if (PHP_SAPI === 'frankenphp'
    && isset($_SERVER['FRANKENPHP_WORKER'])
    && basename((string) ($_SERVER['SCRIPT_FILENAME'] ?? '')) === 'frankenphp-worker.php') {
    (static function (): void {
        $handle = @fopen(sys_get_temp_dir().'/pogo-example-'.getmypid().'.lock', 'c');
        if ($handle === false || ! flock($handle, LOCK_EX | LOCK_NB)) {
            return;
        }
        $GLOBALS['__pogo_example_announce_lock'] = $handle;
        $port = getenv('POGO_PORT') ?: '8080';
        error_log("Pogo WebSocket example is ready: open http://localhost:{$port} in two browser tabs and log in as Alice and Bob.");
    })();
}
