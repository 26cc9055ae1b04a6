<?php

namespace Pogo\WebSocket\Tests\Support;

/**
 * Stands in for pogo_websocket_broadcast_multi(): records each call's
 * arguments and returns a preset status code.
 */
final class NativeFunctionDouble
{
    /** @var list<list<string>> */
    public array $calls = [];

    /** Create the double with the status every call returns. */
    public function __construct(public int $status = 0)
    {
    }

    /** Record the call and return the status. */
    public function __invoke(string ...$args): int
    {
        $this->calls[] = $args;

        return $this->status;
    }
}
