<?php

namespace Pogo\WebSocket\Tests\Feature;

use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Broadcasting\PrivateChannel;
use Illuminate\Http\Client\Factory;
use Pogo\WebSocket\Broadcasting\PogoBroadcaster;
use Pogo\WebSocket\Publishing\HttpPublisher;
use Pogo\WebSocket\Publishing\NativePublisher;
use Pogo\WebSocket\Publishing\NativeStatus;
use Pogo\WebSocket\Tests\Support\NativeFunctionDouble;
use Pogo\WebSocket\Tests\TestCase;

/**
 * The broadcaster's native path, with a double of the extension function.
 */
final class BroadcasterTest extends TestCase
{
    private NativeFunctionDouble $native;

    protected function setUp(): void
    {
        parent::setUp();
        $this->native = new NativeFunctionDouble();
        $this->app->instance(NativePublisher::class, new NativePublisher($this->native));
    }

    private function broadcaster(): PogoBroadcaster
    {
        return $this->app->make(BroadcastManager::class)->connection('pogo');
    }

    public function test_driver_is_registered_and_uses_the_native_publisher_when_available(): void
    {
        $broadcaster = $this->broadcaster();

        $this->assertInstanceOf(PogoBroadcaster::class, $broadcaster);
        $this->assertInstanceOf(NativePublisher::class, $broadcaster->publisher());
    }

    public function test_without_the_extension_the_http_api_is_used(): void
    {
        $this->app->instance(NativePublisher::class, new NativePublisher());

        $this->assertFalse(function_exists(NativePublisher::FUNCTION));
        $this->assertInstanceOf(HttpPublisher::class, $this->broadcaster()->publisher());
    }

    public function test_broadcast_calls_the_native_function_with_json_channels_and_data(): void
    {
        $this->broadcaster()->broadcast([new PrivateChannel('orders.1'), 'news'], 'OrderShipped', ['id' => 7, 'name' => 'a/b']);

        $this->assertSame([['3', '["private-orders.1","news"]', 'OrderShipped', '{"id":7,"name":"a\/b"}']], $this->native->calls);
    }

    public function test_to_others_socket_is_passed_and_removed_from_the_payload(): void
    {
        $this->broadcaster()->broadcast(['news'], 'Ping', ['x' => 1, 'socket' => '123.456']);

        $this->assertSame([['3', '["news"]', 'Ping', '{"x":1}', '123.456']], $this->native->calls);
    }

    public function test_channels_are_chunked_by_100(): void
    {
        $channels = array_map(fn (int $i) => "c{$i}", range(1, 250));

        $this->broadcaster()->broadcast($channels, 'Bulk', []);

        $this->assertCount(3, $this->native->calls);
        $sizes = array_map(fn (array $call) => count(json_decode($call[1])), $this->native->calls);
        $this->assertSame([100, 100, 50], $sizes);
        $this->assertSame($channels, array_merge(...array_map(fn (array $call) => json_decode($call[1]), $this->native->calls)));
        $this->assertSame('[]', $this->native->calls[0][3]);
    }

    public function test_no_channels_publishes_nothing(): void
    {
        $this->broadcaster()->broadcast([], 'Nothing', ['a' => 1]);

        $this->assertSame([], $this->native->calls);
    }

    /** @return iterable<string, array{int, string}> */
    public static function statuses(): iterable
    {
        foreach (NativeStatus::MESSAGES as $code => $meaning) {
            yield "status {$code}" => [$code, "{$code} {$meaning}"];
        }
    }

    /** @dataProvider statuses */
    public function test_every_non_zero_status_becomes_a_broadcast_exception(int $status, string $expected): void
    {
        $this->native->status = $status;

        try {
            $this->broadcaster()->broadcast(['news'], 'Ping', []);
            $this->fail('expected a BroadcastException');
        } catch (BroadcastException $e) {
            $this->assertStringContainsString("status {$expected}", $e->getMessage());
            $this->assertStringContainsString('[Ping]', $e->getMessage());
        }
    }

    public function test_unknown_status_is_reported_too(): void
    {
        $this->native->status = 42;

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('status 42 unknown status');
        $this->broadcaster()->broadcast(['news'], 'Ping', []);
    }

    public function test_unencodable_payload_is_a_broadcast_exception(): void
    {
        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('cannot JSON-encode');
        $this->broadcaster()->broadcast(['news'], 'Ping', ['bad' => "\xB1\x31"]);
    }

    public function test_encrypted_channels_are_sent_alone_and_encrypted(): void
    {
        $master = random_bytes(32);
        $this->app['config']->set('broadcasting.connections.pogo.encryption_master_key', base64_encode($master));

        $this->broadcaster()->broadcast(['news', 'private-encrypted-secret'], 'Hidden', ['msg' => 'hi']);

        $this->assertCount(2, $this->native->calls);
        $this->assertSame(['3', '["news"]', 'Hidden', '{"msg":"hi"}'], $this->native->calls[0]);
        [, $channels, , $data] = $this->native->calls[1];
        $this->assertSame('["private-encrypted-secret"]', $channels);

        $envelope = json_decode($data, true);
        $key = hash('sha256', 'private-encrypted-secret'.$master, true);
        $plain = sodium_crypto_secretbox_open(base64_decode($envelope['ciphertext']), base64_decode($envelope['nonce']), $key);
        $this->assertSame('{"msg":"hi"}', $plain);
    }

    public function test_encrypted_channel_without_master_key_fails_clearly(): void
    {
        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('encryption_master_key is not configured');
        $this->broadcaster()->broadcast(['private-encrypted-secret'], 'Hidden', []);
    }

    public function test_missing_app_id_or_secret_is_a_clear_configuration_error(): void
    {
        $this->app['config']->set('broadcasting.connections.pogo.secret', null);

        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('[secret] is not set (env WS_APP_SECRET)');
        $this->broadcaster();
    }

    public function test_http_fallback_resolves_the_client_on_each_publish(): void
    {
        $this->app->instance(NativePublisher::class, new NativePublisher());
        $broadcaster = $this->broadcaster();
        $fake = new Factory();
        $fake->fake(['*' => $fake->response('{}', 200)]);
        $this->app->instance(Factory::class, $fake);

        $broadcaster->broadcast(['news'], 'Late', ['a' => 1]);

        $this->assertCount(1, $fake->recorded());
        $this->assertStringStartsWith('http://127.0.0.1:8080/apps/3/events?auth_key=', $fake->recorded()[0][0]->url());
    }
}
