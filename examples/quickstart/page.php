<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Pogo WebSocket quickstart</title>
  <script src="/vendor/pusher-js/pusher.min.js"></script>
  <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}li{margin:.2rem 0}</style>
</head>
<body>
  <h1>Pogo WebSocket quickstart</h1>
  <p>PHP <?= PHP_VERSION ?> (<?= PHP_ZTS ? 'ZTS' : 'NTS' ?>), worker thread serving request #<?= (int) $served ?>.
     Open this page in two tabs and send a message: PHP publishes it with <code>pogo_websocket_publish()</code>.</p>
  <form id="f"><input name="text" value="hello" autocomplete="off"> <button>Publish</button></form>
  <p id="state">connecting…</p>
  <ul id="log"></ul>
  <script>
    const pusher = new Pusher('pogo-app', {
      cluster: '', wsHost: location.hostname, wsPort: location.port || 80, wssPort: location.port || 443,
      forceTLS: location.protocol === 'https:', enabledTransports: ['ws', 'wss'], disableStats: true,
    });
    pusher.connection.bind('state_change', s => { document.getElementById('state').textContent = s.current; });
    pusher.subscribe('quickstart').bind('message', m => {
      const li = document.createElement('li');
      li.textContent = `${m.at}: ${m.text}`;
      document.getElementById('log').prepend(li);
    });
    document.getElementById('f').addEventListener('submit', async e => {
      e.preventDefault();
      await fetch('/publish', { method: 'POST', body: new FormData(e.target) });
    });
  </script>
</body>
</html>
