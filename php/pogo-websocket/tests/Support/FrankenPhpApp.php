<?php

namespace Pogo\WebSocket\Tests\Support;

use Illuminate\Config\Repository;
use Illuminate\Foundation\Application;
use Pogo\WebSocket\Console\InstallCommand;
use RuntimeException;
use Symfony\Component\Console\Tester\CommandTester;

/**
 * A scratch application installed by pogo:ws-install and served by the real
 * FrankenPHP build (bin/frankenphp or $POGO_FRANKENPHP_BIN) on a free
 * loopback port: the generated Caddyfile, worker scripts, .env and config,
 * with Laravel from Debian's packages and tests/fixtures/laravel-app/app.php
 * as bootstrap/app.php.
 */
final class FrankenPhpApp
{
    /** Application directory. */
    public readonly string $base;

    /** HTTP port of the site. */
    public int $port;

    /** The FrankenPHP process. */
    private ProcessServer $server;

    /** Return the FrankenPHP binary with the module, or null when none was built. */
    public static function binary(): ?string
    {
        $env = getenv('POGO_FRANKENPHP_BIN');
        if ($env !== false && $env !== '') {
            return $env;
        }
        $root = GoServer::repoRoot();

        return $root !== null && is_executable($root.'/bin/frankenphp') ? $root.'/bin/frankenphp' : null;
    }

    /**
     * Install and start the app. With $webhooks the module posts webhooks to
     * the app's /pogo/webhook; $shutdownTimeout replaces the generated 10s.
     */
    public function __construct(bool $webhooks = false, string $shutdownTimeout = '10s')
    {
        $binary = self::binary() ?? throw new RuntimeException('no FrankenPHP build');
        $this->base = sys_get_temp_dir().'/pogo-fapp-'.bin2hex(random_bytes(6));
        $template = $this->scaffold($webhooks, $shutdownTimeout);

        // A port found free can be taken by another process before FrankenPHP binds it:
        // then FrankenPHP exits, or /ready answers for another directory; try another port.
        for ($attempt = 1; $attempt <= 5; $attempt++) {
            $this->port = ProcessServer::freePort();
            file_put_contents($this->base.'/Caddyfile', str_replace('__PORT__', (string) $this->port, $template));
            $this->server = new ProcessServer(
                [$binary, 'run', '--config', 'Caddyfile', '--envfile', '.env'],
                ['XDG_CONFIG_HOME' => $this->base.'/storage', 'XDG_DATA_HOME' => $this->base.'/storage'],
                $this->base,
            );
            if ($this->server->waitForProbe("http://127.0.0.1:{$this->port}/ready", json_encode(['base' => $this->base]), 90.0)) {
                return;
            }
            $this->server->stop();
            if (! str_contains($this->server->stderr(), 'address already in use')) {
                break;
            }
        }

        $stderr = $this->server->stderr();
        exec('rm -rf '.escapeshellarg($this->base));

        throw new RuntimeException('FrankenPHP did not start: '.$stderr);
    }

    /** Stop FrankenPHP and delete the directory. */
    public function stop(): void
    {
        $this->server->stop();
        exec('rm -rf '.escapeshellarg($this->base));
    }

    /** Return what FrankenPHP wrote to stderr (last 4 KiB). */
    public function stderr(): string
    {
        return $this->server->stderr();
    }

    /** Read a value from the installed .env. */
    public function env(string $key): string
    {
        preg_match('/^'.preg_quote($key, '/').'=(.*)$/m', (string) file_get_contents($this->base.'/.env'), $m);

        return $m[1] ?? '';
    }

    /**
     * Send an HTTP request; returns [status, decoded JSON body or raw text] (status 0 when unreachable).
     *
     * @return array{int, mixed}
     */
    public function request(string $method, string $path, array $form = [], array $headers = []): array
    {
        $headers += ['Accept' => 'application/json', 'Content-Type' => 'application/x-www-form-urlencoded'];
        $lines = array_map(fn ($k, $v) => "{$k}: {$v}", array_keys($headers), $headers);
        $context = stream_context_create(['http' => [
            'method' => $method, 'header' => implode("\r\n", $lines), 'content' => http_build_query($form),
            'ignore_errors' => true, 'timeout' => 30,
        ]]);
        $body = @file_get_contents("http://127.0.0.1:{$this->port}{$path}", false, $context);
        if ($body === false) {
            return [0, null];
        }
        $status = (int) explode(' ', $http_response_header[0])[1];

        return [$status, json_decode($body, true) ?? $body];
    }

    /** Open a WebSocket client on the app key; returns [client, socket id]. */
    public function connect(): array
    {
        $client = new WebSocketClient('127.0.0.1', $this->port, '/app/'.$this->env('WS_APP_ID').'?protocol=7&client=php-test&version=1.0');

        return [$client, $client->socketId()];
    }

    /** Install into the scratch directory; return the Caddyfile with __PORT__ for the loopback port. */
    private function scaffold(bool $webhooks, string $shutdownTimeout): string
    {
        foreach (['bootstrap', 'storage', 'vendor'] as $dir) {
            mkdir($this->base.'/'.$dir, 0755, true);
        }
        $app = new Application($this->base);
        $app->instance('config', new Repository([]));
        $command = new InstallCommand();
        $command->setLaravel($app);
        (new CommandTester($command))->execute(['--no-js' => true]);

        $bootstrap = var_export(realpath(__DIR__.'/../bootstrap.php'), true);
        file_put_contents($this->base.'/vendor/autoload.php',
            "<?php\nset_include_path(get_include_path().PATH_SEPARATOR.'/usr/share/php');\nrequire {$bootstrap};\n");
        copy(__DIR__.'/../fixtures/laravel-app/app.php', $this->base.'/bootstrap/app.php');

        $caddy = (string) file_get_contents($this->base.'/Caddyfile');
        $caddy = str_replace("\tfrankenphp {\n", "\tadmin off\n\tfrankenphp {\n\t\tnum_threads 8\n", $caddy);
        $caddy = str_replace(":8080 {\n", "http://127.0.0.1:__PORT__ {\n", $caddy);
        $caddy = str_replace('shutdown_timeout 10s', "shutdown_timeout {$shutdownTimeout}", $caddy);
        if ($webhooks) {
            $caddy = str_replace('# webhook_url http://127.0.0.1:8080/pogo/webhook', 'webhook_url http://127.0.0.1:__PORT__/pogo/webhook', $caddy);
        }

        return $caddy;
    }
}
