package main

import (
	"runtime"
	"testing"
)

func TestListenReusePort(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SO_REUSEPORT is Linux only here")
	}
	a, err := listen("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := listen(a.Addr().String(), true)
	if err != nil {
		t.Fatalf("second listener with -reuse-port: %v", err)
	}
	_ = b.Close()
	plain, err := listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if c, err := listen(plain.Addr().String(), false); err == nil {
		_ = c.Close()
		t.Fatal("two plain listeners on one address")
	}
}
