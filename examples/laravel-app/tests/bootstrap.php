<?php

/*
 * PHPUnit bootstrap: Composer's autoloader (which falls back to Debian's
 * Laravel offline, see bootstrap/offline-autoload.php) plus the Tests\
 * namespace, which `composer dump-autoload` without a lock file leaves out.
 */

require __DIR__.'/../vendor/autoload.php';

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Tests\\')) {
        $file = __DIR__.'/'.str_replace('\\', '/', substr($class, 6)).'.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
