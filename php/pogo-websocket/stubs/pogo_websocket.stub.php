<?php

/**
 * @generate-class-entries
 * Single source of the native functions' signatures: pogows_arginfo.h is
 * generated from it (go tool mage ext:stubs) and the Laravel package ships it
 * as IDE stubs.
 */

/**
 * Publishes one event to one channel of the app through the in-process hub.
 * Never blocks on the network. Returns 0 on success or a status code 1-9.
 */
function pogo_websocket_publish(string $appId, string $channel, string $event, string $data, ?string $exceptSocketId = null): int {}

/**
 * Publishes one event to several channels; $channels is a JSON array of
 * channel names. Returns 0 on success or a status code 1-9.
 */
function pogo_websocket_broadcast_multi(string $appId, string $channels, string $event, string $data, ?string $exceptSocketId = null): int {}
