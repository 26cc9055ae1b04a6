<?php

namespace Pogo\WebSocket\Tests\Feature;

use Pogo\WebSocket\Events\CacheMiss;
use Pogo\WebSocket\Events\ChannelOccupied;
use Pogo\WebSocket\Events\ChannelVacated;
use Pogo\WebSocket\Events\ClientEventReceived;
use Pogo\WebSocket\Events\MemberAdded;
use Pogo\WebSocket\Events\MemberRemoved;
use Pogo\WebSocket\Events\SubscriptionCount;
use Pogo\WebSocket\Tests\TestCase;

/**
 * POST /pogo/webhook: signature, key and freshness checks, and one Laravel
 * event per webhook entry.
 */
final class WebhookRouteTest extends TestCase
{
    /** @var list<object> */
    private array $dispatched = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->app['events']->listen('Pogo\WebSocket\Events\*', function (string $name, array $payload) {
            $this->dispatched[] = $payload[0];
        });
    }

    private function nowMs(): int
    {
        return (int) floor(microtime(true) * 1000);
    }

    private function send(string $body, ?string $signature = null, ?string $key = self::KEY)
    {
        $headers = ['X-Pusher-Signature' => $signature ?? hash_hmac('sha256', $body, self::WEBHOOK_SECRET)];
        if ($key !== null) {
            $headers['X-Pusher-Key'] = $key;
        }

        return $this->postRaw('/pogo/webhook', $body, $headers);
    }

    public function test_every_event_kind_is_dispatched_in_order(): void
    {
        $time = $this->nowMs();
        $body = json_encode(['time_ms' => $time, 'events' => [
            ['name' => 'channel_occupied', 'channel' => 'news'],
            ['name' => 'channel_vacated', 'channel' => 'news'],
            ['name' => 'member_added', 'channel' => 'presence-room', 'user_id' => '7'],
            ['name' => 'member_removed', 'channel' => 'presence-room', 'user_id' => '7'],
            ['name' => 'client_event', 'channel' => 'presence-room', 'event' => 'client-typing', 'data' => '{"a":1}', 'socket_id' => '1.2', 'user_id' => '7'],
            ['name' => 'cache_miss', 'channel' => 'cache-prices'],
            ['name' => 'subscription_count', 'channel' => 'news', 'subscription_count' => 12],
            ['name' => 'something_new', 'channel' => 'news'],
        ]]);

        $response = $this->send($body);

        $this->assertSame(200, $response->getStatusCode());
        $this->assertSame(['dispatched' => 7], $this->json($response));
        $this->assertEquals([
            new ChannelOccupied('news', $time),
            new ChannelVacated('news', $time),
            new MemberAdded('presence-room', '7', $time),
            new MemberRemoved('presence-room', '7', $time),
            new ClientEventReceived('presence-room', 'client-typing', '{"a":1}', '1.2', '7', $time),
            new CacheMiss('cache-prices', $time),
            new SubscriptionCount('news', 12, $time),
        ], $this->dispatched);
    }

    public function test_client_event_on_private_channel_has_no_user_id(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => [
            ['name' => 'client_event', 'channel' => 'private-x', 'event' => 'client-a', 'data' => 'plain', 'socket_id' => '3.4'],
        ]]);

        $this->assertSame(200, $this->send($body)->getStatusCode());
        $this->assertNull($this->dispatched[0]->userId);
        $this->assertSame('plain', $this->dispatched[0]->data);
    }

    public function test_bad_signature_is_401_and_dispatches_nothing(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => [['name' => 'channel_occupied', 'channel' => 'x']]]);

        $response = $this->send($body, hash_hmac('sha256', $body, 'wrong-secret'));

        $this->assertSame(401, $response->getStatusCode());
        $this->assertSame('Invalid X-Pusher-Signature.', $this->json($response)['error']);
        $this->assertSame([], $this->dispatched);
    }

    public function test_signature_over_a_different_body_is_401(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => []]);

        $this->assertSame(401, $this->send($body, hash_hmac('sha256', $body.' ', self::WEBHOOK_SECRET))->getStatusCode());
    }

    public function test_missing_or_wrong_key_is_401(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => []]);

        $this->assertSame(401, $this->send($body, null, null)->getStatusCode());
        $this->assertSame(401, $this->send($body, null, 'other-key')->getStatusCode());
    }

    public function test_stale_and_future_requests_are_401(): void
    {
        foreach ([-301_000, 301_000] as $offset) {
            $body = json_encode(['time_ms' => $this->nowMs() + $offset, 'events' => [['name' => 'channel_occupied', 'channel' => 'x']]]);
            $response = $this->send($body);

            $this->assertSame(401, $response->getStatusCode());
            $this->assertStringContainsString('Stale webhook', $this->json($response)['error']);
        }
        $this->assertSame([], $this->dispatched);
    }

    public function test_request_inside_the_window_is_accepted(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs() - 250_000, 'events' => []]);

        $this->assertSame(200, $this->send($body)->getStatusCode());
    }

    /** @return iterable<string, array{string}> */
    public static function malformed(): iterable
    {
        yield 'not json' => ['{oops'];
        yield 'no time_ms' => ['{"events":[]}'];
        yield 'string time_ms' => ['{"time_ms":"1","events":[]}'];
        yield 'events not a list' => ['{"time_ms":%d,"events":{"a":1}}'];
        yield 'entry not an object' => ['{"time_ms":%d,"events":[1]}'];
        yield 'missing channel' => ['{"time_ms":%d,"events":[{"name":"channel_occupied"}]}'];
        yield 'member without user' => ['{"time_ms":%d,"events":[{"name":"member_added","channel":"presence-a"}]}'];
        yield 'negative count' => ['{"time_ms":%d,"events":[{"name":"subscription_count","channel":"a","subscription_count":-1}]}'];
        yield 'client event without data' => ['{"time_ms":%d,"events":[{"name":"client_event","channel":"private-a","event":"client-x"}]}'];
    }

    /** @dataProvider malformed */
    public function test_malformed_bodies_are_400(string $template): void
    {
        $body = sprintf($template, $this->nowMs());

        $response = $this->send($body);

        $this->assertSame(400, $response->getStatusCode(), (string) $response->getContent());
        $this->assertArrayHasKey('error', $this->json($response));
        $this->assertSame([], $this->dispatched);
    }

    public function test_a_bad_entry_rejects_the_whole_batch(): void
    {
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => [
            ['name' => 'channel_occupied', 'channel' => 'ok'],
            ['name' => 'member_added', 'channel' => 'presence-a'],
        ]]);

        $this->assertSame(400, $this->send($body)->getStatusCode());
        $this->assertSame([], $this->dispatched);
    }

    public function test_body_over_the_limit_is_413(): void
    {
        $this->app['config']->set('pogo-websocket.webhook.max_body', 64);
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => [['name' => 'channel_occupied', 'channel' => str_repeat('a', 80)]]]);

        $this->assertSame(413, $this->send($body)->getStatusCode());
    }

    public function test_more_than_100_events_is_413(): void
    {
        $events = array_fill(0, 101, ['name' => 'channel_occupied', 'channel' => 'a']);
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => $events]);

        $this->assertSame(413, $this->send($body)->getStatusCode());
        $events = array_fill(0, 100, ['name' => 'channel_occupied', 'channel' => 'a']);
        $this->assertSame(200, $this->send(json_encode(['time_ms' => $this->nowMs(), 'events' => $events]))->getStatusCode());
    }

    public function test_missing_webhook_secret_is_503(): void
    {
        $this->app['config']->set('pogo-websocket.webhook.secret', null);
        $body = json_encode(['time_ms' => $this->nowMs(), 'events' => []]);

        $response = $this->send($body);

        $this->assertSame(503, $response->getStatusCode());
        $this->assertStringContainsString('POGO_WEBHOOK_SECRET', $this->json($response)['error']);
    }

    public function test_tolerance_is_configurable(): void
    {
        $this->app['config']->set('pogo-websocket.webhook.tolerance', 10);
        $body = json_encode(['time_ms' => $this->nowMs() - 60_000, 'events' => []]);

        $this->assertSame(401, $this->send($body)->getStatusCode());
    }

    public function test_route_has_no_web_middleware(): void
    {
        $this->app['router']->getRoutes()->refreshNameLookups();
        $route = $this->app['router']->getRoutes()->getByName('pogo.webhook');

        $this->assertSame('pogo/webhook', $route->uri());
        $this->assertSame([], $route->gatherMiddleware());
        $this->assertSame(['web'], $this->app['router']->getRoutes()->getByName('pogo.auth')->gatherMiddleware());
    }
}
