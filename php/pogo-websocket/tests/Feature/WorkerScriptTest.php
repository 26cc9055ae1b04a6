<?php

namespace Pogo\WebSocket\Tests\Feature;

use PHPUnit\Framework\TestCase;

/**
 * The generated worker scripts, run by the PHP CLI with a stand-in for
 * frankenphp_handle_request() and a scratch app whose kernel reports which
 * boot of the application served each request.
 */
final class WorkerScriptTest extends TestCase
{
    private string $base;

    protected function setUp(): void
    {
        $this->base = sys_get_temp_dir().'/pogo-worker-'.bin2hex(random_bytes(6));
        foreach (['vendor', 'bootstrap', 'public', 'websocket'] as $dir) {
            mkdir($this->base.'/'.$dir, 0755, true);
        }
        $bootstrap = var_export(realpath(__DIR__.'/../bootstrap.php'), true);
        file_put_contents($this->base.'/vendor/autoload.php', "<?php\nrequire {$bootstrap};\n");
        file_put_contents($this->base.'/bootstrap/app.php', <<<'PHP'
<?php
$GLOBALS['boots'] = ($GLOBALS['boots'] ?? 0) + 1;
$app = new Illuminate\Foundation\Application(dirname(__DIR__));
$boot = $GLOBALS['boots'];
$app->singleton(Illuminate\Contracts\Http\Kernel::class, fn () => new class($boot) {
    public function __construct(private int $boot) {}
    public function handle($request) { return new Illuminate\Http\Response("boot={$this->boot} uri={$request->getRequestUri()}"); }
    public function terminate($request, $response) {}
});
return $app;
PHP);
        foreach (['public/frankenphp-worker.php' => 'frankenphp-worker.php.stub', 'websocket/auth-worker.php' => 'auth-worker.php.stub'] as $to => $stub) {
            copy(__DIR__.'/../../stubs/'.$stub, $this->base.'/'.$to);
        }
    }

    protected function tearDown(): void
    {
        exec('rm -rf '.escapeshellarg($this->base));
    }

    /** Run a worker script and return [exit code, stdout lines]. */
    private function runWorker(string $script, string $uris, ?int $maxRequests = null): array
    {
        $env = 'FAKE_FRANKENPHP_URIS='.escapeshellarg($uris).($maxRequests === null ? '' : ' MAX_REQUESTS='.$maxRequests);
        $cmd = sprintf('%s %s -d auto_prepend_file=%s %s 2>&1', $env, escapeshellarg(PHP_BINARY),
            escapeshellarg(realpath(__DIR__.'/../fixtures/fake-frankenphp.php')), escapeshellarg($this->base.'/'.$script));
        exec($cmd, $output, $status);

        return [$status, array_values(array_filter($output, fn ($l) => $l !== ''))];
    }

    /** @return iterable<string, array{string}> */
    public static function scripts(): iterable
    {
        yield 'auth worker' => ['websocket/auth-worker.php'];
        yield 'app worker' => ['public/frankenphp-worker.php'];
    }

    /** @dataProvider scripts */
    public function test_each_request_gets_a_freshly_booted_application(string $script): void
    {
        [$status, $lines] = $this->runWorker($script, '/pogo/auth,/pogo/user-auth,/pogo/auth');

        $this->assertSame(0, $status, implode("\n", $lines));
        $this->assertSame(['boot=1 uri=/pogo/auth', 'boot=2 uri=/pogo/user-auth', 'boot=3 uri=/pogo/auth'], $lines);
    }

    /** @dataProvider scripts */
    public function test_max_requests_stops_the_worker(string $script): void
    {
        [$status, $lines] = $this->runWorker($script, '/a,/b,/c', 2);

        $this->assertSame(0, $status, implode("\n", $lines));
        $this->assertSame(['boot=1 uri=/a', 'boot=2 uri=/b'], $lines);
    }
}
