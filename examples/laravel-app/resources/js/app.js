// Entry of the example's bundle (public/build/app.js, built by `npm run build:example`).
// bootstrap.js sets window.Echo through @pogo/echo-preset; chat.js wires the page.
import './bootstrap';
import { startChat } from './chat';

startChat({ echo: window.Echo, me: window.chatUser, doc: document });
