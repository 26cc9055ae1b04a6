<?php

namespace Tests\Feature;

use App\Events\UserNudged;
use Illuminate\Broadcasting\BroadcastEvent;
use Illuminate\Support\Facades\Queue;
use Pogo\WebSocket\Pogo;
use Tests\TestCase;

/** What each chat endpoint broadcasts, checked with Pogo::fake(). */
final class BroadcastTest extends TestCase
{
    public function test_a_message_goes_to_the_public_feed_except_to_the_senders_socket(): void
    {
        $fake = Pogo::fake();

        $this->actingAs($this->user('alice'))
            ->postJson('/messages', ['text' => '  Hello Bob '], ['X-Socket-ID' => '123.456'])
            ->assertCreated()
            ->assertJson(['user' => ['id' => 'alice', 'name' => 'Alice'], 'text' => 'Hello Bob']);

        $fake->assertBroadcasted('message.posted', fn (array $payload, array $channels, ?string $socket) => $channels === ['chat']
            && $payload['text'] === 'Hello Bob' && $payload['user'] === ['id' => 'alice', 'name' => 'Alice'] && $socket === '123.456');
    }

    public function test_bad_messages_are_refused_and_nothing_is_broadcast(): void
    {
        $fake = Pogo::fake();
        $alice = $this->actingAs($this->user('alice'));

        $alice->postJson('/messages', ['text' => ''])->assertStatus(422)
            ->assertJsonPath('errors.text.0', 'The text field is required.');
        $alice->postJson('/messages', ['text' => str_repeat('x', 501)])->assertStatus(422);
        $alice->postJson('/messages', ['text' => ['array']])->assertStatus(422);

        $this->actingAs($this->user('mallory'))->postJson('/messages', ['text' => 'hi'])->assertForbidden();

        $fake->assertNothingBroadcasted();
    }

    public function test_a_nudge_is_queued_for_the_recipients_private_channel(): void
    {
        Queue::fake();

        $this->actingAs($this->user('alice'))->postJson('/nudge', ['to' => 'bob'])
            ->assertStatus(202)->assertJson(['queued' => true, 'to' => 'bob']);

        Queue::assertPushed(BroadcastEvent::class, fn (BroadcastEvent $job) => $job->event instanceof UserNudged
            && $job->event->to === 'bob'
            && $job->event->broadcastOn()->name === 'private-users.bob');
    }

    public function test_nudging_yourself_or_nobody_is_refused(): void
    {
        Queue::fake();
        $alice = $this->actingAs($this->user('alice'));

        $alice->postJson('/nudge', ['to' => 'alice'])->assertStatus(422);
        $alice->postJson('/nudge', ['to' => 'nobody'])->assertStatus(422);

        Queue::assertNothingPushed();
    }

    public function test_a_nudge_without_the_queue_database_says_how_to_set_it_up(): void
    {
        config(['database.connections.sqlite.database' => sys_get_temp_dir().'/pogo-example-missing-'.bin2hex(random_bytes(4)).'.sqlite']);

        $response = $this->actingAs($this->user('alice'))->postJson('/nudge', ['to' => 'bob'])->assertStatus(503);

        $this->assertStringContainsString('php artisan migrate --force', $response->json('message'));
    }

    public function test_a_server_notice_goes_to_the_users_server_to_user_channel(): void
    {
        $fake = Pogo::fake();

        $this->actingAs($this->user('bob'))->postJson('/notice', ['to' => 'alice'])->assertOk();

        $fake->assertBroadcasted('notice', fn (array $payload, array $channels) => $channels === ['#server-to-user-alice']
            && $payload['text'] === 'Bob says hello from the server.');
    }
}
