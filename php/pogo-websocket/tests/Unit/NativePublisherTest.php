<?php

namespace Pogo\WebSocket\Tests\Unit;

use Illuminate\Broadcasting\BroadcastException;
use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Publishing\NativePublisher;

/**
 * Detection of the extension and strictness about what the native call returns.
 */
final class NativePublisherTest extends TestCase
{
    public function test_without_the_extension_it_is_unavailable_and_refuses_to_publish(): void
    {
        $this->assertFalse(NativePublisher::extensionLoaded());
        $publisher = new NativePublisher();
        $this->assertFalse($publisher->available());

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('the pogo_websocket extension is not loaded');
        $publisher->publish('a', ['c'], 'e', '{}');
    }

    public function test_a_userland_function_of_the_same_name_is_not_the_extension(): void
    {
        // The package's IDE stub declares the function with an empty body; loading it must not enable native publishing.
        $output = shell_exec(escapeshellarg(PHP_BINARY).' -r '.escapeshellarg(
            'require '.var_export(realpath(__DIR__.'/../bootstrap.php'), true).';'
            .'require '.var_export(realpath(__DIR__.'/../../stubs/pogo_websocket.stub.php'), true).';'
            .'echo function_exists("pogo_websocket_broadcast_multi") ? "defined " : "missing ";'
            .'echo (new Pogo\WebSocket\Publishing\NativePublisher())->available() ? "native" : "http";'
        ));

        $this->assertSame('defined http', $output);
    }

    public function test_a_non_integer_result_is_an_error_not_a_success(): void
    {
        $publisher = new NativePublisher(fn () => null);

        $this->expectException(BroadcastException::class);
        $this->expectExceptionMessage('returned null instead of a status code');
        $publisher->publish('a', ['c'], 'e', '{}');
    }

    public function test_channels_are_sent_as_a_json_list(): void
    {
        $seen = null;
        $publisher = new NativePublisher(function (string ...$args) use (&$seen) {
            $seen = $args;

            return 0;
        });

        $publisher->publish('app', [3 => 'a/b', 7 => 'c'], 'e', '{}', '');

        $this->assertSame(['app', '["a/b","c"]', 'e', '{}'], $seen);
    }
}
