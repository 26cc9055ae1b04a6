package pogows

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/caddyserver/caddy/v2"
)

// check rejects contradictory Redis options, before placeholders are
// replaced. A nil r (no redis_* option) is valid.
func (r *RedisConfig) check() error {
	switch {
	case r == nil:
		return nil
	case r.DB < 0:
		return fmt.Errorf("%w: redis_db must not be negative", ErrInvalidConfig)
	case r.Cluster && r.SentinelMaster != "":
		return fmt.Errorf("%w: redis_cluster and redis_sentinel_master are mutually exclusive", ErrInvalidConfig)
	case r.Cluster && r.DB != 0:
		return fmt.Errorf("%w: redis_db %d with redis_cluster: Redis Cluster has only database 0", ErrInvalidConfig, r.DB)
	case r.URL != "" && (r.Cluster || r.SentinelMaster != ""):
		return fmt.Errorf("%w: redis_url is a single server; use redis_host with redis_cluster or redis_sentinel_master", ErrInvalidConfig)
	}
	return nil
}

// addrs returns Host followed by Hosts, without empty entries.
func (r *RedisConfig) addrs() []string {
	var out []string
	for _, a := range append([]string{r.Host}, r.Hosts...) {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// resolveRedis sets s.redis to h.Redis with placeholders replaced, or
// leaves it nil when no address remains (redis_host {env.X} with X unset:
// a single node). Every address must be host:port; several need
// redis_cluster or redis_sentinel_master.
func (h *Handler) resolveRedis(s *settings, repl *caddy.Replacer) error {
	if h.Redis == nil {
		return nil
	}
	r := *h.Redis
	r.Host = repl.ReplaceKnown(r.Host, "")
	r.Hosts = make([]string, len(h.Redis.Hosts))
	for i, a := range h.Redis.Hosts {
		r.Hosts[i] = repl.ReplaceKnown(a, "")
	}
	r.SentinelMaster = repl.ReplaceKnown(r.SentinelMaster, "")
	if h.Redis.SentinelMaster != "" && r.SentinelMaster == "" {
		return fmt.Errorf("%w: redis_sentinel_master %q is empty", ErrInvalidConfig, h.Redis.SentinelMaster)
	}
	r.Password = repl.ReplaceKnown(r.Password, "")
	r.URL = repl.ReplaceKnown(r.URL, "")
	if r.URL != "" {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return fmt.Errorf("%w: redis_url must look like redis://[user:password@]host:port/db or rediss://...", ErrInvalidConfig)
		}
		s.redis = &r
		return nil
	}
	addrs := r.addrs()
	if len(addrs) == 0 {
		return nil
	}
	for _, a := range addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return fmt.Errorf("%w: redis_host %q must be host:port: %v", ErrInvalidConfig, a, err)
		}
	}
	if len(addrs) > 1 && !r.Cluster && r.SentinelMaster == "" {
		return fmt.Errorf("%w: redis_host %s: several addresses need redis_cluster or redis_sentinel_master",
			ErrInvalidConfig, strings.Join(addrs, " "))
	}
	s.redis = &r
	return nil
}
