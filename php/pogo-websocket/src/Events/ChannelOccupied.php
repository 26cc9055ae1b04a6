<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook channel_occupied: the channel got its first subscriber.
 */
final readonly class ChannelOccupied
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public int $timeMs,
    ) {
    }
}
