<?php

namespace Pogo\WebSocket\Http\Controllers;

use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Http\Request;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;

/**
 * POST /pogo/user-auth: signs pusher:signin user data for the current user
 * (403 without one).
 */
final class UserAuthController
{
    /** Create the controller. */
    public function __construct(private BroadcastManager $broadcast)
    {
    }

    /** Return {"auth": "<key>:<sig>", "user_data": "..."} or 403. */
    public function __invoke(Request $request)
    {
        $broadcaster = $this->broadcast->connection(config('pogo-websocket.connection', 'pogo'));

        return $broadcaster->resolveAuthenticatedUser($request) ?? throw new AccessDeniedHttpException;
    }
}
