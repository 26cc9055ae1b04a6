<?php
// FrankenPHP worker: boots once, then serves requests in a loop.
// GET /            -> a page that subscribes with pusher-js and can publish
// POST /publish    -> publishes through the native pogo_websocket_publish()
// GET /status.json -> ZTS and worker facts (used by the tests)

$boot = bin2hex(random_bytes(4));
$served = 0;

$handler = static function () use ($boot, &$served): void {
    $served++;
    $path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
    if ($path === '/status.json') {
        header('Content-Type: application/json');
        echo json_encode([
            'zts' => PHP_ZTS === 1,
            'boot' => $boot,
            'pid' => getmypid(),
            'served' => $served,
            'extension' => extension_loaded('pogo_websocket'),
        ]);
        return;
    }
    if ($path === '/publish' && $_SERVER['REQUEST_METHOD'] === 'POST') {
        $text = (string) ($_POST['text'] ?? 'hello');
        $status = pogo_websocket_publish('pogo-app', 'quickstart', 'message', json_encode(['text' => $text, 'at' => date('c')]));
        header('Content-Type: application/json');
        echo json_encode(['status' => $status]);
        return;
    }
    require __DIR__ . '/../page.php';
};

while (frankenphp_handle_request($handler)) {
    gc_collect_cycles();
}
