<?php

namespace App\Auth;

use App\Models\User;

/**
 * The fixed users of the demo. Alice and Bob may join the chat room;
 * Mallory may log in but every room channel refuses her (403), which is
 * what the end-to-end test checks.
 */
final class DemoUsers
{
    /** @return array<string, User> users by id, in display order */
    public static function all(): array
    {
        return [
            'alice' => new User('alice', 'Alice'),
            'bob' => new User('bob', 'Bob'),
            'mallory' => new User('mallory', 'Mallory', inRoom: false),
        ];
    }

    /** Return the user with this id, or null. */
    public static function find(mixed $id): ?User
    {
        return is_string($id) ? (self::all()[$id] ?? null) : null;
    }
}
