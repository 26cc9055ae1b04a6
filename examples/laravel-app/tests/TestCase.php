<?php

namespace Tests;

use App\Auth\DemoUsers;
use App\Models\User;
use Illuminate\Contracts\Console\Kernel;
use Illuminate\Foundation\Testing\TestCase as BaseTestCase;

/** Boots the example app (bootstrap/app.php) for feature tests. */
abstract class TestCase extends BaseTestCase
{
    /** Create the application. */
    public function createApplication()
    {
        $app = require __DIR__.'/../bootstrap/app.php';
        $app->make(Kernel::class)->bootstrap();

        return $app;
    }

    /** Return one of the demo users. */
    protected function user(string $id): User
    {
        return DemoUsers::find($id);
    }
}
