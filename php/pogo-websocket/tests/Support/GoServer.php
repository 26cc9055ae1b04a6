<?php

namespace Pogo\WebSocket\Tests\Support;

use RuntimeException;

/**
 * Builds the real standalone Go server (go/hub/cmd/pogo-server) once per
 * test process, or uses $POGO_SERVER_BIN, and starts instances of it.
 */
final class GoServer
{
    /** Path of the built binary, once built. */
    private static ?string $binary = null;

    /** Return the monorepo root (holds go.work), or null outside the monorepo. */
    public static function repoRoot(): ?string
    {
        $root = realpath(__DIR__.'/../../../..');

        return $root !== false && is_file($root.'/go.work') ? $root : null;
    }

    /** Return the go executable from PATH or /usr/local/go, or null when the toolchain is absent. */
    public static function goBinary(): ?string
    {
        foreach (array_merge(explode(PATH_SEPARATOR, (string) getenv('PATH')), ['/usr/local/go/bin']) as $dir) {
            if ($dir !== '' && is_executable($dir.'/go')) {
                return $dir.'/go';
            }
        }

        return null;
    }

    /** Build the server (once) and return the binary path; failures throw with the compiler output. */
    public static function binary(): string
    {
        if (($env = getenv('POGO_SERVER_BIN')) !== false && $env !== '') {
            return $env;
        }
        if (self::$binary !== null) {
            return self::$binary;
        }

        $out = sys_get_temp_dir().'/pogo-php-tests-'.getmypid().'/pogo-server';
        $cmd = sprintf('cd %s && %s build -o %s ./go/hub/cmd/pogo-server 2>&1',
            escapeshellarg((string) self::repoRoot()), escapeshellarg((string) self::goBinary()), escapeshellarg($out));
        exec($cmd, $output, $status);
        if ($status !== 0) {
            throw new RuntimeException("go build ./go/hub/cmd/pogo-server failed:\n".implode("\n", $output));
        }
        register_shutdown_function(static fn () => exec('rm -rf '.escapeshellarg(dirname($out))));

        return self::$binary = $out;
    }

    /**
     * Start a server for one app on a free loopback port.
     *
     * @param  list<string>  $extra  more flags
     * @return array{ProcessServer, string, int} the process, host and port
     */
    public static function start(string $appId, string $key, string $secret, array $extra = []): array
    {
        $server = new ProcessServer(array_merge(
            [self::binary(), '-addr', '127.0.0.1:0', '-app-id', $appId, '-app-key', $key, '-app-secret', $secret, '-log-level', 'warn'],
            $extra,
        ));
        $url = $server->waitForLine('POGO_LISTENING ');
        $parts = parse_url($url);

        return [$server, $parts['host'], (int) $parts['port']];
    }
}
