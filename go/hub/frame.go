package hub

import "encoding/binary"

// maxFrameHeader is the largest header of an unmasked server frame.
const maxFrameHeader = 10

// finishFrame turns buf, whose first maxFrameHeader bytes are reserved and
// the rest is the payload, into a complete WebSocket text frame (FIN set,
// opcode 1, unmasked, minimal 7/16/64-bit length). It returns a subslice of
// buf; no allocation.
func finishFrame(buf []byte) []byte {
	n := len(buf) - maxFrameHeader
	var hdr int
	switch {
	case n < 126:
		hdr = 2
	case n <= 0xFFFF:
		hdr = 4
	default:
		hdr = 10
	}
	f := buf[maxFrameHeader-hdr:]
	f[0] = 0x81 // FIN | text
	switch hdr {
	case 2:
		f[1] = byte(n)
	case 4:
		f[1] = 126
		binary.BigEndian.PutUint16(f[2:4], uint16(n))
	default:
		f[1] = 127
		binary.BigEndian.PutUint64(f[2:10], uint64(n))
	}
	return f
}

// TextFrame returns payload as one complete unmasked server WebSocket text
// frame, ready for Conn.WriteFrame.
func TextFrame(payload []byte) []byte {
	buf := make([]byte, maxFrameHeader, maxFrameHeader+len(payload))
	return finishFrame(append(buf, payload...))
}

// appendTextFrame appends payload to dst as one complete unmasked server
// WebSocket text frame (the same bytes as TextFrame).
func appendTextFrame(dst, payload []byte) []byte {
	n := len(payload)
	switch {
	case n < 126:
		dst = append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		dst = append(dst, 0x81, 126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, 0x81, 127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	return append(dst, payload...)
}
