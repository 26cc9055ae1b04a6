<?php

namespace App\Http\Controllers;

use App\Auth\DemoUsers;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Auth;
use Illuminate\Validation\Rule;

/** The demo's login: pick one of the fixed users (no passwords). */
class LoginController
{
    /** Show the user picker. */
    public function show()
    {
        return view('login', ['users' => DemoUsers::all()]);
    }

    /** Log the chosen user in (422 for an unknown user) and go to the room. */
    public function login(Request $request)
    {
        $data = $request->validate(['user' => ['required', 'string', Rule::in(array_keys(DemoUsers::all()))]]);
        Auth::login(DemoUsers::find($data['user']));
        $request->session()->regenerate();

        return redirect('/');
    }

    /** Log out and go back to the picker. */
    public function logout(Request $request)
    {
        Auth::logout();
        $request->session()->invalidate();
        $request->session()->regenerateToken();

        return redirect('/login');
    }
}
