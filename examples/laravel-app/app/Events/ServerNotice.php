<?php

namespace App\Events;

use Illuminate\Broadcasting\Channel;
use Illuminate\Contracts\Broadcasting\ShouldBroadcastNow;

/**
 * A server-to-user message: published to `#server-to-user-{id}`, the
 * Pusher channel that reaches every connection signed in as that user
 * (pusher:signin through /pogo/user-auth), whatever channels it joined.
 * The browser binds it with `Echo.connector.pusher.user.bind('notice', ...)`.
 */
class ServerNotice implements ShouldBroadcastNow
{
    /** Create a notice for one user. */
    public function __construct(public string $to, public string $text, public string $at)
    {
    }

    /** The user's server-to-user channel. */
    public function broadcastOn()
    {
        return new Channel('#server-to-user-'.$this->to);
    }

    /** The event name bound on the signed-in user. */
    public function broadcastAs()
    {
        return 'notice';
    }

    /** Text and time only. */
    public function broadcastWith()
    {
        return ['text' => $this->text, 'at' => $this->at];
    }
}
