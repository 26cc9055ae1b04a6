// Package hubtest holds fakes for tests of the hub and of packages built on
// it: a Conn that records the frames written to it and decodes them back to
// events, a Conn that only counts (for benchmarks), and a static
// AppProvider. It imports only the pusher wire package, so the hub's own
// tests can use it too.
package hubtest
