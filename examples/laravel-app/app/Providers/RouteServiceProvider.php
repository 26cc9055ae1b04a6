<?php

namespace App\Providers;

use Illuminate\Foundation\Support\Providers\RouteServiceProvider as ServiceProvider;
use Illuminate\Support\Facades\Route;

/**
 * Loads routes/web.php in the `web` middleware group. The framework's base
 * provider refreshes route name lookups once the app has booted, which
 * route('login') (the redirect for guests) relies on.
 */
class RouteServiceProvider extends ServiceProvider
{
    /** Register the web routes (skipped by the base class when routes are cached). */
    public function boot()
    {
        $this->routes(function () {
            Route::middleware('web')->group(base_path('routes/web.php'));
        });
    }
}
