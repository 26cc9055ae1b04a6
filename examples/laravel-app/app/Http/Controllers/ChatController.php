<?php

namespace App\Http\Controllers;

use App\Auth\DemoUsers;
use App\Events\MessagePosted;
use App\Events\ServerNotice;
use App\Events\UserNudged;
use App\Models\User;
use Illuminate\Database\QueryException;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Validation\Rule;
use InvalidArgumentException;
use PDOException;

/**
 * The chat room page and the three ways the server broadcasts:
 * a message to the public feed (now, toOthers), a queued private nudge,
 * and a server-to-user notice.
 */
class ChatController
{
    /** Longest accepted message, in characters. */
    public const MAX_MESSAGE = 500;

    /** Show the room, with what the page's JavaScript needs to connect back to this server. */
    public function show(Request $request)
    {
        $user = $request->user();

        return view('chat', [
            'user' => $user,
            'others' => array_values(array_filter(DemoUsers::all(), fn (User $u) => $u->id !== $user->id)),
            'pogoEnv' => self::clientEnv($request),
        ]);
    }

    /** POST /messages {text}: broadcast to everyone but the author's socket (X-Socket-ID); 403 outside the room. */
    public function post(Request $request)
    {
        $user = $request->user();
        abort_unless($user->inRoom, 403, 'You are not allowed in the chat room.');
        $data = $request->validate(['text' => ['required', 'string', 'max:'.self::MAX_MESSAGE]]);

        $event = new MessagePosted($user->profile(), trim($data['text']), now()->toIso8601String());
        broadcast($event)->toOthers();

        return new JsonResponse(['user' => $event->user, 'text' => $event->text, 'at' => $event->at], 201);
    }

    /** POST /nudge {to}: queue a private notification for another user (503 when the queue is not set up). */
    public function nudge(Request $request)
    {
        $user = $request->user();
        $data = $request->validate(['to' => ['required', 'string', Rule::in(self::otherIds($user))]]);

        try {
            event(new UserNudged($data['to'], $user->profile(), now()->toIso8601String()));
        } catch (InvalidArgumentException|QueryException|PDOException $e) {
            // No SQLite file (InvalidArgumentException from the connector) or no jobs table.
            return new JsonResponse([
                'message' => 'The queue database is not set up: run `touch storage/app/database.sqlite && php artisan migrate --force`, then `php artisan queue:work`.',
            ], 503);
        }

        return new JsonResponse(['queued' => true, 'to' => $data['to']], 202);
    }

    /** POST /notice {to}: send a server-to-user notice to a signed-in user. */
    public function notice(Request $request)
    {
        $user = $request->user();
        $data = $request->validate(['to' => ['required', 'string', Rule::in(array_keys(DemoUsers::all()))]]);

        broadcast(new ServerNotice($data['to'], "{$user->name} says hello from the server.", now()->toIso8601String()));

        return new JsonResponse(['sent' => true, 'to' => $data['to']]);
    }

    /**
     * The VITE_POGO_* values for the page: the app key from the broadcasting
     * connection and the host and port this page was served from, which is
     * also where pogo_websocket listens (one site serves both).
     */
    public static function clientEnv(Request $request): array
    {
        $connection = config('broadcasting.connections.pogo', []);
        $key = ($connection['key'] ?? null) ?: ($connection['app_id'] ?? 'pogo-app');
        $secure = $request->isSecure();

        return [
            'VITE_POGO_APP_KEY' => $key,
            'VITE_POGO_HOST' => $request->getHost(),
            'VITE_POGO_PORT' => $secure ? 80 : $request->getPort(),
            'VITE_POGO_WSS_PORT' => $secure ? $request->getPort() : 443,
            'VITE_POGO_FORCE_TLS' => $secure,
        ];
    }

    /** @return list<string> the ids of everyone but $user */
    private static function otherIds(User $user): array
    {
        return array_values(array_diff(array_keys(DemoUsers::all()), [$user->id]));
    }
}
