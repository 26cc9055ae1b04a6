<?php

namespace App\Console;

use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

/**
 * Console kernel: framework commands (migrate, queue:work) plus the
 * package's pogo:ws-install, registered by its service provider.
 */
class Kernel extends ConsoleKernel
{
    /** The example defines no commands of its own. */
    protected function commands()
    {
    }
}
