<?php

namespace Pogo\WebSocket\Tests\Unit;

use PHPUnit\Framework\TestCase;
use Pogo\WebSocket\Install\Change;
use Pogo\WebSocket\Install\EnvFile;
use Pogo\WebSocket\Install\EnvKeys;

/**
 * The dotenv editor used by pogo:ws-install.
 */
final class EnvFileTest extends TestCase
{
    private string $path;

    protected function setUp(): void
    {
        $this->path = (string) tempnam(sys_get_temp_dir(), 'pogo-env-');
    }

    protected function tearDown(): void
    {
        @unlink($this->path);
    }

    public function test_reads_plain_quoted_and_exported_values(): void
    {
        file_put_contents($this->path, "# comment\nA=1\nB=\"two words\"\nexport C='x'\nD=\n");
        $env = new EnvFile($this->path);

        $this->assertSame('1', $env->get('A'));
        $this->assertSame('two words', $env->get('B'));
        $this->assertSame('x', $env->get('C'));
        $this->assertSame('', $env->get('D'));
        $this->assertNull($env->get('E'));
        $this->assertNull($env->get('comment'));
    }

    public function test_adds_missing_keys_in_blocks_and_keeps_the_rest(): void
    {
        file_put_contents($this->path, "# keep me\nA=1");
        $env = new EnvFile($this->path);

        $env->separate();
        $this->assertSame(Change::Created, $env->set('B', '2'));
        $this->assertSame(Change::Created, $env->set('C', '"${B}"'));
        $this->assertSame(Change::Unchanged, $env->set('A', '9'));
        $this->assertTrue($env->save());

        $this->assertSame("# keep me\nA=1\n\nB=2\nC=\"\${B}\"\n", file_get_contents($this->path));
        $this->assertFalse((new EnvFile($this->path))->save(), 'unchanged file is not rewritten');
    }

    public function test_overwrite_replaces_only_a_different_value(): void
    {
        file_put_contents($this->path, "X=a\nexport Y=pogo\nXX=a\n");
        $env = new EnvFile($this->path);

        $this->assertSame(Change::Updated, $env->set('X', 'b', true));
        $this->assertSame(Change::Unchanged, $env->set('Y', 'pogo', true));
        $env->save();

        $this->assertSame("X=b\nexport Y=pogo\nXX=a\n", file_get_contents($this->path));
    }

    public function test_separator_without_additions_changes_nothing(): void
    {
        file_put_contents($this->path, "A=1\n");
        $env = new EnvFile($this->path);

        $env->separate();
        $env->set('A', '1');

        $this->assertFalse($env->save());
    }

    public function test_laravel_11_keys_skip_broadcast_driver(): void
    {
        $keys = array_merge(...(new EnvKeys(false))->values(false));
        $legacy = array_merge(...(new EnvKeys(true))->values(false));

        $this->assertArrayNotHasKey('BROADCAST_DRIVER', $keys);
        $this->assertSame('pogo', $legacy['BROADCAST_DRIVER']);
        $this->assertSame('', $keys['WS_APP_SECRET']);
    }

    public function test_secret_pair_is_two_different_64_hex_strings(): void
    {
        [$a, $b] = EnvKeys::secretPair();

        $this->assertMatchesRegularExpression('/\A[0-9a-f]{64}\z/', $a);
        $this->assertMatchesRegularExpression('/\A[0-9a-f]{64}\z/', $b);
        $this->assertNotSame($a, $b);
    }
}
