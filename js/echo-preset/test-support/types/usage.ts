// Compile-only fixture for index.d.ts (checked by test/types.test.js when
// TypeScript is installed). Each line states a promise the declarations make.
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';

import {
  createPogoEcho,
  DEFAULT_WS_PORT,
  POGO_AUTH_ENDPOINT,
  PogoEchoConfigError,
  pogoEchoOptions,
  type PogoEchoErrorCode,
  type PogoEchoOptions,
} from '@pogo/echo-preset';

// Options are usable as-is with new Echo(...) and keep precise field types.
const options: PogoEchoOptions = pogoEchoOptions(
  { wsPort: '6001', forceTLS: 'true', auth: { headers: { 'X-CSRF-TOKEN': null } }, namespace: false },
  { VITE_POGO_APP_KEY: 'pogo-app', DEV: true },
);
const wsPort: number = options.wsPort;
const csrf: string | undefined = options.auth.headers['X-CSRF-TOKEN'];
const endpoint: string = options.userAuthentication.endpoint;
const direct = new Echo(options);
direct.private('orders.1').listen('.shipped', () => undefined);

// Defaults for both arguments, null accepted.
pogoEchoOptions();
pogoEchoOptions(null, null);

// The helper returns a reverb Echo.
const echo: Echo<'reverb'> = createPogoEcho({ Echo, Pusher, attachToWindow: true, wsHost: 'ws.test' });
echo.join('room.1').here((members: unknown[]) => members.length);

try {
  pogoEchoOptions({}, {});
} catch (err) {
  if (err instanceof PogoEchoConfigError) {
    const code: PogoEchoErrorCode = err.code;
    const variable: string | undefined = err.variable;
    void code;
    void variable;
  }
}

const auth: '/pogo/auth' = POGO_AUTH_ENDPOINT;
const port: 80 = DEFAULT_WS_PORT;

// @ts-expect-error Echo is required.
createPogoEcho({ Pusher });
// @ts-expect-error ports are numbers or numeric strings.
pogoEchoOptions({ wsPort: true });
// @ts-expect-error env must be an object.
pogoEchoOptions({}, 'VITE_POGO_APP_KEY=x');

void [wsPort, csrf, endpoint, auth, port];
