<?php

namespace Pogo\WebSocket\Http\Controllers;

use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Http\Request;

/**
 * POST /pogo/auth: signs a private, private-encrypted or presence
 * subscription with the pogo connection (403 when denied).
 */
final class ChannelAuthController
{
    /** Create the controller. */
    public function __construct(private BroadcastManager $broadcast)
    {
    }

    /** Authorize the channel and return the signed auth response. */
    public function __invoke(Request $request)
    {
        if ($request->hasSession()) {
            $request->session()->reflash();
        }

        return $this->broadcast->connection(config('pogo-websocket.connection', 'pogo'))->auth($request);
    }
}
