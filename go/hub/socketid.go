package hub

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync"
)

// socketIDPart bounds each half of a socket id (10 decimal digits at most).
const socketIDPart = 10_000_000_000

// randomBatch is how many crypto/rand bytes one refill of a pooled buffer
// reads: 64 socket ids' worth.
const randomBatch = 64 * 16

// randomBuf holds crypto/rand bytes not yet handed out.
type randomBuf struct {
	b   [randomBatch]byte
	off int
}

// randomPool amortizes crypto/rand calls over many socket ids. Each call is
// cheap in itself, but the kernel's vDSO getrandom needs a deep stack, and
// calling it on every handshake grew (copied) the stack of every
// connection's HTTP goroutine.
var randomPool = sync.Pool{New: func() any { return &randomBuf{off: randomBatch} }}

// newSocketID returns a socket id of the shape "\d+\.\d+" made of 16
// crypto/rand bytes (read in batches of randomBatch; bytes are never
// reused). With two independent halves of ~33 bits each, ids are unique
// across nodes without coordination for any realistic number of live
// connections, and as unpredictable as crypto/rand.
func newSocketID() string {
	r := randomPool.Get().(*randomBuf)
	if r.off+16 > len(r.b) {
		_, _ = rand.Read(r.b[:]) // crypto/rand.Read never fails on supported platforms
		r.off = 0
	}
	p := r.b[r.off : r.off+16]
	a := binary.LittleEndian.Uint64(p[:8]) % socketIDPart
	c := binary.LittleEndian.Uint64(p[8:]) % socketIDPart
	clear(p)
	r.off += 16
	randomPool.Put(r)
	out := make([]byte, 0, 21)
	out = strconv.AppendUint(out, a, 10)
	out = append(out, '.')
	out = strconv.AppendUint(out, c, 10)
	return string(out)
}
