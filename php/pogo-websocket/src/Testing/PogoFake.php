<?php

namespace Pogo\WebSocket\Testing;

use Illuminate\Broadcasting\Broadcasters\Broadcaster;
use Illuminate\Broadcasting\Broadcasters\UsePusherChannelConventions;
use PHPUnit\Framework\Assert as PHPUnit;

/**
 * A `pogo` broadcaster for application tests: records every broadcast
 * instead of publishing, and authorizes channels with the registered
 * channel callbacks, returning the callback result unsigned.
 */
class PogoFake extends Broadcaster
{
    use UsePusherChannelConventions;

    /** @var list<array{channels: list<string>, event: string, payload: array, socket: string|null}> */
    protected array $broadcasts = [];

    /** Copy the channel callbacks of another broadcaster so auth still works. */
    public function inheritChannels(Broadcaster $from): static
    {
        $this->channels = $from->channels;
        $this->channelOptions = $from->channelOptions;

        return $this;
    }

    /** Authorize like the real broadcaster (403 when denied). */
    public function auth($request)
    {
        return $this->verifyUserCanAccessChannel($request, $this->normalizeChannelName((string) $request->input('channel_name')));
    }

    /** Return the channel callback's result. */
    public function validAuthenticationResponse($request, $result)
    {
        return ['channel' => $request->input('channel_name'), 'result' => $result];
    }

    /** Return unsigned user data for the request's user, or null (403) without one. */
    public function resolveAuthenticatedUser($request)
    {
        $user = $request->user();

        return $user ? ['user_data' => json_encode(['id' => (string) $user->getAuthIdentifier()])] : null;
    }

    /** Record the broadcast; the toOthers() socket is kept apart from the payload. */
    public function broadcast(array $channels, $event, array $payload = [])
    {
        $socket = $payload['socket'] ?? null;
        unset($payload['socket']);

        $this->broadcasts[] = [
            'channels' => $this->formatChannels($channels),
            'event' => (string) $event,
            'payload' => $payload,
            'socket' => $socket,
        ];
    }

    /**
     * Return the recorded broadcasts, optionally only those of $event.
     *
     * @return list<array{channels: list<string>, event: string, payload: array, socket: string|null}>
     */
    public function broadcasts(?string $event = null): array
    {
        return array_values(array_filter(
            $this->broadcasts, fn (array $b) => $event === null || $b['event'] === $event
        ));
    }

    /** Assert $event was broadcast, optionally matching $callback(payload, channels, socket). */
    public function assertBroadcasted(string $event, ?callable $callback = null): void
    {
        $matching = array_filter($this->broadcasts($event), fn (array $b) => $callback === null
            || $callback($b['payload'], $b['channels'], $b['socket']));

        PHPUnit::assertNotEmpty($matching, "The expected [{$event}] broadcast was not sent.");
    }

    /** Assert $event was broadcast exactly $times times. */
    public function assertBroadcastedTimes(string $event, int $times): void
    {
        $count = count($this->broadcasts($event));
        PHPUnit::assertSame($times, $count, "[{$event}] was broadcast {$count} times instead of {$times}.");
    }

    /** Assert $event was not broadcast. */
    public function assertNotBroadcasted(string $event): void
    {
        PHPUnit::assertEmpty($this->broadcasts($event), "The unexpected [{$event}] broadcast was sent.");
    }

    /** Assert something (or $event) was broadcast on $channel. */
    public function assertBroadcastedOn(string $channel, ?string $event = null): void
    {
        $matching = array_filter($this->broadcasts($event), fn (array $b) => in_array($channel, $b['channels'], true));

        PHPUnit::assertNotEmpty($matching, sprintf('Nothing%s was broadcast on [%s].', $event ? " named [{$event}]" : '', $channel));
    }

    /** Assert nothing was broadcast. */
    public function assertNothingBroadcasted(): void
    {
        PHPUnit::assertEmpty($this->broadcasts, count($this->broadcasts).' unexpected broadcasts were sent.');
    }
}
