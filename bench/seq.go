package main

// seqTrack is the loss/duplicate/order accounting of one subscription
// (one connection on one channel) whose publisher numbers messages 1, 2,
// 3, ... in order. It keeps O(1) state, so a duplicate and a late
// (out-of-order) message are told apart only by position: a sequence
// equal to the last one is a duplicate; a smaller one is out of order.
type seqTrack struct {
	last     int64 // highest sequence seen
	received int64 // every message, duplicates included
	dup      int64
	ooo      int64
}

// observe accounts one received sequence number.
func (s *seqTrack) observe(seq int64) {
	s.received++
	switch {
	case seq > s.last:
		s.last = seq
	case seq == s.last:
		s.dup++
	default:
		s.ooo++
	}
}

// lost is how many of the expected messages never arrived: expected minus
// the distinct messages received, never negative.
func (s *seqTrack) lost(expected int64) int64 {
	l := expected - (s.received - s.dup)
	if l < 0 {
		return 0
	}
	return l
}
