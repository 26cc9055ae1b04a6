<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook member_removed: a user's last connection left the presence channel.
 */
final readonly class MemberRemoved
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public string $userId,
        public int $timeMs,
    ) {
    }
}
