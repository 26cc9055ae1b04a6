// The chat room page: public feed, presence list, typing whispers, private
// nudges and server-to-user notices, all through Laravel Echo.
//
// Every event the page receives is also appended to window.chatEvents
// ({kind, ...}), which the end-to-end test reads.

import { postJson } from './http';

/** How long a "typing" whisper stays on screen, in ms. */
const TYPING_SHOWN_MS = 3000;
/** At most one "typing" whisper per this many ms (the server also rate-limits client events). */
const TYPING_EVERY_MS = 1000;

/**
 * Connects the page to the room. `echo` is the Echo instance, `me` the
 * logged-in user ({id, name, inRoom}), `doc` the document.
 */
export function startChat({ echo, me, doc }) {
  const ui = elements(doc);
  const events = (window.chatEvents = []);
  const record = (kind, data) => events.push({ kind, ...data });
  const pusher = echo.connector.pusher;

  pusher.connection.bind('state_change', ({ current }) => {
    ui.connection.textContent = current;
    record('state', { state: current });
  });

  // Server-to-user notices: sign in (POST /pogo/user-auth), then bind on the user.
  pusher.connection.bind('message', (e) => {
    if (e.event === 'pusher:signin_success') record('signed-in', {});
  });
  pusher.user.bind('pusher:signin_error', (e) => record('signin-error', { status: e.status }));
  pusher.signin();
  pusher.user.bind('notice', (n) => {
    record('notice', n);
    addNotification(ui, `Server: ${n.text}`);
  });

  echo.channel('chat').listen('.message.posted', (m) => {
    record('message', m);
    addMessage(ui, m, false);
  });

  echo.private(`users.${me.id}`).listen('.user.nudged', (n) => {
    record('nudge', n);
    addNotification(ui, `${n.from.name} nudged you`);
  });

  const room = joinRoom(echo, ui, me, record);
  wireComposer(ui, me, room, echo);
  wireButtons(ui, echo, record);
}

/** Joins presence-room: member list, typing whispers, and the refusal message on 403. */
function joinRoom(echo, ui, me, record) {
  const members = new Map();
  const render = () => {
    ui.members.replaceChildren(...[...members.values()].map((m) => item(m.name + (m.id === me.id ? ' (you)' : ''))));
  };
  let typingTimer;
  return echo
    .join('room')
    .here((list) => {
      list.forEach((m) => members.set(m.id, m));
      record('here', { ids: list.map((m) => m.id) });
      render();
    })
    .joining((m) => { members.set(m.id, m); record('joining', { id: m.id }); render(); })
    .leaving((m) => { members.delete(m.id); record('leaving', { id: m.id }); render(); })
    .listenForWhisper('typing', (w) => {
      record('typing', w);
      ui.typing.textContent = `${w.name} is typing…`;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { ui.typing.innerHTML = '&nbsp;'; }, TYPING_SHOWN_MS);
    })
    .error((err) => {
      const status = err?.status ?? err?.error?.status ?? 'error';
      record('room-error', { status });
      ui.roomError.hidden = false;
      ui.roomError.textContent = `The room refused you (${status}).`;
      ui.text.disabled = true;
      ui.text.placeholder = 'Only room members can post; you can still read the public feed.';
    });
}

/** Sends messages (toOthers: X-Socket-ID) and whispers "typing" while the user types. */
function wireComposer(ui, me, room, echo) {
  let lastWhisper = 0;
  ui.text.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastWhisper >= TYPING_EVERY_MS) {
      lastWhisper = now;
      room.whisper('typing', { id: me.id, name: me.name });
    }
  });
  ui.composer.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = ui.text.value.trim();
    if (text === '') return;
    const r = await postJson('/messages', { text }, echo.socketId());
    if (r.ok) {
      ui.text.value = '';
      addMessage(ui, r.body, true);
    } else {
      addNotification(ui, `Not sent: ${r.body.message ?? r.status}`);
    }
  });
}

/** The nudge (queued private event) and notice (server-to-user) buttons. */
function wireButtons(ui, echo, record) {
  ui.root.querySelectorAll('[data-nudge]').forEach((b) => b.addEventListener('click', async () => {
    const r = await postJson('/nudge', { to: b.dataset.nudge }, echo.socketId());
    record('nudge-sent', { to: b.dataset.nudge, status: r.status });
    addNotification(ui, r.ok ? `Nudge to ${b.dataset.nudge} queued` : `Nudge failed: ${r.body.message ?? r.status}`);
  }));
  ui.root.querySelectorAll('[data-notice]').forEach((b) => b.addEventListener('click', async () => {
    const r = await postJson('/notice', { to: b.dataset.notice }, echo.socketId());
    record('notice-sent', { to: b.dataset.notice, status: r.status });
    if (!r.ok) addNotification(ui, `Notice failed: ${r.body.message ?? r.status}`);
  }));
}

function elements(doc) {
  const q = (id) => doc.querySelector(`[data-testid="${id}"]`);
  return {
    root: doc,
    connection: q('connection'),
    members: q('members'),
    roomError: q('room-error'),
    messages: q('messages'),
    typing: q('typing'),
    composer: q('composer'),
    text: q('text'),
    notifications: q('notifications'),
  };
}

function addMessage(ui, m, mine) {
  const li = document.createElement('li');
  li.className = mine ? 'mine' : '';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = m.user.name;
  li.append(author, document.createTextNode(m.text));
  ui.messages.append(li);
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

function addNotification(ui, text) {
  ui.notifications.prepend(item(text));
}

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}
