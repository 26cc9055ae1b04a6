package hub

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
)

// socketIDPart bounds each half of a socket id (10 decimal digits at most).
const socketIDPart = 10_000_000_000

// newSocketID returns a crypto/rand socket id of the shape "\d+\.\d+". With
// two independent halves of ~33 bits each, ids are unique across nodes
// without coordination for any realistic number of live connections.
func newSocketID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	a := binary.LittleEndian.Uint64(b[:8]) % socketIDPart
	c := binary.LittleEndian.Uint64(b[8:]) % socketIDPart
	out := make([]byte, 0, 21)
	out = strconv.AppendUint(out, a, 10)
	out = append(out, '.')
	out = strconv.AppendUint(out, c, 10)
	return string(out)
}
