<?php

namespace Pogo\WebSocket\Tests\Integration;

use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Broadcasting\BroadcastManager;
use Pogo\WebSocket\Broadcasting\PogoBroadcaster;
use Pogo\WebSocket\Events\ChannelOccupied;
use Pogo\WebSocket\Publishing\NativePublisher;
use Pogo\WebSocket\Tests\Support\FakeUser;
use Pogo\WebSocket\Tests\Support\GoServer;
use Pogo\WebSocket\Tests\Support\ProcessServer;
use Pogo\WebSocket\Tests\Support\WebSocketClient;
use Pogo\WebSocket\Tests\TestCase;

/**
 * The package against the real Go server (go/hub/cmd/pogo-server): events
 * published through the signed HTTP API reach WebSocket clients, auth
 * responses from the Laravel routes are accepted by the server, and the
 * server's signed webhooks pass the webhook route. Skipped only when the Go
 * toolchain (or the monorepo holding the server) is absent.
 */
final class GoServerTest extends TestCase
{
    private ProcessServer $server;
    private ProcessServer $hooks;
    private string $host;
    private int $port;
    private string $hookLog;

    /** @var list<WebSocketClient> */
    private array $clients = [];

    protected function setUp(): void
    {
        if (getenv('POGO_SERVER_BIN') === false && (GoServer::goBinary() === null || GoServer::repoRoot() === null)) {
            $this->markTestSkipped('Go toolchain or monorepo absent: cannot build go/hub/cmd/pogo-server.');
        }

        $this->hookLog = (string) tempnam(sys_get_temp_dir(), 'pogo-hooks-');
        [$this->hooks, $hookPort] = ProcessServer::phpServer(__DIR__.'/../fixtures/webhook-capture.php', ['POGO_FIXTURE_LOG' => $this->hookLog]);

        [$this->server, $this->host, $this->port] = GoServer::start('3', self::KEY, self::SECRET, [
            '-webhook-url', "http://127.0.0.1:{$hookPort}/pogo/webhook", '-webhook-secret', self::WEBHOOK_SECRET,
        ]);

        parent::setUp();
        $this->app->instance(NativePublisher::class, new NativePublisher());
    }

    protected function tearDown(): void
    {
        foreach ($this->clients as $client) {
            $client->close();
        }
        $this->server->stop();
        $this->hooks->stop();
        @unlink($this->hookLog);
        parent::tearDown();
    }

    protected function config(): array
    {
        $config = parent::config();
        $config['broadcasting']['connections']['pogo'] += ['host' => $this->host, 'port' => $this->port];

        return $config;
    }

    private function broadcaster(): PogoBroadcaster
    {
        return $this->app->make(BroadcastManager::class)->connection('pogo');
    }

    /** Open a client and return it with its socket id. */
    private function connect(): array
    {
        $client = new WebSocketClient($this->host, $this->port, '/app/'.self::KEY.'?protocol=7&client=php-test&version=1.0&flash=false');
        $this->clients[] = $client;

        return [$client, $client->socketId()];
    }

    /** Subscribe and wait for the confirmation; returns its data. */
    private function subscribe(WebSocketClient $client, string $channel, array $auth = []): array
    {
        $client->send(['event' => 'pusher:subscribe', 'data' => ['channel' => $channel] + $auth]);

        return json_decode($client->waitFor('pusher_internal:subscription_succeeded', $channel)['data'] ?? '{}', true) ?? [];
    }

    public function test_public_broadcast_reaches_a_subscriber(): void
    {
        [$client] = $this->connect();
        $this->subscribe($client, 'news');

        $this->broadcaster()->broadcast(['news'], 'OrderShipped', ['id' => 1, 'note' => 'ünïcode']);

        $message = $client->waitFor('OrderShipped', 'news');
        $this->assertSame(['id' => 1, 'note' => 'ünïcode'], json_decode($message['data'], true));
    }

    public function test_to_others_excludes_the_sender_socket(): void
    {
        [$sender, $senderId] = $this->connect();
        [$other] = $this->connect();
        $this->subscribe($sender, 'room');
        $this->subscribe($other, 'room');

        $this->broadcaster()->broadcast(['room'], 'First', ['n' => 1, 'socket' => $senderId]);
        $this->broadcaster()->broadcast(['room'], 'Second', ['n' => 2]);

        $this->assertSame('First', $other->waitFor('First', 'room')['event']);
        // The sender's first event on the channel is the second broadcast: the first skipped it.
        $this->assertSame('Second', $sender->receive()['event']);
    }

    public function test_private_and_presence_auth_from_the_routes_are_accepted_by_the_server(): void
    {
        $broadcast = $this->app->make(BroadcastManager::class);
        $broadcast->channel('orders.{id}', fn () => true);
        $broadcast->channel('chat', fn (FakeUser $user) => ['name' => $user->name]);
        $this->user = new FakeUser(42, 'Ada');
        [$client, $socketId] = $this->connect();

        $private = $this->json($this->post('/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'private-orders.5']));
        $this->subscribe($client, 'private-orders.5', $private);

        $presence = $this->json($this->post('/pogo/auth', ['socket_id' => $socketId, 'channel_name' => 'presence-chat']));
        $data = $this->subscribe($client, 'presence-chat', $presence);
        $this->assertSame(['42' => ['name' => 'Ada']], $data['presence']['hash']);

        $this->broadcaster()->broadcast(['private-orders.5'], 'Paid', ['ok' => true]);
        $this->assertSame('{"ok":true}', $client->waitFor('Paid', 'private-orders.5')['data']);
    }

    public function test_user_auth_from_the_route_signs_in(): void
    {
        $this->user = new FakeUser(7);
        [$client, $socketId] = $this->connect();

        $auth = $this->json($this->post('/pogo/user-auth', ['socket_id' => $socketId]));
        $client->send(['event' => 'pusher:signin', 'data' => $auth]);

        $success = $client->waitFor('pusher:signin_success');
        $data = is_string($success['data']) ? json_decode($success['data'], true) : $success['data'];
        $this->assertSame('7', json_decode($data['user_data'], true)['id']);
    }

    public function test_server_refusals_become_broadcast_exceptions(): void
    {
        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessageMatches('/^Pogo HTTP API error 413 for \[Big\]: /');

        $this->broadcaster()->broadcast(['news'], 'Big', ['x' => str_repeat('a', 20_000)]);
    }

    public function test_wrong_secret_is_refused_by_the_server(): void
    {
        $this->app['config']->set('broadcasting.connections.pogo.secret', 'wrong');

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessageMatches('/^Pogo HTTP API error 401 for \[E\]: /');

        $this->broadcaster()->broadcast(['news'], 'E', []);
    }

    public function test_server_webhooks_pass_the_webhook_route(): void
    {
        $events = [];
        $this->app['events']->listen(ChannelOccupied::class, function (ChannelOccupied $e) use (&$events) {
            $events[] = $e;
        });
        [$client] = $this->connect();
        $this->subscribe($client, 'hooked');

        $hook = $this->waitForWebhook('channel_occupied');
        $response = $this->postRaw('/pogo/webhook', $hook['body'], ['X-Pusher-Key' => $hook['key'], 'X-Pusher-Signature' => $hook['signature']]);

        $this->assertSame(200, $response->getStatusCode(), (string) $response->getContent());
        $this->assertSame('hooked', $events[0]->channel);
    }

    /** Wait (up to 30 s) for the capture fixture to record a webhook holding $name. */
    private function waitForWebhook(string $name): array
    {
        $deadline = microtime(true) + 30;
        while (microtime(true) < $deadline) {
            foreach (array_filter(explode("\n", (string) file_get_contents($this->hookLog))) as $line) {
                $hook = json_decode($line, true);
                if (str_contains($hook['body'], '"name":"'.$name.'"')) {
                    return $hook;
                }
            }
            usleep(50_000);
        }

        $this->fail("no {$name} webhook within 30 s; server stderr: ".$this->server->stderr());
    }
}
