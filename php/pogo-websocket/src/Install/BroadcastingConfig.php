<?php

namespace Pogo\WebSocket\Install;

/**
 * Adds the seed's `pogo` connection to config/broadcasting.php: inserted at
 * the top of the 'connections' array when no 'pogo' key exists, or a new
 * file from the stub when the app has none (Laravel 11+ ships without it).
 */
final class BroadcastingConfig
{
    /** The connection block, exactly as the seed documents it. */
    public const BLOCK = <<<'PHP'
        'pogo' => [
            'driver' => 'pogo',
            'app_id' => env('WS_APP_ID'),
            'secret' => env('WS_APP_SECRET'),
        ],
PHP;

    /** Create the file from $stub or insert the block; report what happened. */
    public function ensure(string $path, string $stub): array
    {
        if (! is_file($path)) {
            FileWriter::ensureDirectory(dirname($path));
            file_put_contents($path, (string) file_get_contents($stub));

            return [Change::Created, ''];
        }

        $contents = (string) file_get_contents($path);
        if (preg_match('/[\'"]pogo[\'"]\s*=>/', $contents)) {
            return [Change::Unchanged, ''];
        }

        $updated = preg_replace('/([\'"]connections[\'"]\s*=>\s*(?:\[|array\())/', "$1\n\n".self::BLOCK."\n", $contents, 1, $count);
        if ($count !== 1 || $updated === null) {
            return [Change::Skipped, "no 'connections' array found; add this connection by hand:\n".self::BLOCK];
        }

        file_put_contents($path, $updated);

        return [Change::Updated, "added the 'pogo' connection"];
    }
}
