<?php

namespace Pogo\WebSocket\Tests\Support;

use Illuminate\Foundation\Http\Kernel;

/**
 * HTTP kernel for tests: the application is configured by hand, so there is
 * nothing to bootstrap and no global middleware; `web` is an empty group.
 */
final class TestKernel extends Kernel
{
    /** @var array<int, class-string> */
    protected $bootstrappers = [];

    /** @var array<string, array<int, string>> */
    protected $middlewareGroups = ['web' => [], 'api' => []];
}
