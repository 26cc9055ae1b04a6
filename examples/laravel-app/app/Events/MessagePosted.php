<?php

namespace App\Events;

use Illuminate\Broadcasting\Channel;
use Illuminate\Broadcasting\InteractsWithSockets;
use Illuminate\Contracts\Broadcasting\ShouldBroadcastNow;

/**
 * A chat message on the public feed (channel `chat`), broadcast at once
 * from the request: inside FrankenPHP this is the native path
 * (pogo_websocket_broadcast_multi). Sent with toOthers(), so the author's
 * own socket does not get it back (the page shows it right away).
 */
class MessagePosted implements ShouldBroadcastNow
{
    use InteractsWithSockets;

    /** @param  array{id: string, name: string}  $user  the author */
    public function __construct(public array $user, public string $text, public string $at)
    {
    }

    /** The public feed. */
    public function broadcastOn()
    {
        return new Channel('chat');
    }

    /** Echo listens with `.listen('.message.posted', ...)`. */
    public function broadcastAs()
    {
        return 'message.posted';
    }
}
