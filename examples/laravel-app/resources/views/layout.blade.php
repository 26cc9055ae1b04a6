<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    {{-- @pogo/echo-preset sends this token with /pogo/auth and /pogo/user-auth. --}}
    <meta name="csrf-token" content="{{ csrf_token() }}">
    <title>@yield('title') · {{ config('app.name') }}</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/css/app.css">
    @stack('head')
</head>
<body>
    <header class="bar">
        <strong>{{ config('app.name') }}</strong>
        <span class="muted">Laravel Echo + Pogo WebSocket inside FrankenPHP</span>
        @auth
            <form method="post" action="/logout" class="logout">
                @csrf
                <span data-testid="me">{{ auth()->user()->name }}</span>
                <button type="submit">Log out</button>
            </form>
        @endauth
    </header>
    <main>
        @yield('content')
    </main>
</body>
</html>
