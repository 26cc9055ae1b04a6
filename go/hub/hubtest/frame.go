package hubtest

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrBadFrame is returned by DecodeFrame for anything but one complete,
// unmasked, final text frame.
var ErrBadFrame = errors.New("hubtest: bad frame")

// DecodeFrame returns the payload of one complete unmasked server text
// frame, checking FIN, opcode, the minimal length encoding and that nothing
// follows the payload.
func DecodeFrame(f []byte) ([]byte, error) {
	if len(f) < 2 {
		return nil, fmt.Errorf("%w: %d bytes", ErrBadFrame, len(f))
	}
	if f[0] != 0x81 {
		return nil, fmt.Errorf("%w: first byte %#x, want FIN|text", ErrBadFrame, f[0])
	}
	if f[1]&0x80 != 0 {
		return nil, fmt.Errorf("%w: server frame is masked", ErrBadFrame)
	}
	n, hdr := uint64(f[1]&0x7F), 2
	switch n {
	case 126:
		if len(f) < 4 {
			return nil, fmt.Errorf("%w: short 16-bit header", ErrBadFrame)
		}
		n, hdr = uint64(binary.BigEndian.Uint16(f[2:4])), 4
		if n < 126 {
			return nil, fmt.Errorf("%w: non-minimal 16-bit length %d", ErrBadFrame, n)
		}
	case 127:
		if len(f) < 10 {
			return nil, fmt.Errorf("%w: short 64-bit header", ErrBadFrame)
		}
		n, hdr = binary.BigEndian.Uint64(f[2:10]), 10
		if n <= 0xFFFF {
			return nil, fmt.Errorf("%w: non-minimal 64-bit length %d", ErrBadFrame, n)
		}
	}
	if uint64(len(f)-hdr) != n {
		return nil, fmt.Errorf("%w: payload %d bytes, header says %d", ErrBadFrame, len(f)-hdr, n)
	}
	return f[hdr:], nil
}
