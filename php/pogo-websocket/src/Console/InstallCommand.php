<?php

namespace Pogo\WebSocket\Console;

use Illuminate\Console\Command;
use Pogo\WebSocket\Install\AppFiles;
use Pogo\WebSocket\Install\Change;
use Pogo\WebSocket\Install\EnvKeys;
use Pogo\WebSocket\Install\Report;

/**
 * php artisan pogo:ws-install: configures a Laravel app for Pogo WebSocket.
 *
 * Idempotent: a second run changes nothing. Existing .env values and secrets
 * are never overwritten (BROADCAST_CONNECTION/BROADCAST_DRIVER are set to
 * pogo); generated files that differ are replaced only with --force.
 */
class InstallCommand extends Command
{
    /** @var string */
    protected $signature = 'pogo:ws-install
        {--force : Overwrite generated files (config, Caddyfile, worker scripts, echo.js) that differ}
        {--no-js : Print the Echo setup instead of writing resources/js/echo.js}';

    /** @var string */
    protected $description = 'Install Pogo WebSocket: broadcasting connection, .env keys, Caddyfile, worker scripts and Echo setup';

    /** Run the installer and print what changed. */
    public function handle(): int
    {
        $report = new Report();
        $base = rtrim($this->laravel->basePath(), '/');
        $legacy = version_compare($this->laravel->version(), '11.0.0', '<');
        $force = (bool) $this->option('force');
        $files = new AppFiles($base, dirname(__DIR__, 2));

        $files->config($report, $force);
        $files->broadcasting($report);
        (new EnvKeys($legacy))->apply($this->laravel->environmentFilePath(), $base.'/.env.example', $report);
        if ($legacy) {
            $files->enableBroadcastProvider($report);
        } else {
            $files->checkChannelsRoute($report);
        }
        $files->server($report, $force);

        if ($this->option('no-js')) {
            $report->add(Change::Skipped, 'resources/js/echo.js', '--no-js: add the code below yourself');
        } else {
            $files->echo($report, $force);
        }

        $this->printReport($report);
        if ($this->option('no-js')) {
            $this->newLine();
            $this->line($files->echoScript());
        }

        return self::SUCCESS;
    }

    /** Print one line per file or key, then the next steps. */
    private function printReport(Report $report): void
    {
        foreach ($report->lines() as $line) {
            $note = $line['note'] === '' ? '' : '  ('.$line['note'].')';
            $this->line(sprintf('  %-9s %s%s', $line['change']->value, $line['subject'], $note));
        }

        $this->newLine();
        if (! $report->changed()) {
            $this->info('Pogo WebSocket is already installed: nothing changed.');

            return;
        }

        $this->info('Pogo WebSocket installed.');
        $this->line('Next: npm install --save-dev laravel-echo pusher-js @pogo/echo-preset && npm run build');
        $this->line('Then: frankenphp run --config Caddyfile --envfile .env');
    }
}
