@extends('layout')

@section('title', 'Chat room')

@push('head')
    {{-- Where Echo connects: the host and port that served this page (pogo_websocket shares the site). --}}
    <script>
        window.pogoEnv = @json($pogoEnv);
        window.chatUser = @json(['id' => $user->id, 'name' => $user->name, 'inRoom' => $user->inRoom]);
    </script>
    <script src="/build/app.js" defer></script>
@endpush

@section('content')
<div class="room">
    <aside class="card">
        <h2>Online</h2>
        <p class="muted" data-testid="connection">connecting…</p>
        <ul data-testid="members" class="members"></ul>
        <p class="error" data-testid="room-error" hidden></p>
    </aside>

    <section class="card feed">
        <h2>Room <small class="muted">public feed</small></h2>
        <ol data-testid="messages" class="messages"></ol>
        <p class="muted typing" data-testid="typing">&nbsp;</p>
        <form data-testid="composer" class="composer">
            <input name="text" data-testid="text" maxlength="500" autocomplete="off" placeholder="Say something…" required>
            <button type="submit" data-testid="send">Send</button>
        </form>
    </section>

    <aside class="card">
        <h2>Notifications</h2>
        <div class="actions">
            @foreach ($others as $other)
                <button type="button" data-nudge="{{ $other->id }}" data-testid="nudge-{{ $other->id }}">Nudge {{ $other->name }} <small>(queued)</small></button>
                <button type="button" data-notice="{{ $other->id }}" data-testid="notice-{{ $other->id }}">Server notice to {{ $other->name }}</button>
            @endforeach
        </div>
        <ol data-testid="notifications" class="notifications"></ol>
    </aside>
</div>
@endsection
