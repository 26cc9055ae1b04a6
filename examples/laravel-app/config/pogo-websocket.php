<?php

return [

    /*
    |--------------------------------------------------------------------------
    | Broadcasting connection
    |--------------------------------------------------------------------------
    |
    | The name of the connection in config/broadcasting.php that uses the
    | `pogo` driver. The auth routes and the webhook route use its app id,
    | key and secret. Channel callbacks (routes/channels.php) are registered
    | on the default connection, so BROADCAST_CONNECTION should be `pogo`.
    |
    */

    'connection' => env('POGO_BROADCAST_CONNECTION', 'pogo'),

    /*
    |--------------------------------------------------------------------------
    | HTTP API fallback
    |--------------------------------------------------------------------------
    |
    | Outside FrankenPHP (artisan, queue workers, php-fpm, tests) the native
    | pogo_websocket_broadcast_multi() function does not exist, so events are
    | POSTed to the signed Pusher HTTP API of the Pogo server instead. These
    | values apply when the broadcasting connection does not set host, port,
    | scheme or timeout itself. Timeout is in seconds.
    |
    */

    'api' => [
        'scheme' => env('POGO_API_SCHEME', 'http'),
        'host' => env('POGO_API_HOST', '127.0.0.1'),
        'port' => (int) env('POGO_API_PORT', 8080),
        'timeout' => (float) env('POGO_API_TIMEOUT', 5),
        // Base64 of 32 random bytes; only needed for private-encrypted-* channels.
        'encryption_master_key' => env('POGO_ENCRYPTION_MASTER_KEY'),
    ],

    /*
    |--------------------------------------------------------------------------
    | Auth routes
    |--------------------------------------------------------------------------
    |
    | POST /{prefix}/auth signs private, encrypted and presence channel
    | subscriptions; POST /{prefix}/user-auth signs pusher:signin. The Pogo
    | module forwards these requests to the auth worker. The `web` group gives
    | them sessions and CSRF; add `auth` or `auth:sanctum` as you need.
    |
    */

    'routes' => [
        'enabled' => true,
        'prefix' => env('POGO_ROUTE_PREFIX', 'pogo'),
        'middleware' => ['web'],
    ],

    /*
    |--------------------------------------------------------------------------
    | Webhooks
    |--------------------------------------------------------------------------
    |
    | The Pogo server POSTs hub events (channel occupied/vacated, member
    | added/removed, client events, cache misses, subscription counts) to this
    | path, signed with POGO_WEBHOOK_SECRET. Each event becomes a Laravel event
    | in Pogo\WebSocket\Events. The route must stay outside the CSRF-protected
    | `web` group. Requests whose time_ms is further than `tolerance` seconds
    | from now are rejected; bodies above `max_body` bytes get 413.
    |
    */

    'webhook' => [
        'enabled' => true,
        'path' => env('POGO_WEBHOOK_PATH', 'pogo/webhook'),
        'secret' => env('POGO_WEBHOOK_SECRET'),
        'middleware' => [],
        'tolerance' => (int) env('POGO_WEBHOOK_TOLERANCE', 300),
        'max_body' => 1048576,
    ],

];
