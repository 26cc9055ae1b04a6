<?php

namespace App\Events;

use Illuminate\Broadcasting\InteractsWithSockets;
use Illuminate\Broadcasting\PrivateChannel;
use Illuminate\Contracts\Broadcasting\ShouldBroadcast;

/**
 * A private notification to one user (channel `private-users.{id}`).
 * Queued: a queue worker (`php artisan queue:work`) broadcasts it, and
 * outside FrankenPHP the broadcaster takes the HTTP path (the signed Pusher
 * HTTP API of the pogo_websocket handler).
 */
class UserNudged implements ShouldBroadcast
{
    use InteractsWithSockets;

    /**
     * @param  string  $to  the user who gets the notification
     * @param  array{id: string, name: string}  $from  who sent it
     */
    public function __construct(public string $to, public array $from, public string $at)
    {
    }

    /** The recipient's private channel. */
    public function broadcastOn()
    {
        return new PrivateChannel('users.'.$this->to);
    }

    /** Echo listens with `.listen('.user.nudged', ...)`. */
    public function broadcastAs()
    {
        return 'user.nudged';
    }

    /** The recipient is in the channel name already. */
    public function broadcastWith()
    {
        return ['from' => $this->from, 'at' => $this->at];
    }
}
