<?php

use App\Models\User;
use Illuminate\Support\Facades\Broadcast;

/*
 * Channel authorization, answered by /pogo/auth in the auth worker.
 * Echo names omit the Pusher prefixes: Echo.join('room') subscribes to
 * presence-room, Echo.private('users.bob') to private-users.bob.
 */

// Presence: everyone admitted to the room, with the profile other members see.
Broadcast::channel('room', fn (User $user) => $user->inRoom ? $user->profile() : false);

// Private notifications: only the user themselves.
Broadcast::channel('users.{id}', fn (User $user, string $id) => $user->id === $id);
