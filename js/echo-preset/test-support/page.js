/**
 * Test helper: runs fn with fake browser globals (window.location and a
 * document whose querySelector answers the csrf-token meta tag), then removes
 * them again, whatever fn does. Not a test file itself.
 */
export async function withPage({ protocol = 'http:', hostname = 'app.test', port = '', csrf } = {}, fn) {
  const saved = { window: globalThis.window, document: globalThis.document };
  globalThis.window = { location: { protocol, hostname, port } };
  globalThis.document = {
    querySelector(selector) {
      if (selector !== 'meta[name="csrf-token"]' || csrf === undefined) {
        return null;
      }
      return { getAttribute: (name) => (name === 'content' ? csrf : null) };
    },
  };
  try {
    return await fn();
  } finally {
    restore('window', saved.window);
    restore('document', saved.document);
  }
}

function restore(name, value) {
  if (value === undefined) {
    delete globalThis[name];
  } else {
    globalThis[name] = value;
  }
}
