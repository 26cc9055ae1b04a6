<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook channel_vacated: the channel lost its last subscriber (sent after a short grace period).
 */
final readonly class ChannelVacated
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public int $timeMs,
    ) {
    }
}
