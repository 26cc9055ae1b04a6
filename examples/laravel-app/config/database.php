<?php

return [

    /*
    |--------------------------------------------------------------------------
    | Database
    |--------------------------------------------------------------------------
    |
    | One SQLite file, used only by the `database` queue (the jobs tables).
    | Create it with `touch storage/app/database.sqlite && php artisan
    | migrate --force`; DB_DATABASE moves it (the end-to-end test does).
    |
    */

    'default' => env('DB_CONNECTION', 'sqlite'),

    'connections' => [
        'sqlite' => [
            'driver' => 'sqlite',
            'database' => env('DB_DATABASE', storage_path('app/database.sqlite')),
            'prefix' => '',
            'foreign_key_constraints' => true,
        ],
    ],

    'migrations' => 'migrations',

];
