<?php

namespace Pogo\WebSocket\Publishing;

use Closure;
use Illuminate\Broadcasting\BroadcastException;

/**
 * Publishes through the pogo_websocket PHP extension, available only inside
 * FrankenPHP with the module loaded. The call enqueues and returns a status
 * code without waiting on the network.
 */
class NativePublisher implements Publisher
{
    /** Name of the extension function this publisher calls by default. */
    public const FUNCTION = 'pogo_websocket_broadcast_multi';

    /** The function to call, or null when the extension is absent. */
    private ?Closure $function;

    /** Wrap the given callable, or the extension function when it exists. */
    public function __construct(?callable $function = null)
    {
        if ($function === null && function_exists(self::FUNCTION)) {
            $function = self::FUNCTION;
        }

        $this->function = $function === null ? null : Closure::fromCallable($function);
    }

    /** Return true when native publishing can be used in this process. */
    public function available(): bool
    {
        return $this->function !== null;
    }

    /** Publish via the extension and map a non-zero status to a BroadcastException. */
    public function publish(string $appId, array $channels, string $event, string $data, ?string $socketId = null): void
    {
        if ($this->function === null) {
            throw new BroadcastException('Pogo native broadcast is unavailable: the pogo_websocket extension is not loaded.');
        }

        $json = json_encode(array_values($channels), JSON_UNESCAPED_SLASHES);
        $args = [$appId, $json, $event, $data];
        if ($socketId !== null && $socketId !== '') {
            $args[] = $socketId;
        }

        $status = ($this->function)(...$args);

        NativeStatus::check((int) $status, $appId, $event);
    }
}
