<?php

namespace Pogo\WebSocket\Tests\Unit;

use InvalidArgumentException;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Broadcasting\ConnectionConfig;

/**
 * Defaults and validation of a `pogo` connection's settings.
 */
final class ConnectionConfigTest extends TestCase
{
    public function test_seed_block_gets_the_documented_defaults(): void
    {
        $config = ConnectionConfig::fromArray(['driver' => 'pogo', 'app_id' => 'pogo-app', 'secret' => 's']);

        $this->assertSame('pogo-app', $config->key, 'key defaults to app_id');
        $this->assertSame('http://127.0.0.1:8080', $config->baseUrl());
        $this->assertSame(5.0, $config->timeout);
        $this->assertNull($config->masterKey);
    }

    public function test_connection_values_win_over_package_defaults(): void
    {
        $defaults = ['scheme' => 'http', 'host' => '10.0.0.1', 'port' => 9000, 'timeout' => 2];
        $config = ConnectionConfig::fromArray(['app_id' => 'a', 'secret' => 's', 'key' => 'k', 'host' => '::1', 'scheme' => 'HTTPS'], $defaults);

        $this->assertSame('k', $config->key);
        $this->assertSame('https://[::1]:9000', $config->baseUrl());
        $this->assertSame(2.0, $config->timeout);
    }

    public function test_master_key_is_decoded(): void
    {
        $raw = random_bytes(32);

        $this->assertSame($raw, ConnectionConfig::fromArray(['app_id' => 'a', 'secret' => 's', 'encryption_master_key' => base64_encode($raw)])->masterKey);
    }

    /** @return iterable<string, array{array, string}> */
    public static function invalid(): iterable
    {
        yield 'no app id' => [['secret' => 's'], '[app_id] is not set (env WS_APP_ID)'];
        yield 'empty secret' => [['app_id' => 'a', 'secret' => ''], '[secret] is not set (env WS_APP_SECRET)'];
        yield 'bad scheme' => [['app_id' => 'a', 'secret' => 's', 'scheme' => 'ftp'], 'scheme must be http or https'];
        yield 'port zero' => [['app_id' => 'a', 'secret' => 's', 'port' => 0], 'port must be an integer between 1 and 65535'];
        yield 'port too big' => [['app_id' => 'a', 'secret' => 's', 'port' => 70000], 'port must be an integer between 1 and 65535'];
        yield 'port text' => [['app_id' => 'a', 'secret' => 's', 'port' => 'eighty'], 'port must be an integer between 1 and 65535'];
        yield 'timeout zero' => [['app_id' => 'a', 'secret' => 's', 'timeout' => 0], 'timeout must be a positive number'];
        yield 'short master key' => [['app_id' => 'a', 'secret' => 's', 'encryption_master_key' => base64_encode('short')], 'exactly 32 bytes'];
        yield 'master key not base64' => [['app_id' => 'a', 'secret' => 's', 'encryption_master_key' => '***'], 'exactly 32 bytes'];
    }

    /** @dataProvider invalid */
    public function test_invalid_values_are_rejected_clearly(array $config, string $message): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage($message);

        ConnectionConfig::fromArray($config);
    }
}
