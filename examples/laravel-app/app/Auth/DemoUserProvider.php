<?php

namespace App\Auth;

use Illuminate\Contracts\Auth\Authenticatable;
use Illuminate\Contracts\Auth\UserProvider;

/**
 * The `demo` user provider: looks users up in DemoUsers. Credentials are
 * just {"id": "<user id>"}: the login form is a user picker, not a password
 * check (this is a demo of broadcasting, not of authentication).
 */
final class DemoUserProvider implements UserProvider
{
    /** Find a user by id. */
    public function retrieveById($identifier)
    {
        return DemoUsers::find($identifier);
    }

    /** Tokens are not supported. */
    public function retrieveByToken($identifier, $token)
    {
        return null;
    }

    /** Tokens are not supported. */
    public function updateRememberToken(Authenticatable $user, $token)
    {
    }

    /** Find a user by the "id" credential. */
    public function retrieveByCredentials(array $credentials)
    {
        return DemoUsers::find($credentials['id'] ?? null);
    }

    /** Any known user is valid. */
    public function validateCredentials(Authenticatable $user, array $credentials)
    {
        return DemoUsers::find($credentials['id'] ?? null) !== null;
    }

    /** Laravel 11+: passwords are not stored, nothing to rehash. */
    public function rehashPasswordIfRequired(Authenticatable $user, array $credentials, bool $force = false)
    {
    }
}
