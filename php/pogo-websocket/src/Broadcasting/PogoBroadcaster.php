<?php

namespace Pogo\WebSocket\Broadcasting;

use Closure;
use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Broadcasting\Broadcasters\Broadcaster;
use Illuminate\Broadcasting\Broadcasters\UsePusherChannelConventions;
use Illuminate\Support\Arr;
use JsonException;
use Pogo\WebSocket\Publishing\NativePublisher;
use Pogo\WebSocket\Publishing\Publisher;

/**
 * The `pogo` broadcaster: Pusher channel conventions and auth responses
 * signed locally, events published natively inside FrankenPHP or through the
 * signed HTTP API everywhere else.
 */
class PogoBroadcaster extends Broadcaster
{
    use UsePusherChannelConventions;
    use SignsAuthResponses;

    /** Most channels one publish call accepts (Pusher's limit). */
    public const CHANNELS_PER_PUBLISH = 100;

    /** Callback resolving the signed-in user's data for user authentication. */
    protected ?Closure $userResolver = null;

    /** Create a broadcaster for one connection. */
    public function __construct(
        protected ConnectionConfig $config,
        protected NativePublisher $native,
        protected Publisher $http,
    ) {
    }

    /**
     * Broadcast the event to the channels, excluding the `socket` of toOthers().
     *
     * Channels are sent in chunks of 100; each private-encrypted-* channel is
     * sent alone with its own encrypted payload.
     *
     * @throws BroadcastException
     */
    public function broadcast(array $channels, $event, array $payload = [])
    {
        $socket = Arr::pull($payload, 'socket');
        $socket = is_string($socket) && $socket !== '' ? $socket : null;
        $names = array_values(array_unique($this->formatChannels($channels)));

        if ($names === []) {
            return;
        }
        if (! is_string($event) || $event === '') {
            throw new BroadcastException('Pogo: the event name must be a non-empty string.');
        }

        $data = $this->encodePayload($payload, $event);
        $publisher = $this->publisher();
        $encrypted = array_values(array_filter($names, fn (string $c) => str_starts_with($c, 'private-encrypted-')));
        $plain = array_values(array_diff($names, $encrypted));

        foreach (array_chunk($plain, self::CHANNELS_PER_PUBLISH) as $chunk) {
            $publisher->publish($this->config->appId, $chunk, $event, $data, $socket);
        }

        $encryptor = new PayloadEncryptor($this->config->masterKey);
        foreach ($encrypted as $channel) {
            $publisher->publish($this->config->appId, [$channel], $event, $encryptor->encrypt($channel, $data), $socket);
        }
    }

    /** Return the publisher in use: native inside FrankenPHP, the HTTP API otherwise. */
    public function publisher(): Publisher
    {
        return $this->native->available() ? $this->native : $this->http;
    }

    /** Return the connection settings. */
    public function config(): ConnectionConfig
    {
        return $this->config;
    }

    /** Register the callback that returns ['id' => ..., 'user_info' => ...] for user authentication. */
    public function resolveAuthenticatedUserUsing(Closure $callback)
    {
        $this->userResolver = $callback;
    }

    /** JSON-encode the payload, turning failures into a BroadcastException. */
    private function encodePayload(array $payload, string $event): string
    {
        try {
            return json_encode($payload, JSON_THROW_ON_ERROR);
        } catch (JsonException $e) {
            throw new BroadcastException("Pogo: cannot JSON-encode the payload of [{$event}]: {$e->getMessage()}", 0, $e);
        }
    }
}
