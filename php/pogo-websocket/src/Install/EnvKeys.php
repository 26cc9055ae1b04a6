<?php

namespace Pogo\WebSocket\Install;

/**
 * The .env and .env.example keys the installer manages. Secrets are 64 hex
 * characters from random_bytes(), different from each other, written to
 * .env only and never replaced once set.
 */
final class EnvKeys
{
    /** Keys that hold secrets: empty in .env.example. */
    private const SECRETS = ['WS_APP_SECRET', 'POGO_WEBHOOK_SECRET'];

    /** @param  bool  $legacy  Laravel < 11, which reads BROADCAST_DRIVER */
    public function __construct(private bool $legacy)
    {
    }

    /** Apply the keys to .env (created if missing) and to .env.example when it exists. */
    public function apply(string $envPath, string $examplePath, Report $report): void
    {
        $this->applyTo(new EnvFile($envPath), basename($envPath), $this->values(true), $report, true);

        $example = new EnvFile($examplePath);
        if ($example->existed()) {
            $this->applyTo($example, basename($examplePath), $this->values(false), $report, false);
        }
    }

    /**
     * Return the managed keys in blocks; secrets are generated for .env only.
     *
     * @return list<array<string, string>>
     */
    public function values(bool $withSecrets): array
    {
        [$app, $webhook] = $withSecrets ? self::secretPair() : ['', ''];
        $broadcast = ['BROADCAST_CONNECTION' => 'pogo'];
        if ($this->legacy) {
            $broadcast['BROADCAST_DRIVER'] = 'pogo';
        }

        return [
            $broadcast,
            ['WS_APP_ID' => 'pogo-app', 'WS_APP_SECRET' => $app, 'POGO_WEBHOOK_SECRET' => $webhook],
            [
                'VITE_POGO_APP_KEY' => '"${WS_APP_ID}"',
                'VITE_POGO_HOST' => 'localhost',
                'VITE_POGO_PORT' => '8080',
                'VITE_POGO_WSS_PORT' => '443',
            ],
        ];
    }

    /**
     * Return two different random secrets of 64 hex characters.
     *
     * @return array{string, string}
     */
    public static function secretPair(): array
    {
        do {
            $pair = [bin2hex(random_bytes(32)), bin2hex(random_bytes(32))];
        } while ($pair[0] === $pair[1]);

        return $pair;
    }

    /** Set each key, then save the file if anything changed. */
    private function applyTo(EnvFile $file, string $name, array $blocks, Report $report, bool $isEnv): void
    {
        foreach ($blocks as $block) {
            $file->separate();
            foreach ($block as $key => $value) {
                $change = $file->set($key, $value, $this->overwrites($file, $key, $isEnv));
                $report->add($change, "{$name} {$key}", $change === Change::Unchanged ? 'kept' : '');
            }
        }

        $existed = $file->existed();
        if ($file->save() && ! $existed) {
            $report->add(Change::Created, $name);
        }
    }

    /** BROADCAST_* are always set to pogo; an empty secret in .env is filled in; nothing else is replaced. */
    private function overwrites(EnvFile $file, string $key, bool $isEnv): bool
    {
        if (str_starts_with($key, 'BROADCAST_')) {
            return true;
        }

        return $isEnv && in_array($key, self::SECRETS, true) && $file->get($key) === '';
    }
}
