package hub

// Status is the result of a publish, shared by the native PHP functions
// (returned as is), the HTTP API and the Laravel broadcaster. The values
// are the public contract of the seed's table and must never change.
type Status int

// Publish statuses.
const (
	StatusOK                 Status = 0
	StatusHubMissing         Status = 1 // no (enabled) app with that id
	StatusChannelTooLong     Status = 2 // also: invalid channel name, empty channel list, too many channels
	StatusEventTooLong       Status = 3 // also: empty event name
	StatusPayloadTooLarge    Status = 4
	StatusInvalidPayloadJSON Status = 5 // native publish only: data must be JSON
	StatusBrokerFailed       Status = 6
	StatusInvalidMultiJSON   Status = 7 // native broadcast_multi: channels must be a JSON array of strings
	StatusBrokerQueueFull    Status = 8
	StatusShardQueueFull     Status = 9
)

var statusText = [...]string{
	"success", "hub missing", "channel too long", "event too long", "payload too large",
	"invalid payload JSON", "broker publish failed", "invalid multi-channel JSON",
	"broker queue full", "shard queue full",
}

// String returns the seed's meaning of s.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusText) {
		return statusText[s]
	}
	return "unknown status"
}
