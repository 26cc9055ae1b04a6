<?php

namespace Pogo\WebSocket\Install;

/**
 * What the installer did to one file or key.
 */
enum Change: string
{
    case Created = 'created';
    case Updated = 'updated';
    case Unchanged = 'unchanged';
    case Skipped = 'skipped';
}
