//go:build cgo && !nopogophp

package phpext

// #cgo linux CFLAGS: -D_GNU_SOURCE
// #include <stdlib.h>
// #include "pogows.h"
import "C"

import (
	"unsafe"

	"github.com/dunglas/frankenphp"
)

// init registers the extension before FrankenPHP starts PHP.
func init() {
	frankenphp.RegisterExtension(unsafe.Pointer(&C.pogows_module_entry))
}

//export go_pogo_websocket_publish
func go_pogo_websocket_publish(appID, channel, event, data, except string) C.long {
	return C.long(Publish(appID, channel, event, data, except))
}

//export go_pogo_websocket_broadcast_multi
func go_pogo_websocket_broadcast_multi(appID, channels, event, data, except string) C.long {
	return C.long(BroadcastMulti(appID, channels, event, data, except))
}
