<?php

namespace Pogo\WebSocket\Publishing;

use Closure;
use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Http\Client\ConnectionException;
use Illuminate\Http\Client\Factory;
use Illuminate\Http\Client\Response;
use Pogo\WebSocket\Support\Signature;
use Throwable;

/**
 * Publishes through the signed Pusher HTTP API (POST /apps/{id}/events).
 * Used from artisan, queue workers, php-fpm and tests, where the extension
 * is absent. Any connection error or non-2xx answer becomes a BroadcastException.
 */
class HttpPublisher implements Publisher
{
    /** Default request timeout in seconds. */
    public const DEFAULT_TIMEOUT = 5.0;

    /**
     * @param  Factory|Closure(): Factory  $http  the HTTP client factory, or a resolver called on each
     *                                            publish (so Http::fake() applies to existing broadcasters)
     * @param  string  $baseUrl  scheme://host:port of the Pogo server, without a trailing slash
     * @param  Closure|null  $clock  returns the Unix time in seconds (defaults to time())
     */
    public function __construct(
        private Factory|Closure $http,
        private string $baseUrl,
        private string $key,
        private string $secret,
        private float $timeout = self::DEFAULT_TIMEOUT,
        private ?Closure $clock = null,
    ) {
    }

    /** POST the event and throw a BroadcastException unless the server answers 2xx. */
    public function publish(string $appId, array $channels, string $event, string $data, ?string $socketId = null): void
    {
        $body = ['name' => $event, 'channels' => array_values($channels), 'data' => $data];
        if ($socketId !== null && $socketId !== '') {
            $body['socket_id'] = $socketId;
        }
        $json = json_encode($body, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
        $path = '/apps/'.rawurlencode($appId).'/events';
        $url = rtrim($this->baseUrl, '/').$path.'?'.http_build_query($this->signedQuery($path, $json));

        try {
            $http = $this->http instanceof Factory ? $this->http : ($this->http)();
            $response = $http
                ->withOptions(['timeout' => $this->timeout, 'connect_timeout' => $this->timeout, 'http_errors' => false])
                ->withBody($json, 'application/json')
                ->accept('application/json')
                ->post($url);
        } catch (ConnectionException $e) {
            throw new BroadcastException(sprintf('Pogo HTTP API unreachable at %s: %s', $this->baseUrl, $e->getMessage()), 0, $e);
        } catch (Throwable $e) {
            throw new BroadcastException(sprintf('Pogo HTTP API request to %s failed: %s', $this->baseUrl, $e->getMessage()), 0, $e);
        }

        if (! $response->successful()) {
            throw new BroadcastException(sprintf(
                'Pogo HTTP API error %d for [%s]: %s', $response->status(), $event, $this->errorMessage($response)
            ));
        }
    }

    /**
     * Build the signed query parameters of a POST with the given body.
     *
     * @return array<string, string>
     */
    public function signedQuery(string $path, string $body): array
    {
        $params = [
            'auth_key' => $this->key,
            'auth_timestamp' => (string) ($this->clock ? ($this->clock)() : time()),
            'auth_version' => '1.0',
            'body_md5' => md5($body),
        ];
        $params['auth_signature'] = Signature::api($this->secret, 'POST', $path, $params);

        return $params;
    }

    /** Extract the server's error text from a failed response. */
    private function errorMessage(Response $response): string
    {
        $decoded = json_decode($response->body(), true);
        if (is_array($decoded) && isset($decoded['error']) && is_string($decoded['error'])) {
            return $decoded['error'];
        }

        $text = trim($response->body());

        return $text === '' ? 'empty response' : mb_substr($text, 0, 300);
    }
}
