<?php

namespace Pogo\WebSocket;

use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Broadcasting\Broadcasters\Broadcaster;
use Illuminate\Container\Container;
use InvalidArgumentException;
use Pogo\WebSocket\Testing\PogoFake;

/**
 * Entry points for application code and tests.
 */
final class Pogo
{
    /**
     * Replace the `pogo` connection's broadcaster with a PogoFake that keeps
     * the channel callbacks already registered, and return it.
     */
    public static function fake(?string $connection = null): PogoFake
    {
        $app = Container::getInstance();
        $connection ??= (string) $app['config']->get('pogo-websocket.connection', 'pogo');
        $manager = $app->make(BroadcastManager::class);

        $fake = new PogoFake();
        try {
            $current = $manager->connection($connection);
            if ($current instanceof Broadcaster) {
                $fake->inheritChannels($current);
            }
        } catch (InvalidArgumentException) {
            // The real connection is not configured (no app_id or secret): nothing to inherit.
        }

        $manager->extend('pogo', fn () => $fake);
        $manager->purge($connection);

        return $fake;
    }
}
