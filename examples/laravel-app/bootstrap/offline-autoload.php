<?php

/*
 * Loaded by Composer's autoloader (composer.json "autoload.files").
 *
 * With a normal `composer install` (laravel/framework and pogo/websocket in
 * vendor/) this file does nothing. In the offline setup of the Pogo
 * repository, vendor/ holds only the autoloader made by
 * `composer dump-autoload`; then Laravel comes from Debian's
 * php-laravel-framework package (/usr/share/php) and pogo/websocket from its
 * source folder next to this example (the path repository in composer.json).
 */

if (! class_exists(Illuminate\Foundation\Application::class)) {
    if (! is_file('/usr/share/php/Illuminate/autoload.php')) {
        throw new RuntimeException('Laravel is not installed: run `composer install` (or install Debian\'s php-laravel-framework).');
    }

    // Debian's autoloaders require their neighbours relative to the include path.
    set_include_path(get_include_path().PATH_SEPARATOR.'/usr/share/php');
    require_once '/usr/share/php/Illuminate/autoload.php';
    if (is_file('/usr/share/php/GuzzleHttp/autoload.php')) {
        require_once '/usr/share/php/GuzzleHttp/autoload.php';
    }

    // Laravel 8.83 predates PHP 8.2 and raises dynamic-property deprecations of its own.
    error_reporting(E_ALL & ~E_DEPRECATED);
}

if (! class_exists(Pogo\WebSocket\PogoServiceProvider::class)) {
    $pogoSource = dirname(__DIR__, 3).'/php/pogo-websocket/src/';

    spl_autoload_register(static function (string $class) use ($pogoSource): void {
        $prefix = 'Pogo\\WebSocket\\';
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $pogoSource.str_replace('\\', '/', substr($class, strlen($prefix))).'.php';
            if (is_file($file)) {
                require $file;
            }
        }
    });
}
