<?php

namespace Pogo\WebSocket\Tests\Feature;

use Illuminate\Broadcasting\BroadcastManager;
use PHPUnit\Framework\AssertionFailedError;
use Pogo\WebSocket\Pogo;
use Pogo\WebSocket\Testing\PogoFake;
use Pogo\WebSocket\Tests\Support\FakeUser;
use Pogo\WebSocket\Tests\TestCase;

/**
 * Pogo::fake() and the PogoFake assertions.
 */
final class PogoFakeTest extends TestCase
{
    public function test_fake_replaces_the_pogo_connection_and_records_broadcasts(): void
    {
        $fake = Pogo::fake();
        $manager = $this->app->make(BroadcastManager::class);

        $this->assertSame($fake, $manager->connection('pogo'));
        $manager->connection('pogo')->broadcast(['orders', 'private-orders.1'], 'OrderShipped', ['id' => 1, 'socket' => '1.2']);

        $fake->assertBroadcasted('OrderShipped');
        $fake->assertBroadcasted('OrderShipped', fn (array $payload, array $channels, ?string $socket) => $payload === ['id' => 1] && $socket === '1.2');
        $fake->assertBroadcastedOn('private-orders.1');
        $fake->assertBroadcastedOn('orders', 'OrderShipped');
        $fake->assertBroadcastedTimes('OrderShipped', 1);
        $fake->assertNotBroadcasted('OrderCancelled');
        $this->assertCount(1, $fake->broadcasts());
    }

    public function test_failed_assertions_explain_themselves(): void
    {
        $fake = Pogo::fake();

        $fake->assertNothingBroadcasted();
        try {
            $fake->assertBroadcasted('Missing');
            $this->fail('expected an assertion failure');
        } catch (AssertionFailedError $e) {
            $this->assertStringContainsString('The expected [Missing] broadcast was not sent.', $e->getMessage());
        }

        $fake->broadcast(['a'], 'Sent', []);
        $this->expectException(AssertionFailedError::class);
        $this->expectExceptionMessage('Nothing named [Sent] was broadcast on [b].');
        $fake->assertBroadcastedOn('b', 'Sent');
    }

    public function test_fake_keeps_registered_channel_callbacks(): void
    {
        $this->app->make(BroadcastManager::class)->channel('orders.{id}', fn ($user, $id) => $id === '1');
        $fake = Pogo::fake();
        $this->user = new FakeUser(3);

        $ok = $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-orders.1']);
        $denied = $this->post('/pogo/auth', ['socket_id' => '1.1', 'channel_name' => 'private-orders.2']);

        $this->assertInstanceOf(PogoFake::class, $fake);
        $this->assertSame(['channel' => 'private-orders.1', 'result' => true], $this->json($ok));
        $this->assertSame(403, $denied->getStatusCode());
    }

    public function test_fake_answers_user_auth(): void
    {
        Pogo::fake();

        $this->assertSame(403, $this->post('/pogo/user-auth', ['socket_id' => '1.1'])->getStatusCode());
        $this->user = new FakeUser(9);
        $this->assertSame(['user_data' => '{"id":"9"}'], $this->json($this->post('/pogo/user-auth', ['socket_id' => '1.1'])));
    }

    public function test_fake_works_without_a_configured_connection(): void
    {
        $this->app['config']->set('broadcasting.connections.pogo.app_id', null);

        $fake = Pogo::fake();
        $fake->broadcast(['a'], 'E', []);

        $fake->assertBroadcastedOn('a', 'E');
    }
}
