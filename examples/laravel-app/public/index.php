<?php

/*
 * Classic front controller (php-fpm, `php -S`, FrankenPHP without workers).
 * Under the example's Caddyfile, public/frankenphp-worker.php serves instead.
 */

use Illuminate\Contracts\Http\Kernel;
use Illuminate\Http\Request;

define('LARAVEL_START', microtime(true));

require __DIR__.'/../vendor/autoload.php';

$app = require_once __DIR__.'/../bootstrap/app.php';

$kernel = $app->make(Kernel::class);

$response = $kernel->handle($request = Request::capture())->send();

$kernel->terminate($request, $response);
