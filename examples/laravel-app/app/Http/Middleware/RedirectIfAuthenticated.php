<?php

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Auth;

/** Sends a logged-in user from the login page to the chat room. */
class RedirectIfAuthenticated
{
    /** Redirect to / when someone is logged in, else continue. */
    public function handle(Request $request, Closure $next)
    {
        return Auth::check() ? redirect('/') : $next($request);
    }
}
