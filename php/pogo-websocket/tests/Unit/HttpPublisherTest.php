<?php

namespace Pogo\WebSocket\Tests\Unit;

use GuzzleHttp\Psr7\Response as Psr7Response;
use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Http\Client\Factory;
use Illuminate\Http\Client\Request;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Publishing\HttpPublisher;

/**
 * The signed HTTP API request, checked against PROTOCOL.md §A.11 with a
 * faked HTTP client.
 */
final class HttpPublisherTest extends TestCase
{
    private const KEY = '278d425bdf160c739803';
    private const SECRET = '7ad3773142a6692b25b8';

    private Factory $http;

    protected function setUp(): void
    {
        $this->http = new Factory();
    }

    private function publisher(): HttpPublisher
    {
        return new HttpPublisher($this->http, 'http://127.0.0.1:8080', self::KEY, self::SECRET, 5.0, fn () => 1353088179);
    }

    /** Return the single recorded request. */
    private function sent(): Request
    {
        $recorded = $this->http->recorded();
        $this->assertCount(1, $recorded);

        return $recorded[0][0];
    }

    public function test_request_matches_the_documented_vector(): void
    {
        $this->http->fake(['*' => $this->http->response('{}', 200)]);

        $this->publisher()->publish('3', ['project-3'], 'foo', '{"some":"data"}');

        $request = $this->sent();
        $this->assertSame('POST', $request->method());
        $this->assertSame('{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}', $request->body());
        $this->assertSame('application/json', $request->header('Content-Type')[0]);

        $url = parse_url($request->url());
        $this->assertSame('/apps/3/events', $url['path']);
        parse_str($url['query'], $query);
        $this->assertSame([
            'auth_key' => self::KEY,
            'auth_timestamp' => '1353088179',
            'auth_version' => '1.0',
            'body_md5' => 'ec365a775a4cd0599faeb73354201b6f',
            'auth_signature' => 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
        ], $query);
    }

    public function test_socket_id_is_sent_for_to_others(): void
    {
        $this->http->fake(['*' => $this->http->response('{}', 200)]);

        $this->publisher()->publish('3', ['a', 'b'], 'e', '{}', '12.34');

        $body = json_decode($this->sent()->body(), true);
        $this->assertSame(['name' => 'e', 'channels' => ['a', 'b'], 'data' => '{}', 'socket_id' => '12.34'], $body);
    }

    public function test_app_id_is_escaped_in_the_path(): void
    {
        $this->http->fake(['*' => $this->http->response('{}', 200)]);

        $this->publisher()->publish('my app', ['a'], 'e', '{}');

        $this->assertStringContainsString('/apps/my%20app/events?', $this->sent()->url());
    }

    public function test_non_2xx_becomes_a_broadcast_exception_with_the_server_error(): void
    {
        $this->http->fake(['*' => $this->http->response('{"error":"payload too large"}', 413)]);

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('Pogo HTTP API error 413 for [e]: payload too large');
        $this->publisher()->publish('3', ['a'], 'e', '{}');
    }

    public function test_plain_text_error_body_is_reported(): void
    {
        $this->http->fake(['*' => $this->http->response("invalid signature\n", 401)]);

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('Pogo HTTP API error 401 for [e]: invalid signature');
        $this->publisher()->publish('3', ['a'], 'e', '{}');
    }

    public function test_server_that_never_answers_hits_the_timeout(): void
    {
        // The kernel completes the TCP handshake from the backlog; nothing ever reads or answers.
        $silent = stream_socket_server('tcp://127.0.0.1:0');
        $address = stream_socket_get_name($silent, false);
        $publisher = new HttpPublisher(new Factory(), 'http://'.$address, self::KEY, self::SECRET, 1.0);

        try {
            $this->expectException(BroadcastException::class);
            $this->expectExceptionMessageMatches('/^Pogo HTTP API unreachable at http:\/\/127\.0\.0\.1:\d+: .*(timed out|Timeout)/i');
            $publisher->publish('3', ['a'], 'e', '{}');
        } finally {
            fclose($silent);
        }
    }

    public function test_connection_failure_becomes_a_broadcast_exception(): void
    {
        // Port 1 on loopback refuses connections.
        $publisher = new HttpPublisher(new Factory(), 'http://127.0.0.1:1', self::KEY, self::SECRET, 5.0);

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('Pogo HTTP API unreachable at http://127.0.0.1:1');
        $publisher->publish('3', ['a'], 'e', '{}');
    }
}
