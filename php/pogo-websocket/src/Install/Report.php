<?php

namespace Pogo\WebSocket\Install;

/**
 * The installer's summary: one line per file or key, in order.
 */
final class Report
{
    /** @var list<array{change: Change, subject: string, note: string}> */
    private array $lines = [];

    /** Record what happened to $subject, with an optional explanation. */
    public function add(Change $change, string $subject, string $note = ''): void
    {
        $this->lines[] = ['change' => $change, 'subject' => $subject, 'note' => $note];
    }

    /** @return list<array{change: Change, subject: string, note: string}> */
    public function lines(): array
    {
        return $this->lines;
    }

    /** Return true when anything was created or updated. */
    public function changed(): bool
    {
        foreach ($this->lines as $line) {
            if (in_array($line['change'], [Change::Created, Change::Updated], true)) {
                return true;
            }
        }

        return false;
    }
}
