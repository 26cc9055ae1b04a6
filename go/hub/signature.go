package hub

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Sign returns the lowercase hex HMAC-SHA256 of msg keyed by secret, the
// signature Pusher uses for channel and user authentication.
func Sign(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// ChannelAuthString returns the string signed for a private, encrypted or
// presence subscription: "socket_id:channel" or, with channel data,
// "socket_id:channel:channel_data" (over the exact channel_data bytes).
func ChannelAuthString(socketID, channel, channelData string) string {
	if channelData == "" {
		return socketID + ":" + channel
	}
	return socketID + ":" + channel + ":" + channelData
}

// UserAuthString returns the string signed for pusher:signin:
// "socket_id::user::user_data".
func UserAuthString(socketID, userData string) string {
	return socketID + "::user::" + userData
}

// verifyAuth checks an "app_key:hexsig" auth token against msg in constant
// time (the signature comparison uses hmac.Equal).
func verifyAuth(app *App, auth, msg string) bool {
	key, sig, ok := strings.Cut(auth, ":")
	if !ok || key != app.Key {
		return false
	}
	want := Sign(app.Secret, msg)
	return hmac.Equal([]byte(sig), []byte(want))
}
