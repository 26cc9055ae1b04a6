<?php

namespace Pogo\WebSocket\Tests\Feature;

use Illuminate\Broadcasting\BroadcastManager;
use Pogo\WebSocket\Tests\Support\FakeUser;
use Pogo\WebSocket\Tests\TestCase;

/**
 * POST /pogo/auth and /pogo/user-auth through the HTTP kernel, with the
 * signatures checked against the Pusher documentation's vectors (§A.6).
 */
final class AuthRoutesTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $broadcast = $this->app->make(BroadcastManager::class);
        $broadcast->channel('foobar', fn (FakeUser $user) => true);
        $broadcast->channel('secret', fn (FakeUser $user) => true);
        $broadcast->channel('denied', fn (FakeUser $user) => false);
        $broadcast->channel('orders.{id}', fn (FakeUser $user, string $id) => $id === '7');
    }

    public function test_private_channel_is_signed_with_the_vector(): void
    {
        $this->user = new FakeUser(10);

        $response = $this->post('/pogo/auth', ['socket_id' => '1234.1234', 'channel_name' => 'private-foobar']);

        $this->assertSame(200, $response->getStatusCode());
        $this->assertSame(
            ['auth' => self::KEY.':58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4'],
            $this->json($response)
        );
    }

    public function test_presence_channel_signs_the_exact_channel_data(): void
    {
        $this->user = new FakeUser(10);
        $this->app->make(BroadcastManager::class)->channel('foobar', fn (FakeUser $user) => ['name' => 'Mr. Channels']);

        $body = $this->json($this->post('/pogo/auth', ['socket_id' => '1234.1234', 'channel_name' => 'presence-foobar']));

        $this->assertSame('{"user_id":10,"user_info":{"name":"Mr. Channels"}}', $body['channel_data']);
        $this->assertSame(self::KEY.':31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80', $body['auth']);
    }

    public function test_presence_without_user_info_when_callback_returns_true(): void
    {
        $this->user = new FakeUser('u-5');

        $body = $this->json($this->post('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'presence-foobar']));

        $this->assertSame('{"user_id":"u-5"}', $body['channel_data']);
        $this->assertSame(self::KEY.':'.hash_hmac('sha256', '1.2:presence-foobar:{"user_id":"u-5"}', self::SECRET), $body['auth']);
    }

    public function test_encrypted_channel_adds_the_shared_secret(): void
    {
        $master = random_bytes(32);
        $this->app['config']->set('broadcasting.connections.pogo.encryption_master_key', base64_encode($master));
        $broadcast = $this->app->make(BroadcastManager::class);
        $broadcast->purge('pogo');
        $broadcast->channel('secret', fn (FakeUser $user) => true);
        $this->user = new FakeUser(1);

        $body = $this->json($this->post('/pogo/auth', ['socket_id' => '1234.1234', 'channel_name' => 'private-encrypted-secret']));

        $this->assertSame(self::KEY.':'.hash_hmac('sha256', '1234.1234:private-encrypted-secret', self::SECRET), $body['auth']);
        $this->assertSame(base64_encode(hash('sha256', 'private-encrypted-secret'.$master, true)), $body['shared_secret']);
    }

    public function test_encrypted_channel_without_master_key_is_a_server_error(): void
    {
        $this->user = new FakeUser(1);

        $response = $this->post('/pogo/auth', ['socket_id' => '1234.1234', 'channel_name' => 'private-encrypted-secret']);

        $this->assertSame(500, $response->getStatusCode());
    }

    public function test_channel_parameters_reach_the_callback(): void
    {
        $this->user = new FakeUser(1);

        $this->assertSame(200, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-orders.7'])->getStatusCode());
        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-orders.8'])->getStatusCode());
    }

    public function test_denied_by_callback_is_403(): void
    {
        $this->user = new FakeUser(1);

        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-denied'])->getStatusCode());
    }

    public function test_unknown_channel_is_403(): void
    {
        $this->user = new FakeUser(1);

        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-nobody'])->getStatusCode());
    }

    public function test_guest_is_403(): void
    {
        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-foobar'])->getStatusCode());
        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'presence-foobar'])->getStatusCode());
    }

    public function test_missing_channel_name_is_403(): void
    {
        $this->user = new FakeUser(1);

        $this->assertSame(403, $this->post('/pogo/auth', ['socket_id' => '1.1'])->getStatusCode());
    }

    /** @return iterable<string, array{array<string, string>, string}> */
    public static function badInput(): iterable
    {
        yield 'socket id with letters' => [['socket_id' => 'abc', 'channel_name' => 'private-foobar'], 'Invalid socket_id.'];
        yield 'missing socket id' => [['channel_name' => 'private-foobar'], 'Invalid socket_id.'];
        yield 'channel with space' => [['socket_id' => '1.1', 'channel_name' => 'private-foo bar'], 'Invalid channel_name.'];
        yield 'channel of 165 chars' => [['socket_id' => '1.1', 'channel_name' => 'private-'.str_repeat('a', 157)], 'Invalid channel_name.'];
        yield 'public channel' => [['socket_id' => '1.1', 'channel_name' => 'foobar'], 'Only private- and presence- channels need authorization.'];
    }

    /** @dataProvider badInput */
    public function test_bad_input_is_400_with_a_clear_message(array $data, string $message): void
    {
        $this->user = new FakeUser(1);

        $response = $this->post('/pogo/auth', $data);

        $this->assertSame(400, $response->getStatusCode());
        $this->assertSame($message, $this->json($response)['message']);
    }

    public function test_channel_of_exactly_164_chars_is_accepted(): void
    {
        $this->user = new FakeUser(1);
        $channel = 'private-'.str_repeat('a', 156);
        $this->app->make(BroadcastManager::class)->channel(substr($channel, 8), fn () => true);

        $this->assertSame(200, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => $channel])->getStatusCode());
    }

    public function test_user_auth_signs_the_vector_user_data(): void
    {
        $this->user = new FakeUser(12345);

        $response = $this->post('/pogo/user-auth', ['socket_id' => '1234.1234']);

        $this->assertSame(200, $response->getStatusCode());
        $this->assertSame([
            'auth' => self::KEY.':4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
            'user_data' => '{"id":"12345"}',
        ], $this->json($response));
    }

    public function test_user_auth_uses_the_registered_resolver_and_stringifies_the_id(): void
    {
        $this->user = new FakeUser(42, 'Ada');
        $this->app->make(BroadcastManager::class)->resolveAuthenticatedUserUsing(
            fn ($request) => ['id' => $request->user()->id, 'user_info' => ['name' => $request->user()->name]]
        );

        $body = $this->json($this->post('/pogo/user-auth', ['socket_id' => '5.6']));

        $this->assertSame('{"id":"42","user_info":{"name":"Ada"}}', $body['user_data']);
        $this->assertSame(self::KEY.':'.hash_hmac('sha256', '5.6::user::'.$body['user_data'], self::SECRET), $body['auth']);
    }

    public function test_user_auth_without_user_is_403(): void
    {
        $this->assertSame(403, $this->post('/pogo/user-auth', ['socket_id' => '1.1'])->getStatusCode());
    }

    public function test_user_auth_with_bad_socket_id_is_400(): void
    {
        $this->user = new FakeUser(1);

        $this->assertSame(400, $this->post('/pogo/user-auth', ['socket_id' => '1'])->getStatusCode());
    }

    public function test_routes_follow_the_configured_prefix(): void
    {
        $this->app = $this->createApplicationWith(['pogo-websocket' => ['routes' => ['prefix' => 'ws']]]);
        $this->app->make(BroadcastManager::class)->channel('foobar', fn () => true);
        $this->user = new FakeUser(1);

        $this->assertSame(200, $this->post('/ws/auth', ['socket_id' => '1.1', 'channel_name' => 'private-foobar'])->getStatusCode());
        $this->assertSame(404, $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-foobar'])->getStatusCode());
    }

    /** Build a fresh application with extra config merged in. */
    private function createApplicationWith(array $extra): \Illuminate\Foundation\Application
    {
        $this->extraConfig = $extra;

        return $this->createApplication();
    }

    private array $extraConfig = [];

    protected function config(): array
    {
        return array_replace_recursive(parent::config(), $this->extraConfig);
    }
}
