<?php

namespace App\Exceptions;

use Illuminate\Foundation\Exceptions\Handler as ExceptionHandler;

/** Framework defaults: JSON errors for JSON requests, a redirect to /login when unauthenticated. */
class Handler extends ExceptionHandler
{
    /** @var array<int, string> */
    protected $dontFlash = ['password'];
}
