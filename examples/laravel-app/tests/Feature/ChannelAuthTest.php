<?php

namespace Tests\Feature;

use Tests\TestCase;

/** routes/channels.php through the package's /pogo/auth and /pogo/user-auth, signed for real. */
final class ChannelAuthTest extends TestCase
{
    private const SECRET = 'example-test-secret';

    public function test_room_members_join_the_presence_channel_with_their_profile(): void
    {
        $response = $this->actingAs($this->user('alice'))
            ->postJson('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'presence-room'])
            ->assertOk();

        $channelData = $response->json('channel_data');
        $this->assertSame(['user_id' => 'alice', 'user_info' => ['id' => 'alice', 'name' => 'Alice']], json_decode($channelData, true));
        $signature = hash_hmac('sha256', "1.2:presence-room:{$channelData}", self::SECRET);
        $this->assertSame("pogo-app:{$signature}", $response->json('auth'));
    }

    public function test_mallory_is_refused_the_room_and_other_users_channels(): void
    {
        $mallory = $this->actingAs($this->user('mallory'));

        $mallory->postJson('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'presence-room'])->assertForbidden();
        $mallory->postJson('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'private-users.alice'])->assertForbidden();
        $mallory->postJson('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'private-users.mallory'])->assertOk();
    }

    public function test_guests_get_no_channel_and_no_signin(): void
    {
        $this->postJson('/pogo/auth', ['socket_id' => '1.2', 'channel_name' => 'private-users.alice'])->assertForbidden();
        $this->postJson('/pogo/user-auth', ['socket_id' => '1.2'])->assertForbidden();
    }

    public function test_signin_shares_the_users_name(): void
    {
        $response = $this->actingAs($this->user('bob'))
            ->postJson('/pogo/user-auth', ['socket_id' => '3.4'])
            ->assertOk();

        $userData = $response->json('user_data');
        $this->assertSame(['id' => 'bob', 'user_info' => ['name' => 'Bob']], json_decode($userData, true));
        $this->assertSame('pogo-app:'.hash_hmac('sha256', "3.4::user::{$userData}", self::SECRET), $response->json('auth'));
    }
}
