<?php

namespace Pogo\WebSocket\Broadcasting;

use Illuminate\Broadcasting\BroadcastException;

/**
 * End-to-end encryption of events on private-encrypted-* channels, as the
 * Pusher SDKs do it: NaCl secretbox keyed with sha256(channel . master key),
 * a random 24-byte nonce, data = {"nonce": b64, "ciphertext": b64}.
 */
final class PayloadEncryptor
{
    /** @param  string|null  $masterKey  raw 32-byte master key */
    public function __construct(private ?string $masterKey)
    {
    }

    /** Encrypt $data (a JSON string) for $channel and return the JSON envelope. */
    public function encrypt(string $channel, string $data): string
    {
        if ($this->masterKey === null) {
            throw new BroadcastException("Pogo: cannot broadcast on [{$channel}]: encryption_master_key is not configured.");
        }
        if (! function_exists('sodium_crypto_secretbox')) {
            throw new BroadcastException("Pogo: cannot broadcast on [{$channel}]: the sodium extension is required.");
        }

        $key = hash('sha256', $channel.$this->masterKey, true);
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);

        return json_encode([
            'nonce' => base64_encode($nonce),
            'ciphertext' => base64_encode(sodium_crypto_secretbox($data, $nonce, $key)),
        ], JSON_THROW_ON_ERROR);
    }
}
