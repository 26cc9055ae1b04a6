package phpext

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Publish implements pogo_websocket_publish: data must be valid JSON
// (StatusInvalidPayloadJSON otherwise), appID must be registered
// (StatusHubMissing). The arguments may be views of PHP memory: Publish
// copies them once before handing them to the publisher.
func Publish(appID, channel, event, data, except string) int {
	p, ok := lookup(appID)
	if !ok {
		return StatusHubMissing
	}
	if !validJSON(data) {
		return StatusInvalidPayloadJSON
	}
	channels := []string{strings.Clone(channel)}
	return p.Publish(channels, strings.Clone(event), strings.Clone(data), strings.Clone(except))
}

// BroadcastMulti implements pogo_websocket_broadcast_multi: channelsJSON
// must be a JSON array of strings (StatusInvalidMultiJSON otherwise).
// Decoding copies the channel names.
func BroadcastMulti(appID, channelsJSON, event, data, except string) int {
	p, ok := lookup(appID)
	if !ok {
		return StatusHubMissing
	}
	var channels []string
	if err := json.Unmarshal(view(channelsJSON), &channels); err != nil || channels == nil {
		return StatusInvalidMultiJSON
	}
	if !validJSON(data) {
		return StatusInvalidPayloadJSON
	}
	return p.Publish(channels, strings.Clone(event), strings.Clone(data), strings.Clone(except))
}

// validJSON reports whether s is JSON encoded as UTF-8 (JSON text must be
// UTF-8; invalid bytes would reach browsers inside a text frame and make
// them drop the connection).
func validJSON(s string) bool {
	b := view(s)
	return utf8.Valid(b) && json.Valid(b)
}

// view returns the bytes of s without copying; callers must not modify or
// retain them.
func view(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
