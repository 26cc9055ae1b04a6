<?php

namespace Tests\Feature;

use Tests\TestCase;

/** The user picker and the auth middleware. */
final class LoginTest extends TestCase
{
    public function test_guests_are_sent_to_the_login_page(): void
    {
        $this->get('/')->assertRedirect('/login');
        $this->get('/login')->assertOk()->assertSee('data-testid="login-alice"', false);
    }

    public function test_a_known_user_logs_in_and_an_unknown_one_is_refused(): void
    {
        $this->post('/login', ['user' => 'alice'])->assertRedirect('/');
        $this->assertAuthenticatedAs($this->user('alice'));

        $this->post('/logout')->assertRedirect('/login');
        $this->assertGuest();

        $this->postJson('/login', ['user' => 'eve'])->assertStatus(422)->assertJsonValidationErrors('user');
        $this->assertGuest();
    }

    public function test_the_room_page_tells_echo_to_connect_back_to_this_host_and_port(): void
    {
        $this->actingAs($this->user('bob'))
            ->get('http://chat.test:8123/')
            ->assertOk()
            ->assertSee('"VITE_POGO_HOST":"chat.test"', false)
            ->assertSee('"VITE_POGO_PORT":8123', false)
            ->assertSee('"VITE_POGO_APP_KEY":"pogo-app"', false)
            ->assertSee('<meta name="csrf-token"', false);
    }
}
