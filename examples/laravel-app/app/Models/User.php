<?php

namespace App\Models;

use Illuminate\Contracts\Auth\Authenticatable;

/**
 * A user of the demo. Users are a fixed list (App\Auth\DemoUsers), so the
 * example needs no users table; the identifier is a short name such as
 * "alice", which is also the Pusher user id and the private channel suffix.
 */
final class User implements Authenticatable
{
    /** Create a user; $inRoom says whether the chat room admits them. */
    public function __construct(
        public readonly string $id,
        public readonly string $name,
        public readonly bool $inRoom = true,
    ) {
    }

    /** The name of the identifier field. */
    public function getAuthIdentifierName()
    {
        return 'id';
    }

    /** The identifier, used by the session and as the Pusher user id. */
    public function getAuthIdentifier()
    {
        return $this->id;
    }

    /** Laravel 11+: name of the password field (the demo has no passwords). */
    public function getAuthPasswordName()
    {
        return 'password';
    }

    /** The demo has no passwords. */
    public function getAuthPassword()
    {
        return '';
    }

    /** "Remember me" is not supported. */
    public function getRememberToken()
    {
        return null;
    }

    /** "Remember me" is not supported. */
    public function setRememberToken($value)
    {
    }

    /** "Remember me" is not supported. */
    public function getRememberTokenName()
    {
        return '';
    }

    /** The public profile shared with presence members: id and name. */
    public function profile(): array
    {
        return ['id' => $this->id, 'name' => $this->name];
    }
}
