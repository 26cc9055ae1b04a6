<?php

namespace Pogo\WebSocket\Webhooks;

use Closure;
use Pogo\WebSocket\Support\Signature;

/**
 * Authenticates webhook requests from the Pogo server: X-Pusher-Key must
 * equal the app key and X-Pusher-Signature the hex HMAC-SHA256 of the raw
 * body with the webhook secret (constant-time comparisons); time_ms must be
 * within $tolerance seconds of now, which bounds replays.
 */
final class WebhookVerifier
{
    /** Default freshness window in seconds. */
    public const DEFAULT_TOLERANCE = 300;

    /** Default largest accepted body in bytes. */
    public const DEFAULT_MAX_BODY = 1048576;

    /** @param  Closure|null  $clockMs  returns now in milliseconds (defaults to the system clock) */
    public function __construct(
        private string $appKey,
        private ?string $secret,
        private int $tolerance = self::DEFAULT_TOLERANCE,
        private int $maxBody = self::DEFAULT_MAX_BODY,
        private ?Closure $clockMs = null,
    ) {
    }

    /**
     * Verify the headers and body, and return the decoded JSON body.
     *
     * @return array<string, mixed>
     *
     * @throws InvalidWebhookException
     */
    public function verify(?string $key, ?string $signature, string $body): array
    {
        if ($this->secret === null || $this->secret === '') {
            throw InvalidWebhookException::status(InvalidWebhookException::NOT_CONFIGURED, 'Webhook secret is not configured (POGO_WEBHOOK_SECRET).');
        }
        if ($this->appKey === '') {
            throw InvalidWebhookException::status(InvalidWebhookException::NOT_CONFIGURED, 'The pogo broadcasting connection has no app key or app_id.');
        }
        if (strlen($body) > $this->maxBody) {
            throw InvalidWebhookException::status(InvalidWebhookException::TOO_LARGE, "Webhook body exceeds {$this->maxBody} bytes.");
        }
        if ($key === null || ! hash_equals($this->appKey, $key)) {
            throw InvalidWebhookException::status(InvalidWebhookException::UNAUTHORIZED, 'Unknown X-Pusher-Key.');
        }
        if ($signature === null || ! hash_equals(Signature::webhook($this->secret, $body), strtolower($signature))) {
            throw InvalidWebhookException::status(InvalidWebhookException::UNAUTHORIZED, 'Invalid X-Pusher-Signature.');
        }

        $payload = json_decode($body, true);
        if (! is_array($payload)) {
            throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, 'Webhook body is not a JSON object.');
        }

        $this->assertFresh($payload['time_ms'] ?? null);

        return $payload;
    }

    /** Reject a missing time_ms or one outside the tolerance window. */
    private function assertFresh(mixed $timeMs): void
    {
        if (! is_int($timeMs)) {
            throw InvalidWebhookException::status(InvalidWebhookException::MALFORMED, 'Webhook time_ms must be an integer.');
        }

        $now = $this->clockMs ? ($this->clockMs)() : (int) floor(microtime(true) * 1000);
        if (abs($now - $timeMs) > $this->tolerance * 1000) {
            throw InvalidWebhookException::status(InvalidWebhookException::UNAUTHORIZED, 'Stale webhook: time_ms is outside the accepted window.');
        }
    }
}
