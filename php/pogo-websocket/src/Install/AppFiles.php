<?php

namespace Pogo\WebSocket\Install;

/**
 * The files pogo:ws-install writes into an application, from the package's
 * config and stubs. Paths in the report are relative to the app's base path.
 */
final class AppFiles
{
    /** Writes generated files. */
    private FileWriter $writer;

    /** @param  string  $base  the application's base path; $package the package root */
    public function __construct(private string $base, private string $package)
    {
        $this->writer = new FileWriter();
    }

    /** Publish config/pogo-websocket.php. */
    public function config(Report $report, bool $force): void
    {
        $this->generate($report, 'config/pogo-websocket.php', $this->package.'/config/pogo-websocket.php', $force);
    }

    /** Add the pogo connection to config/broadcasting.php. */
    public function broadcasting(Report $report): void
    {
        [$change, $note] = (new BroadcastingConfig())->ensure(
            $this->base.'/config/broadcasting.php', $this->package.'/stubs/broadcasting.php.stub'
        );
        $report->add($change, 'config/broadcasting.php', $note);
    }

    /** Laravel < 11: enable the commented-out App\Providers\BroadcastServiceProvider in config/app.php. */
    public function enableBroadcastProvider(Report $report): void
    {
        $path = $this->base.'/config/app.php';
        if (! is_file($path)) {
            return;
        }

        $contents = (string) file_get_contents($path);
        $updated = preg_replace('#^(\s*)//\s*(App\\\\Providers\\\\BroadcastServiceProvider::class,)#m', '$1$2', $contents, 1, $count);
        if ($count === 1 && $updated !== null) {
            file_put_contents($path, $updated);
            $report->add(Change::Updated, 'config/app.php', 'enabled App\Providers\BroadcastServiceProvider');
        } else {
            $report->add(Change::Unchanged, 'config/app.php');
        }
    }

    /** Laravel 11+: point out a bootstrap/app.php that does not load routes/channels.php (never edited). */
    public function checkChannelsRoute(Report $report): void
    {
        $path = $this->base.'/bootstrap/app.php';
        if (! is_file($path) || str_contains((string) file_get_contents($path), 'channels')) {
            return;
        }

        $report->add(Change::Skipped, 'bootstrap/app.php',
            "routes/channels.php is not loaded: add ->withBroadcasting(__DIR__.'/../routes/channels.php') yourself");
    }

    /** Write the Caddyfile, the app worker and the auth worker (outside public/). */
    public function server(Report $report, bool $force): void
    {
        $this->generate($report, 'Caddyfile', $this->package.'/stubs/Caddyfile.stub', $force);
        $this->generate($report, 'public/frankenphp-worker.php', $this->package.'/stubs/frankenphp-worker.php.stub', $force);
        $this->generate($report, 'websocket/auth-worker.php', $this->package.'/stubs/auth-worker.php.stub', $force);
    }

    /** Write resources/js/echo.js and import it from resources/js/bootstrap.js when that file exists. */
    public function echo(Report $report, bool $force): void
    {
        $this->generate($report, 'resources/js/echo.js', $this->package.'/stubs/echo.js.stub', $force);

        $bootstrap = $this->base.'/resources/js/bootstrap.js';
        if (! is_file($bootstrap)) {
            return;
        }

        $contents = (string) file_get_contents($bootstrap);
        if (preg_match('#import\s+[\'"]\./echo(\.js)?[\'"]#', $contents)) {
            $report->add(Change::Unchanged, 'resources/js/bootstrap.js');

            return;
        }

        file_put_contents($bootstrap, rtrim($contents)."\n\nimport './echo';\n");
        $report->add(Change::Updated, 'resources/js/bootstrap.js', "added import './echo'");
    }

    /** Return the Echo setup code (for --no-js). */
    public function echoScript(): string
    {
        return (string) file_get_contents($this->package.'/stubs/echo.js.stub');
    }

    /** Write one generated file from a source file and report it. */
    private function generate(Report $report, string $relative, string $source, bool $force): void
    {
        $change = $this->writer->write($this->base.'/'.$relative, (string) file_get_contents($source), $force);
        $report->add($change, $relative, $change === Change::Skipped ? 'exists and differs; use --force to replace' : '');
    }
}
