<?php

return [

    /*
    |--------------------------------------------------------------------------
    | Default Broadcaster
    |--------------------------------------------------------------------------
    |
    | `pogo` publishes to the Pogo WebSocket server embedded in FrankenPHP:
    | natively from the FrankenPHP workers, through the signed HTTP API from
    | artisan and queue workers.
    |
    */

    'default' => env('BROADCAST_CONNECTION', env('BROADCAST_DRIVER', 'null')),

    /*
    |--------------------------------------------------------------------------
    | Broadcast Connections
    |--------------------------------------------------------------------------
    */

    'connections' => [

        'pogo' => [
            'driver' => 'pogo',
            'app_id' => env('WS_APP_ID'),
            'secret' => env('WS_APP_SECRET'),
        ],

        'log' => [
            'driver' => 'log',
        ],

        'null' => [
            'driver' => 'null',
        ],

    ],

];
