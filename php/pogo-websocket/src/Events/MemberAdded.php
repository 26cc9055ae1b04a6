<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook member_added: a user's first connection joined the presence channel.
 */
final readonly class MemberAdded
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public string $userId,
        public int $timeMs,
    ) {
    }
}
