<?php

namespace Pogo\WebSocket\Broadcasting;

use Illuminate\Support\Str;
use JsonException;
use Pogo\WebSocket\Support\Signature;
use Pogo\WebSocket\Support\Validate;
use RuntimeException;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;
use Symfony\Component\HttpKernel\Exception\BadRequestHttpException;

/**
 * Channel and user authentication of PogoBroadcaster, signed with the app
 * secret exactly as the Pusher SDK would (PROTOCOL.md §A.6).
 *
 * @property ConnectionConfig $config
 * @property \Closure|null $userResolver
 */
trait SignsAuthResponses
{
    /**
     * Authorize the request for its channel_name; 403 when the user is
     * missing or the channel callback denies, 400 on malformed input.
     */
    public function auth($request)
    {
        $channel = $request->input('channel_name');
        if (! is_string($channel) || $channel === '') {
            throw new AccessDeniedHttpException;
        }
        $this->assertAuthInput($channel, $request->input('socket_id'));

        if (! $this->isGuardedChannel($channel)) {
            throw new BadRequestHttpException('Only private- and presence- channels need authorization.');
        }

        $normalized = $this->normalizeChannelName($channel);
        if (! $this->retrieveUser($request, $normalized)) {
            throw new AccessDeniedHttpException;
        }

        return $this->verifyUserCanAccessChannel($request, $normalized);
    }

    /** Build the signed auth response for a channel the callback allowed. */
    public function validAuthenticationResponse($request, $result)
    {
        $channel = (string) $request->input('channel_name');
        $socketId = (string) $request->input('socket_id');
        $key = $this->config->key;

        if (Str::startsWith($channel, 'private')) {
            $response = ['auth' => $key.':'.Signature::channel($this->config->secret, $socketId, $channel)];
            if (Str::startsWith($channel, 'private-encrypted-')) {
                $response['shared_secret'] = Signature::sharedSecret($channel, $this->encryptionMasterKey($channel));
            }

            return $response;
        }

        $user = $this->retrieveUser($request, $this->normalizeChannelName($channel));
        $userId = method_exists($user, 'getAuthIdentifierForBroadcasting')
            ? $user->getAuthIdentifierForBroadcasting()
            : $user->getAuthIdentifier();
        if ($userId === null || $userId === '') {
            throw new AccessDeniedHttpException;
        }

        $member = ['user_id' => $userId];
        if (is_array($result) || is_object($result)) {
            $member['user_info'] = $result;
        }
        $channelData = $this->encodeJson($member);

        return [
            'auth' => $key.':'.Signature::presence($this->config->secret, $socketId, $channel, $channelData),
            'channel_data' => $channelData,
        ];
    }

    /**
     * Sign the current user for pusher:signin, or return null when there is
     * no user. The data comes from resolveAuthenticatedUserUsing(), else it is
     * {"id": "<auth identifier>"}; the id is always sent as a string.
     *
     * @return array{auth: string, user_data: string}|null
     */
    public function resolveAuthenticatedUser($request)
    {
        $socketId = $request->input('socket_id');
        if (! Validate::socketId($socketId)) {
            throw new BadRequestHttpException('Invalid socket_id.');
        }

        $user = $this->userResolver ? ($this->userResolver)($request) : $this->defaultUserData($request);
        if (! $user) {
            return null;
        }
        if (! is_array($user) || ! isset($user['id']) || ! is_scalar($user['id']) || (string) $user['id'] === '') {
            throw new RuntimeException('Pogo user authentication: the resolver must return an array with a non-empty "id".');
        }

        $user['id'] = (string) $user['id'];
        $userData = $this->encodeJson($user);

        return [
            'auth' => $this->config->key.':'.Signature::user($this->config->secret, $socketId, $userData),
            'user_data' => $userData,
        ];
    }

    /** Return {"id": ...} for the request's user, or null. */
    protected function defaultUserData($request): ?array
    {
        $user = $request->user();
        if (! $user) {
            return null;
        }

        $id = method_exists($user, 'getAuthIdentifierForBroadcasting')
            ? $user->getAuthIdentifierForBroadcasting()
            : $user->getAuthIdentifier();

        return $id === null ? null : ['id' => (string) $id];
    }

    /** Reject malformed channel names and socket ids with 400. */
    protected function assertAuthInput(string $channel, mixed $socketId): void
    {
        if (! Validate::channelName($channel)) {
            throw new BadRequestHttpException('Invalid channel_name.');
        }
        if (! Validate::socketId($socketId)) {
            throw new BadRequestHttpException('Invalid socket_id.');
        }
    }

    /** Return the raw master key or fail clearly when encrypted channels are not configured. */
    protected function encryptionMasterKey(string $channel): string
    {
        if ($this->config->masterKey === null) {
            throw new RuntimeException("Pogo: cannot authorize [{$channel}]: encryption_master_key is not configured.");
        }

        return $this->config->masterKey;
    }

    /** JSON-encode auth data (exception on failure). */
    protected function encodeJson(array $value): string
    {
        try {
            return json_encode($value, JSON_THROW_ON_ERROR);
        } catch (JsonException $e) {
            throw new RuntimeException('Pogo: cannot JSON-encode auth data: '.$e->getMessage(), 0, $e);
        }
    }
}
