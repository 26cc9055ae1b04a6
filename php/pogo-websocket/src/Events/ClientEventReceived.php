<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook client_event: a client sent a client-* event; $userId is set on presence channels only.
 */
final readonly class ClientEventReceived
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public string $event,
        public string $data,
        public ?string $socketId,
        public ?string $userId,
        public int $timeMs,
    ) {
    }
}
