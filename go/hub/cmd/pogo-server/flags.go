package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"
)

// errUsage marks configuration errors (exit code 2).
var errUsage = errors.New("usage")

// config is the parsed command line.
type config struct {
	addr              string
	appID             string
	appKey            string
	appSecret         string
	clientEvents      bool
	subscriptionCount bool
	activityTimeout   time.Duration
	pingPeriod        time.Duration
	pongWait          time.Duration
	writeWait         time.Duration
	maxConnections    int
	appsFile          string
	webhookURL        string
	webhookSecret     string
	webhookGrace      time.Duration
	shutdownTimeout   time.Duration
	logLevel          slog.Level
	debugAddr         string
	reusePort         bool
	redis             redisOptions // redis.go
}

// durationValue is a flag.Value accepting "1s" or plain seconds "30".
type durationValue struct{ d *time.Duration }

func (v durationValue) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

func (v durationValue) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// parseDuration parses Go duration syntax or a number of seconds; negative
// values are refused.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return 0, fmt.Errorf("invalid duration %q (want e.g. 30s or 30)", s)
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// parseFlags parses args; errors wrap errUsage.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	c := config{
		activityTimeout: 30 * time.Second, pingPeriod: 54 * time.Second, pongWait: 60 * time.Second,
		writeWait: 10 * time.Second, shutdownTimeout: 10 * time.Second, webhookGrace: 3 * time.Second,
	}
	fs := flag.NewFlagSet("pogo-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:6001", "listen address; port 0 picks a free port")
	fs.StringVar(&c.appID, "app-id", "pogo-app", `id of the flag app ("" for none)`)
	fs.StringVar(&c.appKey, "app-key", "", "key of the flag app (default: the app id)")
	fs.StringVar(&c.appSecret, "app-secret", "", "secret of the flag app (required with -app-id)")
	fs.BoolVar(&c.clientEvents, "client-events", true, "allow client events on the flag app")
	fs.BoolVar(&c.subscriptionCount, "subscription-count", false, "enable subscription_count on the flag app")
	fs.Var(durationValue{&c.activityTimeout}, "activity-timeout", "activity_timeout advertised to clients")
	fs.Var(durationValue{&c.pingPeriod}, "ping-period", "client silence before the server pings")
	fs.Var(durationValue{&c.pongWait}, "pong-wait", "silence before closing with 4201")
	fs.Var(durationValue{&c.writeWait}, "write-wait", "deadline of each socket write")
	fs.IntVar(&c.maxConnections, "max-connections", 0, "connections across all apps (0 = unlimited)")
	fs.StringVar(&c.appsFile, "apps", "", "JSON file with extra apps")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "URL receiving signed Pusher webhooks")
	fs.StringVar(&c.webhookSecret, "webhook-secret", "", "webhook signing secret (default: the app secret)")
	fs.Var(durationValue{&c.webhookGrace}, "webhook-grace", "delay of channel_vacated/member_removed webhooks (0 = none)")
	fs.Var(durationValue{&c.shutdownTimeout}, "shutdown-timeout", "how long shutdown waits for clients")
	fs.StringVar(&c.debugAddr, "debug-addr", "", "serve pprof and /debug/stats on this address (off by default; keep it on loopback)")
	c.redis.register(fs)
	fs.BoolVar(&c.reusePort, "reuse-port", false, "set SO_REUSEPORT so a replacement process can listen before this one stops (Linux)")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, fmt.Errorf("%w: -log-level: %w", errUsage, err)
	}
	if c.appID != "" && c.appSecret == "" {
		return c, fmt.Errorf("%w: -app-secret is required for app %q", errUsage, c.appID)
	}
	if c.appID == "" && c.appsFile == "" {
		return c, fmt.Errorf("%w: no app: set -app-id/-app-secret or -apps", errUsage)
	}
	if c.maxConnections < 0 {
		return c, fmt.Errorf("%w: -max-connections must not be negative", errUsage)
	}
	return c, nil
}
