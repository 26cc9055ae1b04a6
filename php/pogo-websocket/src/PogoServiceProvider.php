<?php

namespace Pogo\WebSocket;

use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Http\Client\Factory as HttpFactory;
use Illuminate\Support\ServiceProvider;
use Pogo\WebSocket\Broadcasting\ConnectionConfig;
use Pogo\WebSocket\Broadcasting\PogoBroadcaster;
use Pogo\WebSocket\Console\InstallCommand;
use Pogo\WebSocket\Http\Controllers\ChannelAuthController;
use Pogo\WebSocket\Http\Controllers\UserAuthController;
use Pogo\WebSocket\Http\Controllers\WebhookController;
use Pogo\WebSocket\Publishing\HttpPublisher;
use Pogo\WebSocket\Publishing\NativePublisher;
use Pogo\WebSocket\Webhooks\WebhookVerifier;

/**
 * Registers the `pogo` broadcasting driver, the auth and webhook routes,
 * the config file and the pogo:ws-install command.
 */
class PogoServiceProvider extends ServiceProvider
{
    /** Register the package's bindings and merge its config. */
    public function register()
    {
        $this->mergeConfigFrom(__DIR__.'/../config/pogo-websocket.php', 'pogo-websocket');

        $this->app->singleton(NativePublisher::class, fn () => new NativePublisher());
        $this->app->bind(WebhookVerifier::class, fn (Application $app) => $this->makeWebhookVerifier($app));
    }

    /** Extend the broadcast manager, register routes, publishing and commands. */
    public function boot()
    {
        $this->callAfterResolving(BroadcastManager::class, function (BroadcastManager $manager) {
            $manager->extend('pogo', fn ($app, array $config) => $this->makeBroadcaster($app, $config));
        });

        $this->registerRoutes();

        if ($this->app->runningInConsole()) {
            $this->publishes([
                __DIR__.'/../config/pogo-websocket.php' => $this->app->configPath('pogo-websocket.php'),
            ], 'pogo-websocket-config');
            $this->commands([InstallCommand::class]);
        }
    }

    /** Build the broadcaster of one `pogo` connection. */
    protected function makeBroadcaster($app, array $config): PogoBroadcaster
    {
        $settings = ConnectionConfig::fromArray($config, (array) $app['config']->get('pogo-websocket.api', []));
        $http = new HttpPublisher(
            fn () => $app->make(HttpFactory::class), $settings->baseUrl(), $settings->key, $settings->secret, $settings->timeout
        );

        return new PogoBroadcaster($settings, $app->make(NativePublisher::class), $http);
    }

    /** Build the webhook verifier from the pogo connection and the webhook config. */
    protected function makeWebhookVerifier($app): WebhookVerifier
    {
        $config = $app['config'];
        $connection = (array) $config->get('broadcasting.connections.'.$config->get('pogo-websocket.connection', 'pogo'), []);
        $key = (string) (($connection['key'] ?? '') !== '' ? $connection['key'] : ($connection['app_id'] ?? ''));
        $secret = $config->get('pogo-websocket.webhook.secret');

        return new WebhookVerifier(
            $key,
            $secret === null ? null : (string) $secret,
            (int) $config->get('pogo-websocket.webhook.tolerance', WebhookVerifier::DEFAULT_TOLERANCE),
            (int) $config->get('pogo-websocket.webhook.max_body', WebhookVerifier::DEFAULT_MAX_BODY),
        );
    }

    /** Register POST {prefix}/auth, {prefix}/user-auth and the webhook path. */
    protected function registerRoutes(): void
    {
        if (method_exists($this->app, 'routesAreCached') && $this->app->routesAreCached()) {
            return;
        }

        $config = $this->app['config'];
        $router = $this->app['router'];

        if ($config->get('pogo-websocket.routes.enabled', true)) {
            $router->group([
                'prefix' => $config->get('pogo-websocket.routes.prefix', 'pogo'),
                'middleware' => $config->get('pogo-websocket.routes.middleware', ['web']),
            ], function ($router) {
                $router->post('auth', ChannelAuthController::class)->name('pogo.auth');
                $router->post('user-auth', UserAuthController::class)->name('pogo.user-auth');
            });
        }

        if ($config->get('pogo-websocket.webhook.enabled', true)) {
            $router->post($config->get('pogo-websocket.webhook.path', 'pogo/webhook'), WebhookController::class)
                ->middleware($config->get('pogo-websocket.webhook.middleware', []))
                ->name('pogo.webhook');
        }
    }
}
