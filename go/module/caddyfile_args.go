package pogows

import (
	"strconv"
	"strings"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/dustin/go-humanize"
)

// Argument helpers for UnmarshalCaddyfile. Each consumes the arguments of
// the current option line and returns an error naming the option.

// oneArg returns the single argument of the current option.
func oneArg(d *caddyfile.Dispenser) (string, error) {
	name := d.Val()
	args := d.RemainingArgs()
	if len(args) != 1 {
		return "", d.Errf("%s: expected exactly one argument, got %d", name, len(args))
	}
	return args[0], nil
}

// someArgs returns the (at least one) arguments of the current option.
func someArgs(d *caddyfile.Dispenser) ([]string, error) {
	name := d.Val()
	args := d.RemainingArgs()
	if len(args) == 0 {
		return nil, d.Errf("%s: expected at least one argument", name)
	}
	return args, nil
}

// intArg parses a non-negative integer argument.
func intArg(d *caddyfile.Dispenser) (int, error) {
	name := d.Val()
	s, err := oneArg(d)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, d.Errf("%s: %q is not a non-negative integer", name, s)
	}
	return n, nil
}

// intOrOffArg parses a positive integer, or "off"/"unlimited" as -1.
func intOrOffArg(d *caddyfile.Dispenser) (int, error) {
	name := d.Val()
	s, err := oneArg(d)
	if err != nil {
		return 0, err
	}
	if s == "off" || s == "unlimited" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, d.Errf("%s: %q is not a positive integer, off or unlimited", name, s)
	}
	return n, nil
}

// sizeArg parses a byte size: a plain number of bytes or a size with a
// unit such as 16KB, 1MiB.
func sizeArg(d *caddyfile.Dispenser) (int64, error) {
	name := d.Val()
	s, err := oneArg(d)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || n == 0 || n > 1<<40 {
		return 0, d.Errf("%s: %q is not a positive byte size (e.g. 16384 or 16KiB)", name, s)
	}
	return int64(n), nil
}

// durArg parses a positive Caddy duration (e.g. 10s, 1m30s, 2d).
func durArg(d *caddyfile.Dispenser) (caddy.Duration, error) {
	name := d.Val()
	s, err := oneArg(d)
	if err != nil {
		return 0, err
	}
	v, err := caddy.ParseDuration(s)
	if err != nil || v <= 0 {
		return 0, d.Errf("%s: %q is not a positive duration (e.g. 10s)", name, s)
	}
	return caddy.Duration(v), nil
}

// boolArg parses on|off|true|false|yes|no; no argument means true.
func boolArg(d *caddyfile.Dispenser) (bool, error) {
	name := d.Val()
	args := d.RemainingArgs()
	if len(args) == 0 {
		return true, nil
	}
	if len(args) > 1 {
		return false, d.Errf("%s: expected on or off", name)
	}
	switch strings.ToLower(args[0]) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return false, d.Errf("%s: %q is not on or off", name, args[0])
}

// boolPtrArg is boolArg returning a pointer, for tri-state options.
func boolPtrArg(d *caddyfile.Dispenser) (*bool, error) {
	b, err := boolArg(d)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// rateArg parses a positive number of handshakes per second, or "off" (-1).
func rateArg(d *caddyfile.Dispenser) (float64, error) {
	name := d.Val()
	s, err := oneArg(d)
	if err != nil {
		return 0, err
	}
	if s == "off" {
		return -1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, d.Errf("%s: %q is not a positive number or off", name, s)
	}
	return v, nil
}
