<?php

namespace Pogo\WebSocket\Tests\Integration;

use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Tests\Support\GoServer;

/**
 * The Caddyfile written by pogo:ws-install, adapted by the project's own
 * FrankenPHP build (bin/frankenphp from `mage build`, or $POGO_FRANKENPHP_BIN)
 * so every pogo_websocket option in it is checked by the real module.
 * Skipped when no such binary has been built (it needs the ZTS libphp).
 */
final class CaddyfileAdaptTest extends TestCase
{
    /** Return the FrankenPHP binary with the module, or null. */
    private static function binary(): ?string
    {
        $env = getenv('POGO_FRANKENPHP_BIN');
        if ($env !== false && $env !== '') {
            return $env;
        }
        $root = GoServer::repoRoot();

        return $root !== null && is_executable($root.'/bin/frankenphp') ? $root.'/bin/frankenphp' : null;
    }

    public function test_generated_caddyfile_adapts_with_the_module(): void
    {
        $binary = self::binary();
        if ($binary === null) {
            $this->markTestSkipped('No FrankenPHP build with pogo_websocket (run `go tool mage build` or set POGO_FRANKENPHP_BIN).');
        }

        $dir = sys_get_temp_dir().'/pogo-caddy-'.bin2hex(random_bytes(6));
        mkdir($dir);
        copy(__DIR__.'/../../stubs/Caddyfile.stub', $dir.'/Caddyfile');
        file_put_contents($dir.'/.env', "WS_APP_ID=my-app\nWS_APP_SECRET=s3cret\nPOGO_WEBHOOK_SECRET=hook\nVITE_POGO_APP_KEY=\"\${WS_APP_ID}\"\n");

        $cmd = sprintf('cd %s && XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s %s adapt --config Caddyfile --envfile .env 2>&1',
            escapeshellarg($dir), escapeshellarg($dir), escapeshellarg($dir), escapeshellarg($binary));
        exec($cmd, $output, $status);
        exec('rm -rf '.escapeshellarg($dir));

        $this->assertSame(0, $status, implode("\n", $output));
        $json = json_decode((string) end($output), true);
        $this->assertIsArray($json, implode("\n", $output));
        $routes = $json['apps']['http']['servers']['srv0']['routes'];
        $this->assertSame(['/app/*', '/apps/*', '/pogo/*'], $routes[0]['match'][0]['path']);
        $handler = $routes[0]['handle'][0]['routes'][0]['handle'][0];
        $this->assertSame('pogo_websocket', $handler['handler']);
        $this->assertSame('my-app', $handler['app_id']);
        $this->assertSame('s3cret', $handler['app_secret']);
        $this->assertSame('hook', $handler['webhook_secret']);
        $this->assertSame('websocket/auth-worker.php', $handler['auth_script']);
        $this->assertSame([['file_name' => 'public/frankenphp-worker.php']], $json['apps']['frankenphp']['workers']);
    }
}
