//go:build mage

package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// stubFile is the single source of the native functions' signatures.
const stubFile = "go/phpext/pogo_websocket.stub.php"

// Stubs regenerates go/phpext/pogows_arginfo.h from the stub with PHP's own gen_stub.php and copies the stub into the Laravel package as IDE stubs.
func (Ext) Stubs() error {
	tools := filepath.Join(cacheDir(), "gen_stub")
	gen := filepath.Join(tools, "php-"+phpVersion, "build", "gen_stub.php")
	if !exists(gen) {
		tarball := filepath.Join(cacheDir(), "src", "php8.2_"+phpVersion+".orig.tar.xz")
		if !exists(tarball) {
			return fmt.Errorf("%s is missing: run `go tool mage setup` first", tarball)
		}
		if err := os.MkdirAll(tools, 0o755); err != nil {
			return err
		}
		if err := run(tools, nil, "tar", "-xJf", tarball, "php-"+phpVersion+"/build/gen_stub.php"); err != nil {
			return err
		}
		// gen_stub.php would download nikic/PHP-Parser from GitHub; Debian's
		// php-parser package provides the same API offline.
		parser := filepath.Join(tools, "php-"+phpVersion, "build", "PHP-Parser-4.15.1")
		if err := os.MkdirAll(parser, 0o755); err != nil {
			return err
		}
		if err := os.Symlink("/usr/share/php", filepath.Join(parser, "lib")); err != nil && !os.IsExist(err) {
			return err
		}
	}
	work, err := os.MkdirTemp("", "pogo-stubs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	stub, err := os.ReadFile(filepath.Join(root(), stubFile))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "pogo_websocket.stub.php"), stub, 0o644); err != nil {
		return err
	}
	if err := run(work, nil, "php", gen, "pogo_websocket.stub.php"); err != nil {
		return fmt.Errorf("gen_stub.php failed (is php-parser installed? run setup): %w", err)
	}
	arginfo, err := os.ReadFile(filepath.Join(work, "pogo_websocket_arginfo.h"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root(), "go", "phpext", "pogows_arginfo.h"), arginfo, 0o644); err != nil {
		return err
	}
	ide := filepath.Join(root(), "php", "pogo-websocket", "stubs", "pogo_websocket.stub.php")
	if err := os.MkdirAll(filepath.Dir(ide), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(ide, stub, 0o644); err != nil {
		return err
	}
	fmt.Println("stubs: regenerated go/phpext/pogows_arginfo.h and php/pogo-websocket/stubs/pogo_websocket.stub.php")
	return nil
}
