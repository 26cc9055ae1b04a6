package pusher

// Code is a Pusher error code. Codes 4000-4299 double as WebSocket close
// codes: 40xx means "do not reconnect unchanged", 41xx "reconnect after
// back-off", 42xx "reconnect immediately"; 43xx are errors that leave the
// connection open.
type Code int

// Error and close codes (shared/PROTOCOL.md §A.8).
const (
	CodeSSLOnly             Code = 4000
	CodeAppNotFound         Code = 4001
	CodeAppDisabled         Code = 4003
	CodeOverQuota           Code = 4004
	CodePathNotFound        Code = 4005
	CodeInvalidVersion      Code = 4006
	CodeUnsupportedProtocol Code = 4007
	CodeNoProtocol          Code = 4008
	CodeUnauthorized        Code = 4009
	CodeOverCapacity        Code = 4100
	CodeSlowConsumer        Code = 4101 // our own 41xx: the client did not read fast enough
	CodeReconnect           Code = 4200 // generic "reconnect immediately" (server restart, shutdown)
	CodePongTimeout         Code = 4201
	CodeInactivity          Code = 4202
	CodeClientEventRejected Code = 4301 // client event rate limit or client events disabled
	CodeWatchlistLimit      Code = 4302
)

// Error is a protocol error: it is sent as a pusher:error event and, when
// Close is true, followed by a close frame carrying Code.
type Error struct {
	Code    Code
	Message string
	Close   bool
}

func (e *Error) Error() string { return e.Message }

// NewError returns an error that leaves the connection open.
func NewError(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// NewCloseError returns an error after which the connection is closed with code.
func NewCloseError(code Code, msg string) *Error {
	return &Error{Code: code, Message: msg, Close: true}
}
