<?php

namespace App\Providers;

use Illuminate\Support\Facades\Route;
use Illuminate\Support\ServiceProvider;

/** Loads routes/web.php in the `web` middleware group. */
class RouteServiceProvider extends ServiceProvider
{
    /** Register the web routes (skipped when routes are cached). */
    public function boot()
    {
        if ($this->app->routesAreCached()) {
            return;
        }

        Route::middleware('web')->group(base_path('routes/web.php'));
    }
}
