<?php

namespace Pogo\WebSocket\Install;

/**
 * Minimal, order-preserving editor of a dotenv file: adds missing keys at the
 * end and replaces the value of a key only when asked to. Comments, blank
 * lines and unrelated keys are kept byte for byte.
 */
final class EnvFile
{
    /** Current file contents. */
    private string $contents;

    /** Whether the file existed when loaded. */
    private bool $existed;

    /** Whether the next added key starts a new block (preceded by a blank line). */
    private bool $newBlock = false;

    /** Load $path (a missing file counts as empty). */
    public function __construct(private string $path)
    {
        $this->existed = is_file($path);
        $this->contents = $this->existed ? (string) file_get_contents($path) : '';
    }

    /** Return true when the file existed before. */
    public function existed(): bool
    {
        return $this->existed;
    }

    /** Return the value of $key, unquoted, or null when the key is absent. */
    public function get(string $key): ?string
    {
        if (! preg_match($this->pattern($key), $this->contents, $m)) {
            return null;
        }

        $value = trim($m[2]);
        if (strlen($value) >= 2 && ($value[0] === '"' || $value[0] === "'") && $value[-1] === $value[0]) {
            return substr($value, 1, -1);
        }

        return $value;
    }

    /** Add KEY=value when absent; with $overwrite, also replace a different value. */
    public function set(string $key, string $value, bool $overwrite = false): Change
    {
        $current = $this->get($key);
        if ($current === null) {
            if ($this->contents !== '' && ! str_ends_with($this->contents, "\n")) {
                $this->contents .= "\n";
            }
            if ($this->newBlock && $this->contents !== '' && ! str_ends_with($this->contents, "\n\n")) {
                $this->contents .= "\n";
            }
            $this->newBlock = false;
            $this->contents .= $key.'='.$value."\n";

            return Change::Created;
        }

        $unquoted = (strlen($value) >= 2 && $value[0] === '"' && $value[-1] === '"') ? substr($value, 1, -1) : $value;
        if (! $overwrite || $current === $unquoted) {
            return Change::Unchanged;
        }

        $this->contents = preg_replace_callback($this->pattern($key), fn (array $m) => $m[1].$value, $this->contents, 1);

        return Change::Updated;
    }

    /** Start a new block: the next added key is preceded by a blank line. */
    public function separate(): void
    {
        $this->newBlock = true;
    }

    /** Write the file when its contents differ from what is on disk; return whether it wrote. */
    public function save(): bool
    {
        $disk = is_file($this->path) ? file_get_contents($this->path) : null;
        if ($disk === $this->contents) {
            return false;
        }

        file_put_contents($this->path, $this->contents);

        return true;
    }

    /** Regex matching the line of $key: group 1 is "KEY=" (with optional export), group 2 the value. */
    private function pattern(string $key): string
    {
        return '/^(\s*(?:export\s+)?'.preg_quote($key, '/').'\s*=)(.*)$/m';
    }
}
