<?php

namespace Pogo\WebSocket\Http\Controllers;

use Illuminate\Contracts\Events\Dispatcher;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Pogo\WebSocket\Webhooks\InvalidWebhookException;
use Pogo\WebSocket\Webhooks\WebhookEventFactory;
use Pogo\WebSocket\Webhooks\WebhookVerifier;

/**
 * POST /pogo/webhook: verifies the Pogo server's signed webhook and
 * dispatches one Laravel event per entry. Answers 200 {"dispatched": n},
 * or the InvalidWebhookException status with {"error": "..."}.
 */
final class WebhookController
{
    /** Create the controller. */
    public function __construct(
        private WebhookVerifier $verifier,
        private WebhookEventFactory $factory,
        private Dispatcher $events,
    ) {
    }

    /** Verify, decode and dispatch the webhook batch. */
    public function __invoke(Request $request): JsonResponse
    {
        try {
            $payload = $this->verifier->verify(
                $request->header('X-Pusher-Key'), $request->header('X-Pusher-Signature'), $request->getContent()
            );
            $events = $this->factory->make($payload);
        } catch (InvalidWebhookException $e) {
            return new JsonResponse(['error' => $e->getMessage()], $e->getCode());
        }

        foreach ($events as $event) {
            $this->events->dispatch($event);
        }

        return new JsonResponse(['dispatched' => count($events)]);
    }
}
