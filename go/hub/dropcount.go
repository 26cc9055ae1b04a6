package hub

import "errors"

// writeFailed records a failed Conn.WriteFrame. Only ErrSlowConsumer counts
// as a DropSlowConsumer: it is returned once, by the write that overflowed
// the connection's queue, which then closes itself; frames offered to a
// connection that is already closing (ErrClosed, a client that just left)
// are not drops of a live subscriber and are not counted.
func (h *Hub) writeFailed(appID string, err error) {
	if errors.Is(err, ErrSlowConsumer) {
		h.metrics.Dropped(appID, DropSlowConsumer)
	}
}
