<?php

namespace Tests\Feature;

use Illuminate\Log\Events\MessageLogged;
use Illuminate\Support\Facades\Event;
use Illuminate\Testing\TestResponse;
use Tests\TestCase;

/** Presence webhooks from the server become log lines (App\Providers\AppServiceProvider). */
final class WebhookTest extends TestCase
{
    /** @var list<string> */
    private array $logged = [];

    protected function setUp(): void
    {
        parent::setUp();
        Event::listen(MessageLogged::class, function (MessageLogged $e) {
            $this->logged[] = $e->message;
        });
    }

    public function test_signed_member_webhooks_are_logged(): void
    {
        $this->webhook([
            ['name' => 'member_added', 'channel' => 'presence-room', 'user_id' => 'bob'],
            ['name' => 'member_removed', 'channel' => 'presence-room', 'user_id' => 'alice'],
        ])->assertOk()->assertJson(['dispatched' => 2]);

        $this->assertSame(['webhook: bob joined presence-room', 'webhook: alice left presence-room'], $this->logged);
    }

    public function test_a_webhook_with_a_bad_signature_is_refused_and_not_logged(): void
    {
        $this->webhook([['name' => 'member_added', 'channel' => 'presence-room', 'user_id' => 'mallory']], str_repeat('0', 64))
            ->assertStatus(401);

        $this->assertSame([], $this->logged);
    }

    /** POST a webhook batch signed with the test secret, or with $signature. */
    private function webhook(array $events, ?string $signature = null): TestResponse
    {
        $body = json_encode(['time_ms' => (int) (microtime(true) * 1000), 'events' => $events]);

        return $this->call('POST', '/pogo/webhook', [], [], [], [
            'CONTENT_TYPE' => 'application/json',
            'HTTP_X_PUSHER_KEY' => 'pogo-app',
            'HTTP_X_PUSHER_SIGNATURE' => $signature ?? hash_hmac('sha256', $body, 'example-webhook-secret'),
        ], $body);
    }
}
