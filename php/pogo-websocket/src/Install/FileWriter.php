<?php

namespace Pogo\WebSocket\Install;

use RuntimeException;

/**
 * Writes generated files: creates missing ones, leaves identical ones alone
 * and replaces different ones only with $force.
 */
final class FileWriter
{
    /** Create the file at $path with $contents; report what happened. */
    public function write(string $path, string $contents, bool $force): Change
    {
        if (is_file($path)) {
            if (file_get_contents($path) === $contents) {
                return Change::Unchanged;
            }
            if (! $force) {
                return Change::Skipped;
            }
            $this->put($path, $contents);

            return Change::Updated;
        }

        self::ensureDirectory(dirname($path));
        $this->put($path, $contents);

        return Change::Created;
    }

    /** Create a directory (and its parents) if missing. */
    public static function ensureDirectory(string $dir): void
    {
        if (! is_dir($dir) && ! mkdir($dir, 0755, true) && ! is_dir($dir)) {
            throw new RuntimeException("Cannot create directory [{$dir}].");
        }
    }

    /** Write the file or fail clearly. */
    private function put(string $path, string $contents): void
    {
        if (file_put_contents($path, $contents) === false) {
            throw new RuntimeException("Cannot write [{$path}].");
        }
    }
}
