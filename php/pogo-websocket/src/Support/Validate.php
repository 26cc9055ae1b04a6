<?php

namespace Pogo\WebSocket\Support;

/**
 * Input checks shared by the auth routes and the broadcaster, following the
 * Pusher rules (PROTOCOL.md §A.5 and §A.10).
 */
final class Validate
{
    /** Longest channel name Pusher accepts, prefix included. */
    public const MAX_CHANNEL_LENGTH = 164;

    /** Return true when the socket id has the Pusher shape "digits.digits". */
    public static function socketId(mixed $socketId): bool
    {
        return is_string($socketId) && preg_match('/\A\d+\.\d+\z/', $socketId) === 1;
    }

    /** Return true when the channel name uses the Pusher character set and is at most 164 characters. */
    public static function channelName(mixed $channel): bool
    {
        return is_string($channel)
            && strlen($channel) <= self::MAX_CHANNEL_LENGTH
            && preg_match('/\A#?[-a-zA-Z0-9_=@,.;]+\z/', $channel) === 1;
    }
}
