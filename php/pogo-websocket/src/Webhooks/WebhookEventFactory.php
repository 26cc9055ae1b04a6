<?php

namespace Pogo\WebSocket\Webhooks;

use Pogo\WebSocket\Events\CacheMiss;
use Pogo\WebSocket\Events\ChannelOccupied;
use Pogo\WebSocket\Events\ChannelVacated;
use Pogo\WebSocket\Events\ClientEventReceived;
use Pogo\WebSocket\Events\MemberAdded;
use Pogo\WebSocket\Events\MemberRemoved;
use Pogo\WebSocket\Events\SubscriptionCount;

/**
 * Turns a verified webhook body {"time_ms":..,"events":[..]} into Laravel
 * event objects. The whole batch is validated before anything is returned;
 * entries with an unknown name are skipped (newer servers may add some).
 */
final class WebhookEventFactory
{
    /** Most events accepted in one webhook batch. */
    public const MAX_EVENTS = 100;

    /**
     * @param  array<string, mixed>  $payload
     * @return list<object>
     *
     * @throws InvalidWebhookException on a malformed entry
     */
    public function make(array $payload): array
    {
        $events = $payload['events'] ?? null;
        if (! is_array($events) || ! array_is_list($events)) {
            throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, 'Webhook events must be a JSON array.');
        }
        if (count($events) > self::MAX_EVENTS) {
            throw InvalidWebhookException::status(InvalidWebhookException::TOO_LARGE, 'Webhook batch holds more than '.self::MAX_EVENTS.' events.');
        }

        $time = (int) $payload['time_ms'];
        $out = [];
        foreach ($events as $i => $entry) {
            if (! is_array($entry)) {
                throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, "Webhook event #{$i} is not an object.");
            }
            $event = $this->one($entry, $time, $i);
            if ($event !== null) {
                $out[] = $event;
            }
        }

        return $out;
    }

    /** Build one event, or null for an unknown name. */
    private function one(array $e, int $time, int $i): ?object
    {
        $channel = fn () => $this->string($e, 'channel', $i);

        return match ($e['name'] ?? null) {
            'channel_occupied' => new ChannelOccupied($channel(), $time),
            'channel_vacated' => new ChannelVacated($channel(), $time),
            'member_added' => new MemberAdded($channel(), $this->string($e, 'user_id', $i), $time),
            'member_removed' => new MemberRemoved($channel(), $this->string($e, 'user_id', $i), $time),
            'cache_miss' => new CacheMiss($channel(), $time),
            'subscription_count' => new SubscriptionCount($channel(), $this->int($e, 'subscription_count', $i), $time),
            'client_event' => new ClientEventReceived(
                $channel(), $this->string($e, 'event', $i), $this->data($e['data'] ?? null, $i),
                $this->optional($e, 'socket_id', $i), $this->optional($e, 'user_id', $i), $time,
            ),
            default => null,
        };
    }

    /** Read a required non-empty string field. */
    private function string(array $e, string $field, int $i): string
    {
        $value = $e[$field] ?? null;
        if (! is_string($value) || $value === '') {
            throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, "Webhook event #{$i} needs a string \"{$field}\".");
        }

        return $value;
    }

    /** Read an optional string field. */
    private function optional(array $e, string $field, int $i): ?string
    {
        return array_key_exists($field, $e) && $e[$field] !== null ? $this->string($e, $field, $i) : null;
    }

    /** Read a required non-negative integer field. */
    private function int(array $e, string $field, int $i): int
    {
        $value = $e[$field] ?? null;
        if (! is_int($value) || $value < 0) {
            throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, "Webhook event #{$i} needs a non-negative integer \"{$field}\".");
        }

        return $value;
    }

    /** Client event data is a string; an object is re-encoded to JSON. */
    private function data(mixed $data, int $i): string
    {
        if (is_string($data)) {
            return $data;
        }
        if (is_array($data)) {
            return json_encode($data, JSON_THROW_ON_ERROR);
        }

        throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, "Webhook event #{$i} needs \"data\".");
    }
}
