<?php

namespace Pogo\WebSocket\Tests\Feature;

use Illuminate\Config\Repository;
use Illuminate\Foundation\Application;
use Illuminate\Support\Facades\Facade;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Console\InstallCommand;
use Symfony\Component\Console\Tester\CommandTester;

/**
 * pogo:ws-install on a scratch Laravel app directory in a temp dir.
 */
final class InstallCommandTest extends TestCase
{
    private string $base;

    protected function setUp(): void
    {
        $this->base = sys_get_temp_dir().'/pogo-install-'.bin2hex(random_bytes(6));
        mkdir($this->base.'/config', 0755, true);
        mkdir($this->base.'/resources/js', 0755, true);
        mkdir($this->base.'/public', 0755, true);
        file_put_contents($this->base.'/config/broadcasting.php', <<<'PHP'
<?php

return [
    'default' => env('BROADCAST_DRIVER', 'null'),
    'connections' => [
        'log' => [
            'driver' => 'log',
        ],
    ],
];
PHP);
        file_put_contents($this->base.'/config/app.php', "<?php\n\nreturn [\n    'providers' => [\n        App\\Providers\\AuthServiceProvider::class,\n        // App\\Providers\\BroadcastServiceProvider::class,\n    ],\n];\n");
        file_put_contents($this->base.'/.env', "APP_NAME=Demo\nBROADCAST_DRIVER=log\nWS_APP_ID=my-app\n");
        file_put_contents($this->base.'/.env.example', "APP_NAME=Laravel\nBROADCAST_DRIVER=log\n");
        file_put_contents($this->base.'/resources/js/bootstrap.js', "import axios from 'axios';\nwindow.axios = axios;\n");
    }

    protected function tearDown(): void
    {
        exec('rm -rf '.escapeshellarg($this->base));
        Facade::clearResolvedInstances();
    }

    /** Run the command and return [exit code, output]. */
    private function install(array $options = []): array
    {
        $app = new Application($this->base);
        $app->instance('config', new Repository([]));
        $command = new InstallCommand();
        $command->setLaravel($app);
        $tester = new CommandTester($command);
        $code = $tester->execute($options);

        return [$code, $tester->getDisplay()];
    }

    /** Laravel < 11 reads BROADCAST_DRIVER and registers providers in config/app.php. */
    private function legacy(): bool
    {
        return version_compare(Application::VERSION, '11.0.0', '<');
    }

    private function read(string $relative): string
    {
        return (string) file_get_contents($this->base.'/'.$relative);
    }

    /** @return array<string, string> relative path => sha1 of every file */
    private function snapshot(): array
    {
        $out = [];
        $it = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($this->base, \FilesystemIterator::SKIP_DOTS));
        foreach ($it as $file) {
            $out[substr($file->getPathname(), strlen($this->base) + 1)] = sha1_file($file->getPathname());
        }
        ksort($out);

        return $out;
    }

    public function test_first_run_configures_the_app(): void
    {
        [$code, $output] = $this->install();

        $this->assertSame(0, $code);
        $env = $this->read('.env');
        $this->assertStringContainsString("WS_APP_ID=my-app\n", $env, 'existing value kept');
        $this->assertStringNotContainsString('WS_APP_ID=pogo-app', $env);
        $this->assertStringContainsString($this->legacy() ? "BROADCAST_DRIVER=pogo\n" : "BROADCAST_DRIVER=log\n", $env);
        $this->assertStringContainsString("BROADCAST_CONNECTION=pogo\n", $env);
        $this->assertMatchesRegularExpression('/^WS_APP_SECRET=[0-9a-f]{64}$/m', $env);
        $this->assertMatchesRegularExpression('/^POGO_WEBHOOK_SECRET=[0-9a-f]{64}$/m', $env);
        preg_match('/^WS_APP_SECRET=(.*)$/m', $env, $a);
        preg_match('/^POGO_WEBHOOK_SECRET=(.*)$/m', $env, $w);
        $this->assertNotSame($a[1], $w[1]);
        $this->assertStringContainsString("VITE_POGO_APP_KEY=\"\${WS_APP_ID}\"\nVITE_POGO_HOST=localhost\nVITE_POGO_PORT=8080\nVITE_POGO_WSS_PORT=443\n", $env);
        $this->assertStringStartsWith("APP_NAME=Demo\nBROADCAST_DRIVER=".($this->legacy() ? 'pogo' : 'log')."\nWS_APP_ID=my-app\n", $env);

        $example = $this->read('.env.example');
        $this->assertStringContainsString("WS_APP_ID=pogo-app\nWS_APP_SECRET=\nPOGO_WEBHOOK_SECRET=\n", $example);
        $this->assertStringContainsString($this->legacy() ? "BROADCAST_DRIVER=pogo\n" : "BROADCAST_DRIVER=log\n", $example);

        $this->assertStringContainsString('created   Caddyfile', $output);
        if ($this->legacy()) {
            $this->assertStringContainsString('updated   .env BROADCAST_DRIVER', $output);
        }
        $this->assertStringContainsString('unchanged .env WS_APP_ID  (kept)', $output);
        $this->assertStringContainsString('Pogo WebSocket installed.', $output);
    }

    public function test_broadcasting_config_gets_the_seed_connection_and_stays_valid_php(): void
    {
        $this->install();

        $config = require $this->base.'/config/broadcasting.php';
        $this->assertSame(['driver' => 'pogo', 'app_id' => null, 'secret' => null], $config['connections']['pogo']);
        $this->assertSame(['driver' => 'log'], $config['connections']['log']);
        $this->assertStringContainsString("'app_id' => env('WS_APP_ID'),", $this->read('config/broadcasting.php'));
        $provider = $this->legacy() ? '' : '// ';
        $this->assertStringContainsString("        {$provider}App\\Providers\\BroadcastServiceProvider::class,\n", $this->read('config/app.php'));
    }

    public function test_missing_broadcasting_config_is_created(): void
    {
        unlink($this->base.'/config/broadcasting.php');

        [, $output] = $this->install();

        $config = require $this->base.'/config/broadcasting.php';
        $this->assertSame('pogo', $config['connections']['pogo']['driver']);
        $this->assertStringContainsString('created   config/broadcasting.php', $output);
    }

    public function test_server_files_and_workers(): void
    {
        $this->install();

        $caddy = $this->read('Caddyfile');
        $this->assertStringContainsString('order pogo_websocket before php_server', $caddy);
        $this->assertStringContainsString('file public/frankenphp-worker.php', $caddy);
        $this->assertStringContainsString('auth_script websocket/auth-worker.php', $caddy);
        $this->assertStringContainsString('@pogo path /app/* /apps/* /pogo/*', $caddy);
        $this->assertStringNotContainsString('public/websocket-worker.php', $caddy);
        $this->assertFileDoesNotExist($this->base.'/public/websocket-worker.php');

        foreach (['public/frankenphp-worker.php', 'websocket/auth-worker.php'] as $worker) {
            $this->assertStringContainsString('frankenphp_handle_request(', $this->read($worker));
            exec(escapeshellarg(PHP_BINARY).' -l '.escapeshellarg($this->base.'/'.$worker).' 2>&1', $lint, $status);
            $this->assertSame(0, $status, implode("\n", $lint));
        }
        $this->assertSame($this->read('config/pogo-websocket.php'), file_get_contents(__DIR__.'/../../config/pogo-websocket.php'));
    }

    public function test_echo_setup_is_written_and_imported(): void
    {
        $this->install();

        $echo = $this->read('resources/js/echo.js');
        $this->assertStringContainsString("import { pogoEchoOptions } from '@pogo/echo-preset'", $echo);
        $this->assertStringContainsString('window.Echo = new Echo(pogoEchoOptions({ Pusher }, import.meta.env))', $echo);
        $this->assertStringEndsWith("\n\nimport './echo';\n", $this->read('resources/js/bootstrap.js'));
    }

    public function test_second_run_changes_nothing(): void
    {
        $this->install();
        $before = $this->snapshot();

        [$code, $output] = $this->install();

        $this->assertSame(0, $code);
        $this->assertSame($before, $this->snapshot());
        $this->assertStringNotContainsString('created', $output);
        $this->assertStringNotContainsString('updated', $output);
        $this->assertStringContainsString('nothing changed', $output);
    }

    public function test_modified_files_are_kept_without_force_and_replaced_with_it(): void
    {
        $this->install();
        $env = $this->read('.env');
        file_put_contents($this->base.'/Caddyfile', ":9000 {\n}\n");

        [, $output] = $this->install();
        $this->assertSame(":9000 {\n}\n", $this->read('Caddyfile'));
        $this->assertStringContainsString('skipped   Caddyfile  (exists and differs; use --force to replace)', $output);

        [, $output] = $this->install(['--force' => true]);
        $this->assertStringContainsString('pogo_websocket', $this->read('Caddyfile'));
        $this->assertStringContainsString('updated   Caddyfile', $output);
        $this->assertSame($env, $this->read('.env'), '--force never replaces secrets or values');
    }

    public function test_no_js_prints_the_echo_setup(): void
    {
        [, $output] = $this->install(['--no-js' => true]);

        $this->assertFileDoesNotExist($this->base.'/resources/js/echo.js');
        $this->assertStringContainsString("import { pogoEchoOptions } from '@pogo/echo-preset'", $output);
        $this->assertStringNotContainsString("import './echo'", $this->read('resources/js/bootstrap.js'));
    }

    public function test_empty_secret_is_filled_but_a_set_one_is_kept(): void
    {
        file_put_contents($this->base.'/.env', "WS_APP_SECRET=\nPOGO_WEBHOOK_SECRET=keep-me\n");

        $this->install();

        $env = $this->read('.env');
        $this->assertMatchesRegularExpression('/^WS_APP_SECRET=[0-9a-f]{64}$/m', $env);
        $this->assertStringContainsString("POGO_WEBHOOK_SECRET=keep-me\n", $env);
    }

    public function test_laravel_11_bootstrap_without_channels_gets_a_note_and_is_not_edited(): void
    {
        mkdir($this->base.'/bootstrap');
        $bootstrap = "<?php\nreturn Application::configure(basePath: dirname(__DIR__))->create();\n";
        file_put_contents($this->base.'/bootstrap/app.php', $bootstrap);
        $files = new \Pogo\WebSocket\Install\AppFiles($this->base, dirname(__DIR__, 2));
        $report = new \Pogo\WebSocket\Install\Report();

        $files->checkChannelsRoute($report);

        $this->assertSame($bootstrap, $this->read('bootstrap/app.php'));
        $this->assertSame('bootstrap/app.php', $report->lines()[0]['subject']);
        $this->assertStringContainsString('withBroadcasting', $report->lines()[0]['note']);

        file_put_contents($this->base.'/bootstrap/app.php', "<?php\n// ->withRouting(channels: __DIR__.'/../routes/channels.php')\n");
        $report = new \Pogo\WebSocket\Install\Report();
        $files->checkChannelsRoute($report);
        $this->assertSame([], $report->lines());
    }

    public function test_missing_env_file_is_created(): void
    {
        unlink($this->base.'/.env');

        [, $output] = $this->install();

        $this->assertMatchesRegularExpression('/^WS_APP_SECRET=[0-9a-f]{64}$/m', $this->read('.env'));
        $this->assertStringContainsString('created   .env', $output);
    }
}
