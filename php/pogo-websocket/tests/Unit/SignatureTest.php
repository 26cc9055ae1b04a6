<?php

namespace Pogo\WebSocket\Tests\Unit;

use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Support\Signature;

/**
 * The Pusher documentation's worked test vectors (PROTOCOL.md §A.6, §A.11).
 */
final class SignatureTest extends TestCase
{
    private const SECRET = '7ad3773142a6692b25b8';

    public function test_private_channel_vector(): void
    {
        $this->assertSame(
            '58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
            Signature::channel(self::SECRET, '1234.1234', 'private-foobar')
        );
    }

    public function test_presence_channel_vector_over_exact_channel_data(): void
    {
        $this->assertSame(
            '31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80',
            Signature::presence(self::SECRET, '1234.1234', 'presence-foobar', '{"user_id":10,"user_info":{"name":"Mr. Channels"}}')
        );
        // The value printed in the Pusher docs belongs to the older "Mr. Pusher" example.
        $this->assertSame(
            'afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
            Signature::presence(self::SECRET, '1234.1234', 'presence-foobar', '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}')
        );
    }

    public function test_user_authentication_vector(): void
    {
        $this->assertSame(
            '4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
            Signature::user(self::SECRET, '1234.1234', '{"id":"12345"}')
        );
    }

    public function test_http_api_vector(): void
    {
        $body = '{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}';
        $this->assertSame('ec365a775a4cd0599faeb73354201b6f', md5($body));

        $params = [
            'auth_key' => '278d425bdf160c739803',
            'auth_timestamp' => '1353088179',
            'auth_version' => '1.0',
            'body_md5' => md5($body),
        ];
        $this->assertSame(
            'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
            Signature::api(self::SECRET, 'POST', '/apps/3/events', $params)
        );
    }

    public function test_api_string_sorts_lowercases_and_drops_auth_signature(): void
    {
        $this->assertSame(
            "GET\n/apps/1/channels\na=1&auth_key=k&b=x y",
            Signature::apiStringToSign('get', '/apps/1/channels', ['b' => 'x y', 'AUTH_KEY' => 'k', 'a' => 1, 'auth_signature' => 'zzz'])
        );
    }

    public function test_shared_secret_is_base64_sha256_of_channel_and_master_key(): void
    {
        $master = str_repeat("\x01", 32);
        $expected = base64_encode(hash('sha256', 'private-encrypted-x'.$master, true));

        $this->assertSame($expected, Signature::sharedSecret('private-encrypted-x', $master));
        $this->assertSame(32, strlen(base64_decode(Signature::sharedSecret('private-encrypted-x', $master))));
    }
}
