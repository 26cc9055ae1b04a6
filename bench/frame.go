package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// WebSocket opcodes used by the load tool.
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
)

// maxFrame bounds the payload of one server frame the tool accepts.
const maxFrame = 1 << 20

// Frame errors.
var (
	errMaskedServerFrame = errors.New("server frame is masked")
	errFrameTooBig       = errors.New("server frame larger than 1 MiB")
)

// parseFrame decodes one server-to-client frame at the start of b. It
// returns the opcode, the payload (aliasing b), the total frame length and
// ok=false when b does not hold the whole frame yet. It never allocates.
func parseFrame(b []byte) (op byte, payload []byte, n int, ok bool, err error) {
	if len(b) < 2 {
		return 0, nil, 0, false, nil
	}
	op = b[0] & 0x0F
	if b[1]&0x80 != 0 {
		return 0, nil, 0, false, errMaskedServerFrame
	}
	size := uint64(b[1] & 0x7F)
	hdr := 2
	switch size {
	case 126:
		if len(b) < 4 {
			return 0, nil, 0, false, nil
		}
		size = uint64(binary.BigEndian.Uint16(b[2:4]))
		hdr = 4
	case 127:
		if len(b) < 10 {
			return 0, nil, 0, false, nil
		}
		size = binary.BigEndian.Uint64(b[2:10])
		hdr = 10
	}
	if size > maxFrame {
		return 0, nil, 0, false, fmt.Errorf("%w (%d bytes)", errFrameTooBig, size)
	}
	end := hdr + int(size)
	if len(b) < end {
		return 0, nil, 0, false, nil
	}
	return op, b[hdr:end], end, true, nil
}

// appendClientFrame appends a final, masked client frame to dst. The mask
// key is zero (a valid key that leaves the payload bytes unchanged), so
// building a frame costs one copy.
func appendClientFrame(dst []byte, op byte, payload []byte) []byte {
	dst = append(dst, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		dst = append(dst, 0x80|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, 0x80|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	dst = append(dst, 0, 0, 0, 0)
	return append(dst, payload...)
}

// Markers of the benchmark payload inside a channel event, as they appear
// on the wire (the data string is JSON-encoded inside the envelope).
var (
	seqMarker = []byte(`seq\":`)
	tsMarker  = []byte(`ts\":`)
)

// benchFields extracts the sequence number and the send timestamp (ns
// since the run's epoch) of a benchmark event; ok is false for any other
// message. It never allocates.
func benchFields(payload []byte) (seq, ts int64, ok bool) {
	i := bytes.Index(payload, seqMarker)
	if i < 0 {
		return 0, 0, false
	}
	rest := payload[i+len(seqMarker):]
	seq, n := parseDigits(rest)
	if n == 0 {
		return 0, 0, false
	}
	rest = rest[n:]
	j := bytes.Index(rest, tsMarker)
	if j < 0 {
		return 0, 0, false
	}
	ts, n = parseDigits(rest[j+len(tsMarker):])
	if n == 0 {
		return 0, 0, false
	}
	return seq, ts, true
}

// parseDigits reads a non-negative decimal at the start of b and returns
// it with the number of digits consumed.
func parseDigits(b []byte) (v int64, n int) {
	for n < len(b) && n < 19 && b[n] >= '0' && b[n] <= '9' {
		v = v*10 + int64(b[n]-'0')
		n++
	}
	return v, n
}

// isPusherPing reports whether a text payload is a pusher:ping event.
func isPusherPing(payload []byte) bool {
	return bytes.Contains(payload, []byte(`"pusher:ping"`))
}

// closeCode returns the status code of a close frame payload, 1005 when
// it carries none.
func closeCode(payload []byte) int {
	if len(payload) < 2 {
		return 1005
	}
	return int(binary.BigEndian.Uint16(payload[:2]))
}
