<?php

namespace Pogo\WebSocket\Events;

/**
 * Webhook subscription_count: the number of subscriptions of a non-presence channel changed.
 */
final readonly class SubscriptionCount
{
    /** Create the event from one webhook entry; $timeMs is the batch's time_ms. */
    public function __construct(
        public string $channel,
        public int $subscriptionCount,
        public int $timeMs,
    ) {
    }
}
