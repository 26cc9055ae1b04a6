@extends('layout')

@section('title', 'Log in')

@section('content')
<section class="card narrow">
    <h1>Who are you?</h1>
    <p class="muted">Open a second tab (or a private window) and log in as someone else to chat between them.
        Mallory may log in, but the room refuses her.</p>
    <form method="post" action="/login" class="login">
        @csrf
        @foreach ($users as $u)
            <button type="submit" name="user" value="{{ $u->id }}" data-testid="login-{{ $u->id }}">{{ $u->name }}</button>
        @endforeach
    </form>
    @error('user')<p class="error">{{ $message }}</p>@enderror
</section>
@endsection
