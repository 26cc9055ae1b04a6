<?php

namespace Pogo\WebSocket\Tests\Support;

use RuntimeException;

/**
 * A child server process for integration tests, started without a shell
 * and terminated by stop() (also on destruction).
 */
final class ProcessServer
{
    /** @var resource */
    private $process;

    /** Tail of stderr kept after stop() removed the file. */
    private string $lastStderr = '';

    /** Files receiving the process's stdout and stderr. */
    private string $stdoutFile;
    private string $stderrFile;

    /**
     * Start $command (an argv list) with extra environment variables.
     *
     * @param  list<string>  $command
     * @param  array<string, string>  $env
     * @param  string|null  $cwd  working directory (default: the current one)
     */
    public function __construct(array $command, array $env = [], ?string $cwd = null)
    {
        $this->stdoutFile = (string) tempnam(sys_get_temp_dir(), 'pogo-out-');
        $this->stderrFile = (string) tempnam(sys_get_temp_dir(), 'pogo-err-');
        $spec = [0 => ['file', '/dev/null', 'r'], 1 => ['file', $this->stdoutFile, 'w'], 2 => ['file', $this->stderrFile, 'w']];
        $process = proc_open($command, $spec, $pipes, $cwd, $env + getenv());
        if (! is_resource($process)) {
            throw new RuntimeException('cannot start '.implode(' ', $command));
        }
        $this->process = $process;
    }

    /**
     * Return a loopback port that was free a moment ago, chosen below the
     * kernel's ephemeral range so that outgoing connections (other tests, load
     * tools) cannot take it before the server binds it.
     */
    public static function freePort(): int
    {
        $range = @file_get_contents('/proc/sys/net/ipv4/ip_local_port_range');
        [$low] = $range === false ? [32768] : array_map('intval', preg_split('/\s+/', trim($range)));
        $from = max(1024, $low - 12000);
        for ($try = 0; $try < 100 && $low - 1 > $from; $try++) {
            $port = random_int($from, $low - 1);
            $socket = @stream_socket_server("tcp://127.0.0.1:{$port}", $errno, $error);
            if ($socket !== false) {
                fclose($socket);

                return $port;
            }
        }

        $socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        if ($socket === false) {
            throw new RuntimeException("cannot bind a probe socket: {$error}");
        }
        $port = (int) substr(strrchr(stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);

        return $port;
    }

    /**
     * Start `php -S` on a free loopback port with $router and return it with
     * its port. The router must answer GET /__pogo_probe with the
     * POGO_PROBE_NONCE environment variable: that proves the port is served
     * by this process, not by another one that took the port first (then a
     * new port is tried, up to 5 times).
     *
     * @param  array<string, string>  $env
     * @return array{self, int}
     */
    public static function phpServer(string $router, array $env = []): array
    {
        for ($attempt = 1; $attempt <= 5; $attempt++) {
            $port = self::freePort();
            $nonce = bin2hex(random_bytes(8));
            $server = new self([PHP_BINARY, '-S', "127.0.0.1:{$port}", $router], $env + ['POGO_PROBE_NONCE' => $nonce]);
            if ($server->waitForProbe("http://127.0.0.1:{$port}/__pogo_probe", $nonce)) {
                return [$server, $port];
            }
            $server->stop();
        }

        throw new RuntimeException("php -S {$router} could not get a port: ".$server->stderr());
    }

    /**
     * Poll $url (up to 30 s) until it answers $expected; false when the
     * process exited or the port belongs to someone else.
     */
    public function waitForProbe(string $url, string $expected, float $timeout = 30.0): bool
    {
        $context = stream_context_create(['http' => ['timeout' => 2, 'ignore_errors' => true]]);
        $deadline = microtime(true) + $timeout;
        while (microtime(true) < $deadline) {
            if (! $this->isRunning()) {
                return false;
            }
            $body = @file_get_contents($url, false, $context);
            if ($body !== false) {
                return trim($body) === $expected;
            }
            usleep(50_000);
        }

        throw new RuntimeException("no answer from {$url} within {$timeout}s: ".$this->stderr());
    }

    /** Return true while the process runs. */
    public function isRunning(): bool
    {
        return is_resource($this->process) && proc_get_status($this->process)['running'];
    }

    /** Read stdout lines until one starts with $prefix and return the rest of it. */
    public function waitForLine(string $prefix, float $timeout = 60.0): string
    {
        $deadline = microtime(true) + $timeout;
        $buffer = '';
        while (microtime(true) < $deadline) {
            $buffer = (string) file_get_contents($this->stdoutFile);
            foreach (explode("\n", $buffer) as $line) {
                if (str_starts_with($line, $prefix) && str_contains($buffer, $line."\n")) {
                    return trim(substr($line, strlen($prefix)));
                }
            }
            $this->assertRunning();
            usleep(50_000);
        }

        throw new RuntimeException("no '{$prefix}' line within {$timeout}s; stdout: {$buffer}; stderr: ".$this->stderr());
    }

    /** Terminate the process and close its pipes. */
    public function stop(): void
    {
        if (! is_resource($this->process)) {
            return;
        }
        proc_terminate($this->process, 15);
        $deadline = microtime(true) + 10;
        while (proc_get_status($this->process)['running'] && microtime(true) < $deadline) {
            usleep(20_000);
        }
        if (proc_get_status($this->process)['running']) {
            proc_terminate($this->process, 9);
        }
        proc_close($this->process);
        $this->lastStderr = $this->stderr();
        @unlink($this->stdoutFile);
        @unlink($this->stderrFile);
    }

    public function __destruct()
    {
        $this->stop();
    }

    /** Fail with the captured stderr if the process has exited. */
    private function assertRunning(): void
    {
        $status = proc_get_status($this->process);
        if (! $status['running']) {
            throw new RuntimeException("server exited with code {$status['exitcode']}: ".$this->stderr());
        }
    }

    /** Return what the process wrote to stderr so far (last 4 KiB). */
    public function stderr(): string
    {
        if (! is_file($this->stderrFile)) {
            return $this->lastStderr;
        }

        return substr((string) file_get_contents($this->stderrFile), -4096);
    }
}
