<?php

namespace Pogo\WebSocket\Tests\Integration;

use Illuminate\Support\Facades\Facade;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Tests\Support\FrankenPhpApp;
use Pogo\WebSocket\Tests\Support\WebSocketClient;

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
    private FrankenPhpApp $app;

    /** @var list<WebSocketClient> */
    private array $clients = [];

    protected function setUp(): void
    {
        if (FrankenPhpApp::binary() === null) {
            $this->markTestSkipped('No FrankenPHP build with pogo_websocket (run `go tool mage build` or set POGO_FRANKENPHP_BIN).');
        }

        // Only the webhook test enables webhooks: at stop the module holds shutdown for
        // pending webhook deliveries (up to shutdown_timeout), so that one uses 2s.
        $webhooks = $this->getName(false) === 'test_webhooks_come_back_as_laravel_events';
        $this->app = new FrankenPhpApp($webhooks, $webhooks ? '2s' : '10s');
    }

    protected function tearDown(): void
    {
        foreach ($this->clients as $client) {
            $client->close();
        }
        if (isset($this->app)) {
            $this->app->stop();
        }
        Facade::clearResolvedInstances();
    }

    /** Open a client, remembered for tearDown. */
    private function connect(): array
    {
        [$client, $socketId] = $this->app->connect();
        $this->clients[] = $client;

        return [$client, $socketId];
    }

    public function test_auth_worker_signs_and_native_broadcast_reaches_the_subscriber(): void
    {
        [$client, $socketId] = $this->connect();

        [$status, $auth] = $this->app->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.1'], ['X-Test-User' => '42']);
        $this->assertSame(200, $status, json_encode($auth));
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => 'private-orders.1'] + $auth]);
        $client->waitFor('pusher_internal:subscription_succeeded', 'private-orders.1');

        [$status, $body] = $this->app->request('POST', '/broadcast', ['channel' => 'private-orders.1', 'event' => 'Skipped', 'payload' => '{"n":1}', 'socket' => $socketId]);
        $this->assertSame(200, $status, json_encode($body));
        $this->assertSame('Pogo\WebSocket\Publishing\NativePublisher', $body['publisher']);
        [$status] = $this->app->request('POST', '/broadcast', ['channel' => 'private-orders.1', 'event' => 'Shipped', 'payload' => '{"n":2}']);
        $this->assertSame(200, $status);

        // toOthers() skipped this socket for the first event, so the second is the first to arrive.
        $message = $client->receive();
        $this->assertSame(['Shipped', '{"n":2}'], [$message['event'], $message['data']]);
    }

    public function test_presence_and_user_auth_through_the_auth_worker(): void
    {
        [$client, $socketId] = $this->connect();

        [$status, $auth] = $this->app->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'presence-room'], ['X-Test-User' => '7']);
        $this->assertSame(200, $status, json_encode($auth));
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => 'presence-room'] + $auth]);
        $data = json_decode($client->waitFor('pusher_internal:subscription_succeeded', 'presence-room')['data'], true);
        $this->assertSame(['7' => ['name' => 'User 7']], $data['presence']['hash']);

        [$status, $signin] = $this->app->request('POST', '/pogo/user-auth', ['socket_id' => $socketId], ['X-Test-User' => '7']);
        $this->assertSame(200, $status, json_encode($signin));
        $client->send(['event' => 'pusher:signin', 'data' => $signin]);
        $client->waitFor('pusher:signin_success');
    }

    public function test_denied_and_guest_auth_are_403(): void
    {
        [, $socketId] = $this->connect();

        [$guest] = $this->app->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.1']);
        [$denied] = $this->app->request('POST', '/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.2'], ['X-Test-User' => '42']);
        [$userGuest] = $this->app->request('POST', '/pogo/user-auth', ['socket_id' => $socketId]);

        $this->assertSame([403, 403, 403], [$guest, $denied, $userGuest]);
    }

    public function test_native_refusal_becomes_a_broadcast_exception(): void
    {
        $payload = json_encode(['x' => str_repeat('a', 20_000)]);

        [$status, $body] = $this->app->request('POST', '/broadcast', ['channel' => 'news', 'event' => 'Big', 'payload' => $payload]);

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
            $log = (string) @file_get_contents($this->app->base.'/storage/hooks.log');
            if (str_contains($log, '"channel":"news"')) {
                $this->assertStringContainsString('"timeMs":', $log);

                return;
            }
            usleep(100_000);
        }
        $this->fail('no ChannelOccupied event within 30 s: '.$this->app->stderr());
    }
}
