<?php

namespace Pogo\WebSocket\Tests;

use Illuminate\Auth\AuthServiceProvider;
use Illuminate\Broadcasting\BroadcastServiceProvider;
use Illuminate\Config\Repository;
use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Contracts\Http\Kernel as HttpKernel;
use Illuminate\Foundation\Application;
use Illuminate\Foundation\Exceptions\Handler;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Facade;
use PHPUnit\Framework\TestCase as BaseTestCase;
use Pogo\WebSocket\PogoServiceProvider;
use Pogo\WebSocket\Tests\Support\FakeUser;
use Pogo\WebSocket\Tests\Support\TestKernel;
use Symfony\Component\HttpFoundation\Response;

/**
 * Builds a minimal Laravel application by hand (no testbench): config
 * repository, auth with a request guard returning $this->user, broadcasting,
 * the package's provider and an HTTP kernel.
 */
abstract class TestCase extends BaseTestCase
{
    /** Key and secret of the Pusher documentation's test vectors (PROTOCOL.md §A.6). */
    public const KEY = '278d425bdf160c739803';
    public const SECRET = '7ad3773142a6692b25b8';
    public const WEBHOOK_SECRET = 'webhook-secret-for-tests';

    protected Application $app;

    /** The user the fake guard returns, or null for a guest. */
    protected ?FakeUser $user = null;

    protected function setUp(): void
    {
        parent::setUp();
        $this->app = $this->createApplication();
    }

    protected function tearDown(): void
    {
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication(null);
        parent::tearDown();
    }

    /** Return config values; tests override to change them. */
    protected function config(): array
    {
        return [
            'app' => ['env' => 'testing', 'debug' => false],
            'logging' => ['default' => 'null', 'channels' => ['null' => ['driver' => 'monolog', 'handler' => \Monolog\Handler\NullHandler::class]]],
            'auth' => [
                'defaults' => ['guard' => 'fake'],
                'guards' => ['fake' => ['driver' => 'fake']],
            ],
            'broadcasting' => [
                'default' => 'pogo',
                'connections' => [
                    'pogo' => ['driver' => 'pogo', 'app_id' => '3', 'key' => self::KEY, 'secret' => self::SECRET],
                ],
            ],
            'pogo-websocket' => ['webhook' => ['secret' => self::WEBHOOK_SECRET]],
        ];
    }

    /** Create and boot the application. */
    protected function createApplication(): Application
    {
        $app = new Application(sys_get_temp_dir());
        $app->instance('config', new Repository($this->config()));
        $app->singleton(ExceptionHandler::class, Handler::class);
        $app->singleton(HttpKernel::class, TestKernel::class);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($app);

        $app->register(\Illuminate\Filesystem\FilesystemServiceProvider::class);
        $app->register(AuthServiceProvider::class);
        $app->register(BroadcastServiceProvider::class);
        $app->register(PogoServiceProvider::class);
        $app['auth']->viaRequest('fake', fn () => $this->user);
        $app->boot();

        return $app;
    }

    /** Send a POST with form fields through the HTTP kernel. */
    protected function post(string $uri, array $data = [], array $headers = []): Response
    {
        $server = ['HTTP_ACCEPT' => 'application/json'];
        foreach ($headers as $name => $value) {
            $server['HTTP_'.strtoupper(str_replace('-', '_', $name))] = $value;
        }

        return $this->handle(Request::create($uri, 'POST', $data, [], [], $server));
    }

    /** Send a POST with a raw body through the HTTP kernel. */
    protected function postRaw(string $uri, string $body, array $headers = []): Response
    {
        $server = ['HTTP_ACCEPT' => 'application/json', 'CONTENT_TYPE' => 'application/json'];
        foreach ($headers as $name => $value) {
            $server['HTTP_'.strtoupper(str_replace('-', '_', $name))] = $value;
        }

        return $this->handle(Request::create($uri, 'POST', [], [], [], $server, $body));
    }

    /** Run a request through the kernel and return the response. */
    protected function handle(Request $request): Response
    {
        $kernel = $this->app->make(HttpKernel::class);
        $response = $kernel->handle($request);
        $kernel->terminate($request, $response);

        return $response;
    }

    /** Decode a JSON response body. */
    protected function json(Response $response): array
    {
        return json_decode((string) $response->getContent(), true, 512, JSON_THROW_ON_ERROR);
    }
}
