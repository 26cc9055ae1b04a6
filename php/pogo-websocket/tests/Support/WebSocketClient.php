<?php

namespace Pogo\WebSocket\Tests\Support;

use RuntimeException;

/**
 * A minimal RFC 6455 client for integration tests against a real Pogo
 * server: text frames only, masked sends, ping answered, fragmented
 * messages reassembled. Every wait has a generous deadline.
 */
final class WebSocketClient
{
    /** @var resource */
    private $socket;

    /** Bytes read but not yet consumed. */
    private string $buffer = '';

    /** Connect and complete the opening handshake on $path. */
    public function __construct(string $host, int $port, string $path, private float $timeout = 20.0)
    {
        $socket = stream_socket_client("tcp://{$host}:{$port}", $errno, $error, $timeout);
        if ($socket === false) {
            throw new RuntimeException("cannot connect to {$host}:{$port}: {$error}");
        }
        $this->socket = $socket;

        $key = base64_encode(random_bytes(16));
        fwrite($socket, "GET {$path} HTTP/1.1\r\nHost: {$host}:{$port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            ."Sec-WebSocket-Key: {$key}\r\nSec-WebSocket-Version: 13\r\n\r\n");

        $head = '';
        while (! str_contains($head, "\r\n\r\n")) {
            $head .= $this->readSome();
        }
        [$head, $this->buffer] = explode("\r\n\r\n", $head, 2);
        $accept = base64_encode(sha1($key.'258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true));
        if (! str_starts_with($head, 'HTTP/1.1 101') || stripos($head, "Sec-WebSocket-Accept: {$accept}") === false) {
            throw new RuntimeException("WebSocket handshake failed:\n{$head}");
        }
    }

    /** Send a JSON message as a masked text frame. */
    public function send(array $message): void
    {
        $payload = json_encode($message, JSON_THROW_ON_ERROR);
        $this->writeFrame(0x1, $payload);
    }

    /** Return the next JSON message, answering pings on the way. */
    public function receive(): array
    {
        $message = '';
        while (true) {
            [$fin, $opcode, $payload] = $this->readFrame();
            if ($opcode === 0x9) {
                $this->writeFrame(0xA, $payload);
                continue;
            }
            if ($opcode === 0x8) {
                $code = strlen($payload) >= 2 ? unpack('n', $payload)[1] : 0;
                throw new RuntimeException("server closed the connection: {$code} ".substr($payload, 2));
            }
            if ($opcode === 0xA) {
                continue;
            }
            $message .= $payload;
            if ($fin) {
                return json_decode($message, true, 512, JSON_THROW_ON_ERROR);
            }
        }
    }

    /** Return the first message with event $event (and channel $channel), skipping others. */
    public function waitFor(string $event, ?string $channel = null): array
    {
        while (true) {
            $message = $this->receive();
            if ($message['event'] === $event && ($channel === null || ($message['channel'] ?? null) === $channel)) {
                return $message;
            }
            if ($message['event'] === 'pusher:error' || $message['event'] === 'pusher:subscription_error') {
                throw new RuntimeException('server error while waiting for '.$event.': '.json_encode($message));
            }
        }
    }

    /** Read pusher:connection_established and return the socket id. */
    public function socketId(): string
    {
        $data = json_decode($this->waitFor('pusher:connection_established')['data'], true);

        return $data['socket_id'];
    }

    /** Close the TCP connection. */
    public function close(): void
    {
        if (is_resource($this->socket)) {
            fclose($this->socket);
        }
    }

    /** Write one masked frame. */
    private function writeFrame(int $opcode, string $payload): void
    {
        $length = strlen($payload);
        $head = chr(0x80 | $opcode);
        if ($length < 126) {
            $head .= chr(0x80 | $length);
        } elseif ($length < 65536) {
            $head .= chr(0x80 | 126).pack('n', $length);
        } else {
            $head .= chr(0x80 | 127).pack('J', $length);
        }
        $mask = random_bytes(4);
        $masked = '';
        for ($i = 0; $i < $length; $i++) {
            $masked .= $payload[$i] ^ $mask[$i % 4];
        }
        fwrite($this->socket, $head.$mask.$masked);
    }

    /** @return array{bool, int, string} fin, opcode, payload */
    private function readFrame(): array
    {
        $head = $this->readExactly(2);
        $fin = (ord($head[0]) & 0x80) !== 0;
        $opcode = ord($head[0]) & 0x0F;
        $length = ord($head[1]) & 0x7F;
        if ($length === 126) {
            $length = unpack('n', $this->readExactly(2))[1];
        } elseif ($length === 127) {
            $length = unpack('J', $this->readExactly(8))[1];
        }

        return [$fin, $opcode, $length === 0 ? '' : $this->readExactly($length)];
    }

    /** Read exactly $n bytes. */
    private function readExactly(int $n): string
    {
        while (strlen($this->buffer) < $n) {
            $this->buffer .= $this->readSome();
        }
        $out = substr($this->buffer, 0, $n);
        $this->buffer = substr($this->buffer, $n);

        return $out;
    }

    /** Read whatever arrives within the timeout. */
    private function readSome(): string
    {
        $read = [$this->socket];
        $write = $except = null;
        $seconds = (int) $this->timeout;
        if (stream_select($read, $write, $except, $seconds, (int) (($this->timeout - $seconds) * 1e6)) !== 1) {
            throw new RuntimeException("no data from the server within {$this->timeout}s");
        }
        $chunk = fread($this->socket, 65536);
        if ($chunk === false || $chunk === '') {
            throw new RuntimeException('connection closed by the server');
        }

        return $chunk;
    }
}
