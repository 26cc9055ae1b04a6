<?php

namespace Pogo\WebSocket\Tests\Integration;

use Illuminate\Config\Repository;
use Illuminate\Foundation\Application;
use Illuminate\Support\Facades\Facade;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Console\InstallCommand;
use Pogo\WebSocket\Tests\Support\GoServer;
use Pogo\WebSocket\Tests\Support\ProcessServer;
use Pogo\WebSocket\Tests\Support\WebSocketClient;
use Symfony\Component\Console\Tester\CommandTester;

/**
 * End to end inside the real FrankenPHP with the pogo_websocket module and
 * extension: a scratch app installed by pogo:ws-install (its Caddyfile,
 * worker scripts, .env and config), Laravel from Debian's packages. Checks
 * that /pogo/auth runs through the auth worker, that broadcasting from the
 * app worker takes the native path and reaches clients, that native
 * refusals become BroadcastException, and that webhooks come back as
 * Laravel events. Skipped when no FrankenPHP build exists (it needs the
 * ZTS libphp: `go tool mage build`, or POGO_FRANKENPHP_BIN).
 */
final class FrankenPhpAppTest extends TestCase
{
    private string $base;
    private int $port;
    private ProcessServer $server;

    /** @var list<WebSocketClient> */
    private array $clients = [];

    protected function setUp(): void
    {
        $binary = getenv('POGO_FRANKENPHP_BIN') ?: (GoServer::repoRoot() ? GoServer::repoRoot().'/bin/frankenphp' : '');
        if ($binary === '' || ! is_executable($binary)) {
            $this->markTestSkipped('No FrankenPHP build with pogo_websocket (run `go tool mage build` or set POGO_FRANKENPHP_BIN).');
        }

        $this->base = sys_get_temp_dir().'/pogo-fapp-'.bin2hex(random_bytes(6));
        $this->port = ProcessServer::freePort();
        $this->scaffold();
        $this->server = new ProcessServer(
            [$binary, 'run', '--config', 'Caddyfile', '--envfile', '.env'],
            ['XDG_CONFIG_HOME' => $this->base.'/storage', 'XDG_DATA_HOME' => $this->base.'/storage'],
            $this->base,
        );
        $this->waitUntilReady();
    }

    protected function tearDown(): void
    {
        foreach ($this->clients as $client) {
            $client->close();
        }
        if (isset($this->server)) {
            $this->server->stop();
        }
        if (isset($this->base)) {
            exec('rm -rf '.escapeshellarg($this->base));
        }
        Facade::clearResolvedInstances();
    }

    /** Install into a scratch app, then bind the Caddyfile to a free loopback port. */
    private function scaffold(): void
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
        $caddy = str_replace(":8080 {\n", "http://127.0.0.1:{$this->port} {\n", $caddy);
        if ($this->getName(false) === 'test_webhooks_come_back_as_laravel_events') {
            // Only this test enables webhooks: at stop the module holds shutdown for pending
            // webhook deliveries (up to shutdown_timeout), so keep that short here.
            $caddy = str_replace('# webhook_url http://127.0.0.1:8080/pogo/webhook', "webhook_url http://127.0.0.1:{$this->port}/pogo/webhook", $caddy);
            $caddy = str_replace('shutdown_timeout 10s', 'shutdown_timeout 2s', $caddy);
        }
        file_put_contents($this->base.'/Caddyfile', $caddy);
    }

    /** Wait (up to 60 s) until the app worker answers GET /ready. */
    private function waitUntilReady(): void
    {
        $deadline = microtime(true) + 60;
        while (microtime(true) < $deadline) {
            [$status] = $this->request('GET', '/ready');
            if ($status === 200) {
                return;
            }
            usleep(100_000);
        }
        $this->fail('FrankenPHP did not become ready: '.$this->server->stderr());
    }

    /**
     * Send an HTTP request to the server; returns [status, decoded JSON body or raw text].
     *
     * @return array{int, mixed}
     */
    private function request(string $method, string $path, array $form = [], array $headers = []): array
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

    /** Open a WebSocket client and return it with its socket id. */
    private function connect(): array
    {
        $key = $this->env('WS_APP_ID');
        $client = new WebSocketClient('127.0.0.1', $this->port, "/app/{$key}?protocol=7&client=php-test&version=1.0");
        $this->clients[] = $client;

        return [$client, $client->socketId()];
    }

    /** Read a value from the installed .env. */
    private function env(string $key): string
    {
        preg_match('/^'.$key.'=(.*)$/m', (string) file_get_contents($this->base.'/.env'), $m);

        return $m[1];
    }

    public function test_auth_worker_signs_and_native_broadcast_reaches_the_subscriber(): void
    {
        [$client, $socketId] = $this->connect();

        [$status, $auth] = $this->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.1'], ['X-Test-User' => '42']);
        $this->assertSame(200, $status, json_encode($auth));
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => 'private-orders.1'] + $auth]);
        $client->waitFor('pusher_internal:subscription_succeeded', 'private-orders.1');

        [$status, $body] = $this->request('POST', '/broadcast', ['channel' => 'private-orders.1', 'event' => 'Skipped', 'payload' => '{"n":1}', 'socket' => $socketId]);
        $this->assertSame(200, $status, json_encode($body));
        $this->assertSame('Pogo\WebSocket\Publishing\NativePublisher', $body['publisher']);
        [$status] = $this->request('POST', '/broadcast', ['channel' => 'private-orders.1', 'event' => 'Shipped', 'payload' => '{"n":2}']);
        $this->assertSame(200, $status);

        // toOthers() skipped this socket for the first event, so the second is the first to arrive.
        $message = $client->waitFor('Shipped', 'private-orders.1');
        $this->assertSame('{"n":2}', $message['data']);
    }

    public function test_presence_and_user_auth_through_the_auth_worker(): void
    {
        [$client, $socketId] = $this->connect();

        [$status, $auth] = $this->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'presence-room'], ['X-Test-User' => '7']);
        $this->assertSame(200, $status, json_encode($auth));
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => 'presence-room'] + $auth]);
        $data = json_decode($client->waitFor('pusher_internal:subscription_succeeded', 'presence-room')['data'], true);
        $this->assertSame(['7' => ['name' => 'User 7']], $data['presence']['hash']);

        [$status, $signin] = $this->request('POST', '/pogo/user-auth', ['socket_id' => $socketId], ['X-Test-User' => '7']);
        $this->assertSame(200, $status, json_encode($signin));
        $client->send(['event' => 'pusher:signin', 'data' => $signin]);
        $client->waitFor('pusher:signin_success');
    }

    public function test_denied_and_guest_auth_are_403(): void
    {
        [, $socketId] = $this->connect();

        [$guest] = $this->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.1']);
        [$denied] = $this->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.2'], ['X-Test-User' => '42']);
        [$userGuest] = $this->request('POST', '/pogo/user-auth', ['socket_id' => $socketId]);

        $this->assertSame([403, 403, 403], [$guest, $denied, $userGuest]);
    }

    public function test_native_refusal_becomes_a_broadcast_exception(): void
    {
        $payload = json_encode(['x' => str_repeat('a', 20_000)]);

        [$status, $body] = $this->request('POST', '/broadcast', ['channel' => 'news', 'event' => 'Big', 'payload' => $payload]);

        $this->assertSame(500, $status);
        $this->assertStringContainsString('failed with status 4 payload too large', $body['error']);
    }

    public function test_webhooks_come_back_as_laravel_events(): void
    {
        [$client] = $this->connect();
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => 'news']]);
        $client->waitFor('pusher_internal:subscription_succeeded', 'news');

        $deadline = microtime(true) + 30;
        while (microtime(true) < $deadline) {
            $log = (string) @file_get_contents($this->base.'/storage/hooks.log');
            if (str_contains($log, '"channel":"news"')) {
                $this->assertStringContainsString('"timeMs":', $log);

                return;
            }
            usleep(100_000);
        }
        $this->fail('no ChannelOccupied event within 30 s: '.$this->server->stderr());
    }
}
