<?php

return [

    /*
    |--------------------------------------------------------------------------
    | Views
    |--------------------------------------------------------------------------
    |
    | Blade templates in resources/views, compiled into VIEW_COMPILED_PATH
    | (default storage/framework/views).
    |
    */

    'paths' => [resource_path('views')],

    'compiled' => env('VIEW_COMPILED_PATH', realpath(storage_path('framework/views')) ?: storage_path('framework/views')),

];
