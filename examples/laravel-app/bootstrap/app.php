<?php

/*
 * Creates the application (Laravel 8-10 structure, which Laravel 11 and 12
 * still run): HTTP kernel, console kernel and exception handler.
 *
 * Without a .env file the app reads .env.example, so a fresh checkout runs
 * as it is: the secrets come from the process environment (the run command
 * sets WS_APP_SECRET and POGO_WEBHOOK_SECRET for FrankenPHP and Laravel alike),
 * and variables of the process environment always win over the file.
 */

$app = new Illuminate\Foundation\Application(
    $_ENV['APP_BASE_PATH'] ?? dirname(__DIR__)
);

if (! is_file($app->environmentPath().'/.env')) {
    $app->loadEnvironmentFrom('.env.example');
}

$app->singleton(Illuminate\Contracts\Http\Kernel::class, App\Http\Kernel::class);
$app->singleton(Illuminate\Contracts\Console\Kernel::class, App\Console\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, App\Exceptions\Handler::class);

return $app;
