<?php

namespace Pogo\WebSocket\Publishing;

use Illuminate\Broadcasting\BroadcastException;

/**
 * Meaning of the status codes returned by the native publish functions
 * (the seed's PHP API table); 0 is success.
 */
final class NativeStatus
{
    public const OK = 0;

    /** @var array<int, string> */
    public const MESSAGES = [
        1 => 'hub missing',
        2 => 'channel too long',
        3 => 'event too long',
        4 => 'payload too large',
        5 => 'invalid payload JSON',
        6 => 'broker publish failed',
        7 => 'invalid multi-channel JSON',
        8 => 'broker queue full',
        9 => 'shard queue full',
    ];

    /** Describe a status code, e.g. "4 payload too large". */
    public static function describe(int $status): string
    {
        return $status.' '.(self::MESSAGES[$status] ?? 'unknown status');
    }

    /** Throw a BroadcastException for any non-zero status code. */
    public static function check(int $status, string $appId, string $event): void
    {
        if ($status === self::OK) {
            return;
        }

        throw new BroadcastException(sprintf(
            'Pogo native broadcast of [%s] for app [%s] failed with status %s.',
            $event, $appId, self::describe($status)
        ));
    }
}
