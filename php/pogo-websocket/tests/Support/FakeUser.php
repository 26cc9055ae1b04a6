<?php

namespace Pogo\WebSocket\Tests\Support;

use Illuminate\Contracts\Auth\Authenticatable;

/**
 * An in-memory user for auth tests.
 */
final class FakeUser implements Authenticatable
{
    /** Create a user with an identifier and a display name. */
    public function __construct(public int|string $id, public string $name = 'Test User')
    {
    }

    /** Return the identifier column name. */
    public function getAuthIdentifierName()
    {
        return 'id';
    }

    /** Return the identifier. */
    public function getAuthIdentifier()
    {
        return $this->id;
    }

    /** Return an empty password. */
    public function getAuthPassword()
    {
        return '';
    }

    /** Laravel 11+ contract method. */
    public function getAuthPasswordName()
    {
        return 'password';
    }

    /** Return no remember token. */
    public function getRememberToken()
    {
        return null;
    }

    /** Ignore remember tokens. */
    public function setRememberToken($value)
    {
    }

    /** Return the remember token column name. */
    public function getRememberTokenName()
    {
        return 'remember_token';
    }
}
