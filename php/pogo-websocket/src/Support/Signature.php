<?php

namespace Pogo\WebSocket\Support;

/**
 * Pusher protocol signatures: HMAC-SHA256, lowercase hex, keyed with a secret.
 *
 * Every method is a pure function of its arguments so it can be checked
 * against the published test vectors (PROTOCOL.md §A.6 and §A.11).
 */
final class Signature
{
    /** Sign "socket_id:channel" for a private or private-encrypted channel. */
    public static function channel(string $secret, string $socketId, string $channel): string
    {
        return self::hmac($secret, $socketId.':'.$channel);
    }

    /** Sign "socket_id:channel:channel_data" over the exact channel_data bytes of a presence channel. */
    public static function presence(string $secret, string $socketId, string $channel, string $channelData): string
    {
        return self::hmac($secret, $socketId.':'.$channel.':'.$channelData);
    }

    /** Sign "socket_id::user::user_data" for user authentication (pusher:signin). */
    public static function user(string $secret, string $socketId, string $userData): string
    {
        return self::hmac($secret, $socketId.'::user::'.$userData);
    }

    /**
     * Sign an HTTP API request: "METHOD\npath\nk=v&..." with keys lowercased,
     * sorted, values not URL-escaped, and auth_signature itself excluded.
     *
     * @param  array<string, scalar>  $params
     */
    public static function api(string $secret, string $method, string $path, array $params): string
    {
        return self::hmac($secret, self::apiStringToSign($method, $path, $params));
    }

    /**
     * Build the string an HTTP API signature covers.
     *
     * @param  array<string, scalar>  $params
     */
    public static function apiStringToSign(string $method, string $path, array $params): string
    {
        $lower = [];
        foreach ($params as $key => $value) {
            $key = strtolower((string) $key);
            if ($key !== 'auth_signature') {
                $lower[$key] = (string) $value;
            }
        }
        ksort($lower, SORT_STRING);

        $pairs = [];
        foreach ($lower as $key => $value) {
            $pairs[] = $key.'='.$value;
        }

        return strtoupper($method)."\n".$path."\n".implode('&', $pairs);
    }

    /** Sign a webhook body: hex HMAC-SHA256 of the raw bytes. */
    public static function webhook(string $secret, string $body): string
    {
        return self::hmac($secret, $body);
    }

    /** Derive the base64 shared secret of a private-encrypted channel: sha256(channel . master key bytes). */
    public static function sharedSecret(string $channel, string $masterKey): string
    {
        return base64_encode(hash('sha256', $channel.$masterKey, true));
    }

    /** Compute hex HMAC-SHA256 of a message with a secret. */
    public static function hmac(string $secret, string $message): string
    {
        return hash_hmac('sha256', $message, $secret);
    }
}
