<?php

namespace Tests\Feature;

use Pogo\WebSocket\PogoServiceProvider;
use ReflectionClass;
use Tests\TestCase;

/**
 * The files `php artisan pogo:ws-install` generated are committed unchanged
 * (docs/example.md): when the package's stubs change, rerun the installer
 * with --force and restore the Caddyfile's `example:` edits.
 */
final class InstalledFilesTest extends TestCase
{
    /** @return array<string, array{string, string}> app file => package file */
    public static function files(): array
    {
        return [
            'app worker' => ['public/frankenphp-worker.php', 'stubs/frankenphp-worker.php.stub'],
            'auth worker' => ['websocket/auth-worker.php', 'stubs/auth-worker.php.stub'],
            'echo setup' => ['resources/js/echo.js', 'stubs/echo.js.stub'],
            'config' => ['config/pogo-websocket.php', 'config/pogo-websocket.php'],
        ];
    }

    /** @dataProvider files */
    public function test_generated_file_matches_the_package(string $appFile, string $packageFile): void
    {
        $package = dirname((new ReflectionClass(PogoServiceProvider::class))->getFileName(), 2);

        $this->assertFileEquals($package.'/'.$packageFile, base_path($appFile));
    }

    public function test_the_caddyfile_keeps_the_generated_shape(): void
    {
        $caddyfile = file_get_contents(base_path('Caddyfile'));

        foreach ([
            'file public/frankenphp-worker.php',
            'order pogo_websocket before php_server',
            '@pogo path /app/* /apps/* /pogo/*',
            'auth_script websocket/auth-worker.php',
            'app_secret {$WS_APP_SECRET}',
            'webhook_secret {$POGO_WEBHOOK_SECRET}',
            'index frankenphp-worker.php',
        ] as $line) {
            $this->assertStringContainsString($line, $caddyfile);
        }
        $this->assertStringContainsString(':{$POGO_PORT:8080} {', $caddyfile);
        $this->assertStringNotContainsString('redis_host 127', preg_replace('/^\s*#.*$/m', '', $caddyfile), 'the example uses the in-memory broker');
    }
}
