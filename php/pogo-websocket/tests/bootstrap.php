<?php

/*
 * Test bootstrap: Composer's autoloader for the package, plus Debian's
 * system-wide Laravel and Guzzle autoloaders when vendor/ has no Laravel
 * (the offline setup: `composer dump-autoload` only).
 */

error_reporting(E_ALL);

require __DIR__.'/../vendor/autoload.php';

// Composer without a lock file dumps no autoload-dev entries, so map the
// test namespace here as well.
spl_autoload_register(static function (string $class): void {
    $prefix = 'Pogo\\WebSocket\\Tests\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__.'/'.str_replace('\\', '/', substr($class, strlen($prefix))).'.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

if (! class_exists(\Illuminate\Foundation\Application::class)) {
    require '/usr/share/php/Illuminate/autoload.php';

    // Debian's Laravel 8.83 predates PHP 8.2 and triggers dynamic-property
    // deprecations of its own; keep every other error level.
    error_reporting(E_ALL & ~E_DEPRECATED);
}

if (! class_exists(\GuzzleHttp\Client::class) && is_file('/usr/share/php/GuzzleHttp/autoload.php')) {
    require '/usr/share/php/GuzzleHttp/autoload.php';
}
