package phpext

import (
	"encoding/json"
	"strings"
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
	if !json.Valid(view(data)) {
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
	if !json.Valid(view(data)) {
		return StatusInvalidPayloadJSON
	}
	return p.Publish(channels, strings.Clone(event), strings.Clone(data), strings.Clone(except))
}

// view returns the bytes of s without copying; callers must not modify or
// retain them.
func view(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
