package phpext

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestArginfoMatchesStub fails when pogo_websocket.stub.php changed without
// regenerating pogows_arginfo.h (go tool mage ext:stubs): gen_stub.php
// records the stub's SHA-1 in the generated header.
func TestArginfoMatchesStub(t *testing.T) {
	stub, err := os.ReadFile("pogo_websocket.stub.php")
	if err != nil {
		t.Fatal(err)
	}
	arginfo, err := os.ReadFile("pogows_arginfo.h")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(stub)
	if want := "Stub hash: " + hex.EncodeToString(sum[:]); !strings.Contains(string(arginfo), want) {
		t.Fatalf("pogows_arginfo.h is stale (want %q): run go tool mage ext:stubs", want)
	}
	for _, fn := range []string{"pogo_websocket_publish", "pogo_websocket_broadcast_multi"} {
		if !strings.Contains(string(arginfo), "ZEND_FE("+fn+",") {
			t.Errorf("arginfo lacks %s", fn)
		}
	}
}

// TestIDEStubsShipped checks the Laravel package ships the same stub as IDE stubs.
func TestIDEStubsShipped(t *testing.T) {
	stub, err := os.ReadFile("pogo_websocket.stub.php")
	if err != nil {
		t.Fatal(err)
	}
	ide, err := os.ReadFile("../../php/pogo-websocket/stubs/pogo_websocket.stub.php")
	if err != nil {
		t.Fatalf("the Laravel package must ship the IDE stubs: %v", err)
	}
	if !bytes.Equal(stub, ide) {
		t.Fatal("php/pogo-websocket/stubs/pogo_websocket.stub.php differs from the source stub: run go tool mage ext:stubs")
	}
}
