<?php

namespace Pogo\WebSocket\Publishing;

use Closure;
use Illuminate\Broadcasting\BroadcastException;
use ReflectionFunction;

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

    /**
     * Wrap the given callable, or the extension function when the extension
     * provides it (a userland function of that name, such as an IDE stub that
     * got loaded, does not count).
     */
    public function __construct(?callable $function = null)
    {
        if ($function === null && self::extensionLoaded()) {
            $function = self::FUNCTION;
        }

        $this->function = $function === null ? null : Closure::fromCallable($function);
    }

    /** Return true when the extension's internal function exists in this process. */
    public static function extensionLoaded(): bool
    {
        return function_exists(self::FUNCTION) && (new ReflectionFunction(self::FUNCTION))->isInternal();
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
        if (! is_int($status)) {
            throw new BroadcastException(sprintf('Pogo native broadcast returned %s instead of a status code.', get_debug_type($status)));
        }

        NativeStatus::check($status, $appId, $event);
    }
}
