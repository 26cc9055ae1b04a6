package phpext

// Status codes returned to PHP. They are the public contract of the seed's
// table and equal hub.Status values; phpext does not import the hub.
const (
	StatusOK                 = 0
	StatusHubMissing         = 1
	StatusChannelTooLong     = 2
	StatusEventTooLong       = 3
	StatusPayloadTooLarge    = 4
	StatusInvalidPayloadJSON = 5
	StatusBrokerFailed       = 6
	StatusInvalidMultiJSON   = 7
	StatusBrokerQueueFull    = 8
	StatusShardQueueFull     = 9
)
