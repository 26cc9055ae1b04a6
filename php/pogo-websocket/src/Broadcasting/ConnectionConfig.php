<?php

namespace Pogo\WebSocket\Broadcasting;

use InvalidArgumentException;

/**
 * Validated settings of one `pogo` broadcasting connection.
 *
 * Required: app_id (WS_APP_ID) and secret (WS_APP_SECRET). Optional: key
 * (defaults to app_id), host/port/scheme of the HTTP API fallback (default
 * http://127.0.0.1:8080), timeout in seconds (default 5) and
 * encryption_master_key (base64 of 32 bytes, needed for private-encrypted-*).
 */
final class ConnectionConfig
{
    /** @param  string|null  $masterKey  raw 32-byte master key, or null when encryption is not configured */
    public function __construct(
        public readonly string $appId,
        public readonly string $key,
        public readonly string $secret,
        public readonly string $scheme = 'http',
        public readonly string $host = '127.0.0.1',
        public readonly int $port = 8080,
        public readonly float $timeout = 5.0,
        public readonly ?string $masterKey = null,
    ) {
    }

    /**
     * Build from a config/broadcasting.php connection array, falling back to
     * $defaults (the `api` section of config/pogo-websocket.php) for the HTTP API keys.
     *
     * @param  array<string, mixed>  $config
     * @param  array<string, mixed>  $defaults
     *
     * @throws InvalidArgumentException on a missing or malformed value
     */
    public static function fromArray(array $config, array $defaults = []): self
    {
        $appId = self::requireString($config, 'app_id', 'WS_APP_ID');
        $secret = self::requireString($config, 'secret', 'WS_APP_SECRET');
        $key = (string) ($config['key'] ?? '') !== '' ? (string) $config['key'] : $appId;

        $scheme = strtolower((string) ($config['scheme'] ?? $defaults['scheme'] ?? 'http'));
        if (! in_array($scheme, ['http', 'https'], true)) {
            throw new InvalidArgumentException("Pogo broadcasting: scheme must be http or https, got [{$scheme}].");
        }

        $port = filter_var($config['port'] ?? $defaults['port'] ?? 8080, FILTER_VALIDATE_INT);
        if ($port === false || $port < 1 || $port > 65535) {
            throw new InvalidArgumentException('Pogo broadcasting: port must be an integer between 1 and 65535.');
        }

        $timeout = (float) ($config['timeout'] ?? $defaults['timeout'] ?? 5.0);
        if ($timeout <= 0) {
            throw new InvalidArgumentException('Pogo broadcasting: timeout must be a positive number of seconds.');
        }

        return new self(
            $appId, $key, $secret, $scheme,
            (string) ($config['host'] ?? $defaults['host'] ?? '127.0.0.1'), $port, $timeout,
            self::masterKey($config['encryption_master_key'] ?? $defaults['encryption_master_key'] ?? null),
        );
    }

    /** Return scheme://host:port of the HTTP API. */
    public function baseUrl(): string
    {
        $host = str_contains($this->host, ':') && ! str_starts_with($this->host, '[') ? "[{$this->host}]" : $this->host;

        return "{$this->scheme}://{$host}:{$this->port}";
    }

    /** Read a required non-empty string, naming its env variable in the error. */
    private static function requireString(array $config, string $name, string $env): string
    {
        $value = $config[$name] ?? null;
        if (! is_scalar($value) || (string) $value === '') {
            throw new InvalidArgumentException("Pogo broadcasting: [{$name}] is not set (env {$env}).");
        }

        return (string) $value;
    }

    /** Decode the base64 master key and require exactly 32 bytes. */
    private static function masterKey(mixed $encoded): ?string
    {
        if ($encoded === null || $encoded === '') {
            return null;
        }

        $raw = base64_decode((string) $encoded, true);
        if ($raw === false || strlen($raw) !== 32) {
            throw new InvalidArgumentException('Pogo broadcasting: encryption_master_key must be base64 of exactly 32 bytes.');
        }

        return $raw;
    }
}
