package main

import (
	"bytes"
	"testing"
)

// FuzzWebhookSignature checks the signer/verifier round trip: a signature
// verifies for its own secret and body, and for no other body or secret.
func FuzzWebhookSignature(f *testing.F) {
	f.Add("secret", []byte(`{"time_ms":1,"events":[{"name":"channel_occupied","channel":"c"}]}`), byte(1), 0)
	f.Add("", []byte{}, byte(0x80), 5)
	f.Add("s\x00\xff", []byte("\xff\xfe"), byte(0xff), 1)
	f.Fuzz(func(t *testing.T, secret string, body []byte, flip byte, at int) {
		sig := signWebhook(secret, body)
		if len(sig) != 64 || !verifyWebhook(secret, body, sig) {
			t.Fatalf("round trip failed: %q", sig)
		}
		if flip == 0 {
			flip = 1
		}
		if len(body) > 0 {
			tampered := bytes.Clone(body)
			i := (at%len(body) + len(body)) % len(body)
			tampered[i] ^= flip
			if verifyWebhook(secret, tampered, sig) {
				t.Fatalf("tampered body verified (byte %d)", i)
			}
		}
		if verifyWebhook(secret+"x", body, sig) {
			t.Fatal("another secret verified")
		}
		if verifyWebhook(secret, append(bytes.Clone(body), 'x'), sig) {
			t.Fatal("extended body verified")
		}
	})
}
