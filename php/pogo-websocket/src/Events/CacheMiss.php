<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook cache_miss: a client subscribed to a cache channel that holds no cached event.
 */
final readonly class CacheMiss
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public int $timeMs,
    ) {
    }
}
