<?php

use App\Http\Controllers\ChatController;
use App\Http\Controllers\LoginController;
use Illuminate\Support\Facades\Route;

/*
 * Pages and chat endpoints (web group: session, CSRF). The WebSocket
 * endpoint /app/{key} and the HTTP API /apps/... are served by the
 * pogo_websocket Caddy handler; /pogo/auth, /pogo/user-auth and
 * /pogo/webhook are routes of the pogo/websocket package.
 */

// Health check; `native` says whether this PHP runs inside FrankenPHP with the
// pogo_websocket extension (broadcasts then skip the HTTP API).
Route::get('/up', fn () => response()->json([
    'ok' => true,
    'native' => function_exists('pogo_websocket_broadcast_multi'),
]));

Route::middleware('guest')->group(function () {
    Route::get('/login', [LoginController::class, 'show'])->name('login');
    Route::post('/login', [LoginController::class, 'login']);
});

Route::middleware('auth')->group(function () {
    Route::get('/', [ChatController::class, 'show'])->name('chat');
    Route::post('/messages', [ChatController::class, 'post']);
    Route::post('/nudge', [ChatController::class, 'nudge']);
    Route::post('/notice', [ChatController::class, 'notice']);
    Route::post('/logout', [LoginController::class, 'logout']);
});
