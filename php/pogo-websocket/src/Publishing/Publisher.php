<?php

namespace Pogo\WebSocket\Publishing;

use Illuminate\Broadcasting\BroadcastException;

/**
 * Sends one event to at most 100 channels of the Pogo server.
 */
interface Publisher
{
    /**
     * Publish $data (already a JSON string) as $event on $channels, skipping
     * the connection $socketId when it is given.
     *
     * @param  list<string>  $channels
     *
     * @throws BroadcastException when the server refuses or cannot be reached
     */
    public function publish(string $appId, array $channels, string $event, string $data, ?string $socketId = null): void;
}
