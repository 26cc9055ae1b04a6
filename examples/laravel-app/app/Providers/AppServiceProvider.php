<?php

namespace App\Providers;

use App\Auth\DemoUserProvider;
use Illuminate\Support\Facades\Auth;
use Illuminate\Support\ServiceProvider;

/** Registers the `demo` user provider (the fixed list of App\Auth\DemoUsers). */
class AppServiceProvider extends ServiceProvider
{
    /** Nothing to bind. */
    public function register()
    {
    }

    /** Make `'driver' => 'demo'` available to config/auth.php. */
    public function boot()
    {
        Auth::provider('demo', fn () => new DemoUserProvider());
    }
}
