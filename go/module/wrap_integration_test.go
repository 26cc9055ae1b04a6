package pogows

import "testing"

// Directives that wrap the ResponseWriter (encode, header, log) run before
// pogo_websocket at site level; the upgrade must still hijack the socket.
func TestIntegrationUpgradeThroughWrappers(t *testing.T) {
	ts := startCaddy(t, `encode gzip
		header X-Test yes
		pogo_websocket {
			app_id app1
			app_secret secret1
		}`)
	c := ts.mustDial("app1")
	c.send(`{"event":"pusher:ping","data":{}}`)
	if ev := c.read(); ev.Event != "pusher:pong" {
		t.Fatalf("through wrappers: %+v", ev)
	}
}
