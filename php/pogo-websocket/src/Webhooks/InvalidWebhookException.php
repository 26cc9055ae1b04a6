<?php

namespace Pogo\WebSocket\Webhooks;

use RuntimeException;

/**
 * A rejected webhook request; the code is the HTTP status to answer
 * (400 malformed, 401 bad key, signature or stale, 413 too large, 503 not configured).
 */
final class InvalidWebhookException extends RuntimeException
{
    public const MALFORMED = 400;
    public const UNAUTHORIZED = 401;
    public const TOO_LARGE = 413;
    public const NOT_CONFIGURED = 503;

    /** Create the exception with the HTTP status it maps to. */
    public static function status(int $status, string $message): self
    {
        return new self($message, $status);
    }
}
