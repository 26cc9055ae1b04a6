<?php

namespace App\Providers;

use App\Auth\DemoUserProvider;
use Illuminate\Support\Facades\Auth;
use Illuminate\Support\Facades\Event;
use Illuminate\Support\Facades\Log;
use Illuminate\Support\ServiceProvider;
use Pogo\WebSocket\Events\MemberAdded;
use Pogo\WebSocket\Events\MemberRemoved;

/**
 * Registers the `demo` user provider (the fixed list of App\Auth\DemoUsers)
 * and logs the presence webhooks the server posts to /pogo/webhook.
 */
class AppServiceProvider extends ServiceProvider
{
    /** Nothing to bind. */
    public function register()
    {
    }

    /** Make `'driver' => 'demo'` available to config/auth.php and listen to presence webhooks. */
    public function boot()
    {
        Auth::provider('demo', fn () => new DemoUserProvider());

        Event::listen(MemberAdded::class, function (MemberAdded $e) {
            Log::info("webhook: {$e->userId} joined {$e->channel}");
        });
        Event::listen(MemberRemoved::class, function (MemberRemoved $e) {
            Log::info("webhook: {$e->userId} left {$e->channel}");
        });
    }
}
