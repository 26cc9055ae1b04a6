<?php

namespace Pogo\WebSocket\Tests\Integration;

use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Broadcasting\BroadcastManager;
use Pogo\WebSocket\Publishing\HttpPublisher;
use Pogo\WebSocket\Publishing\NativePublisher;
use Pogo\WebSocket\Tests\Support\ProcessServer;
use Pogo\WebSocket\Tests\TestCase;

/**
 * The HTTP API fallback against a real HTTP server: a `php -S` process whose
 * router verifies the Pusher signature independently (fixtures/api-router.php).
 */
final class HttpApiFixtureTest extends TestCase
{
    private ProcessServer $server;
    private int $port;
    private string $log;

    protected function setUp(): void
    {
        $this->log = (string) tempnam(sys_get_temp_dir(), 'pogo-api-log-');
        [$this->server, $this->port] = ProcessServer::phpServer(
            __DIR__.'/../fixtures/api-router.php',
            ['POGO_FIXTURE_KEY' => self::KEY, 'POGO_FIXTURE_SECRET' => self::SECRET, 'POGO_FIXTURE_LOG' => $this->log],
        );

        parent::setUp();
        $this->app->instance(NativePublisher::class, new NativePublisher());
    }

    protected function tearDown(): void
    {
        $this->server->stop();
        @unlink($this->log);
        parent::tearDown();
    }

    protected function config(): array
    {
        $config = parent::config();
        $config['broadcasting']['connections']['pogo'] += ['host' => '127.0.0.1', 'port' => $this->port];

        return $config;
    }

    /** @return list<array{path: string, event: array}> */
    private function accepted(): array
    {
        $lines = array_filter(explode("\n", (string) file_get_contents($this->log)));

        return array_map(fn (string $line) => json_decode($line, true), array_values($lines));
    }

    public function test_broadcast_is_accepted_by_an_independent_signature_check(): void
    {
        $broadcaster = $this->app->make(BroadcastManager::class)->connection('pogo');
        $this->assertInstanceOf(HttpPublisher::class, $broadcaster->publisher());

        $broadcaster->broadcast(['news', 'private-orders.1'], 'OrderShipped', ['id' => 9, 'socket' => '11.22']);

        $this->assertSame([[
            'path' => '/apps/3/events',
            'event' => ['name' => 'OrderShipped', 'channels' => ['news', 'private-orders.1'], 'data' => '{"id":9}', 'socket_id' => '11.22'],
        ]], $this->accepted());
    }

    public function test_250_channels_make_three_signed_requests(): void
    {
        $channels = array_map(fn (int $i) => "c{$i}", range(1, 250));

        $this->app->make(BroadcastManager::class)->connection('pogo')->broadcast($channels, 'Bulk', []);

        $this->assertSame([100, 100, 50], array_map(fn (array $a) => count($a['event']['channels']), $this->accepted()));
    }

    public function test_wrong_secret_is_rejected_with_the_servers_error(): void
    {
        $this->app['config']->set('broadcasting.connections.pogo.secret', 'not-the-secret');

        try {
            $this->app->make(BroadcastManager::class)->connection('pogo')->broadcast(['news'], 'E', []);
            $this->fail('expected a BroadcastException');
        } catch (BroadcastException $e) {
            $this->assertSame('Pogo HTTP API error 401 for [E]: invalid signature', $e->getMessage());
        }
        $this->assertSame([], $this->accepted());
    }

    public function test_oversized_payload_is_a_broadcast_exception(): void
    {
        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('Pogo HTTP API error 413 for [Big]: payload too large');

        $this->app->make(BroadcastManager::class)->connection('pogo')->broadcast(['news'], 'Big', ['x' => str_repeat('a', 11000)]);
    }
}
