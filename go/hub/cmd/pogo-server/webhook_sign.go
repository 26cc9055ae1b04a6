package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// signWebhook returns the X-Pusher-Signature of a webhook body: the
// lowercase hex HMAC-SHA256 of the raw body keyed by the webhook secret.
func signWebhook(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// verifyWebhook reports whether sig is the signature of body under secret,
// comparing in constant time; what a receiver does with X-Pusher-Signature.
func verifyWebhook(secret string, body []byte, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(signWebhook(secret, body)))
}
