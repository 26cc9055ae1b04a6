<?php

/*
 * Benchmark: latency of the Laravel auth routes through the real FrankenPHP
 * auth worker (fresh application per request, as the generated
 * websocket/auth-worker.php does), and of a native broadcast from the app
 * worker, on the scratch app of the integration tests.
 *
 *   php bench/auth-latency.php [requests=200]
 *
 * Needs bin/frankenphp (go tool mage build) or POGO_FRANKENPHP_BIN.
 * Prints count, mean, p50, p95 and p99 in milliseconds. Sequential requests
 * over new connections; numbers depend on the machine and its load.
 */

use Pogo\WebSocket\Tests\Support\FrankenPhpApp;

require __DIR__.'/../tests/bootstrap.php';

$n = max(1, (int) ($argv[1] ?? 200));
if (FrankenPhpApp::binary() === null) {
    fwrite(STDERR, "no FrankenPHP build: run `go tool mage build` or set POGO_FRANKENPHP_BIN\n");
    exit(2);
}

/** Time $n calls of $call (after 10 warm-up calls) and print the distribution. */
function measure(string $label, int $n, callable $call): void
{
    for ($i = 0; $i < 10; $i++) {
        $call();
    }
    $samples = [];
    for ($i = 0; $i < $n; $i++) {
        $t = hrtime(true);
        $call();
        $samples[] = (hrtime(true) - $t) / 1e6;
    }
    sort($samples);
    $pick = fn (float $q) => $samples[min($n - 1, (int) floor($q * $n))];
    printf("%-28s n=%d mean=%.2fms p50=%.2fms p95=%.2fms p99=%.2fms\n",
        $label, $n, array_sum($samples) / $n, $pick(0.50), $pick(0.95), $pick(0.99));
}

$app = new FrankenPhpApp();
try {
    [$client, $socketId] = $app->connect();
    $expect = function (array $result) {
        if ($result[0] !== 200) {
            throw new RuntimeException('unexpected answer: '.json_encode($result));
        }
    };

    measure('POST /pogo/auth (private)', $n, fn () => $expect($app->request('POST', '/pogo/auth',
        ['socket_id' => $socketId, 'channel_name' => 'private-orders.1'], ['X-Test-User' => '42'])));
    measure('POST /pogo/auth (presence)', $n, fn () => $expect($app->request('POST', '/pogo/auth',
        ['socket_id' => $socketId, 'channel_name' => 'presence-room'], ['X-Test-User' => '42'])));
    measure('POST /pogo/user-auth', $n, fn () => $expect($app->request('POST', '/pogo/user-auth',
        ['socket_id' => $socketId], ['X-Test-User' => '42'])));
    measure('POST /broadcast (native)', $n, fn () => $expect($app->request('POST', '/broadcast',
        ['channel' => 'news', 'event' => 'Bench', 'payload' => '{"n":1}'])));
    $client->close();
} finally {
    $app->stop();
}
