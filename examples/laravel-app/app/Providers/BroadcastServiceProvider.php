<?php

namespace App\Providers;

use App\Models\User;
use Illuminate\Support\Facades\Broadcast;
use Illuminate\Support\ServiceProvider;

/**
 * Loads the channel callbacks (routes/channels.php) and says what
 * pusher:signin shares about a user. The auth routes themselves
 * (/pogo/auth, /pogo/user-auth) come from the pogo/websocket package, so
 * Broadcast::routes() is not called.
 */
class BroadcastServiceProvider extends ServiceProvider
{
    /** Register channel callbacks and the signed-in user's data. */
    public function boot()
    {
        require base_path('routes/channels.php');

        Broadcast::resolveAuthenticatedUserUsing(function ($request) {
            $user = $request->user();

            return $user instanceof User
                ? ['id' => $user->id, 'user_info' => ['name' => $user->name]]
                : null;
        });
    }
}
