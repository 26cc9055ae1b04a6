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

    /** Return a loopback port that was free a moment ago. */
    public static function freePort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        if ($socket === false) {
            throw new RuntimeException("cannot bind a probe socket: {$error}");
        }
        $port = (int) substr(strrchr(stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);

        return $port;
    }

    /** Wait (generously) until a TCP connect to host:port succeeds. */
    public function waitForPort(string $host, int $port, float $timeout = 30.0): void
    {
        $deadline = microtime(true) + $timeout;
        while (microtime(true) < $deadline) {
            $conn = @stream_socket_client("tcp://{$host}:{$port}", $errno, $error, 1.0);
            if ($conn !== false) {
                fclose($conn);

                return;
            }
            $this->assertRunning();
            usleep(50_000);
        }

        throw new RuntimeException("server did not listen on {$host}:{$port} within {$timeout}s: ".$this->stderr());
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
        return substr((string) @file_get_contents($this->stderrFile), -4096);
    }
}
