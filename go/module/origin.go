package pogows

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// originPolicy decides which browser origins may open a WebSocket.
//
// A request without an Origin header is accepted (non-browser clients). An
// Origin whose host[:port] equals the request's Host is accepted (same
// origin; default ports are ignored). Any other Origin must match one of the
// allowed patterns:
//
//   - "*" allows every origin;
//   - "https://app.example.com" matches that scheme and host (and port);
//   - "https://*.example.com" matches any subdomain (one or more labels) of
//     example.com, not example.com itself;
//   - a pattern without a scheme ("app.example.com") matches http and https.
type originPolicy struct {
	any      bool
	patterns []originPattern
}

type originPattern struct {
	scheme string // "" = http or https
	host   string // lower-case host[:port]; may start with "*."
}

// newOriginPolicy parses allowed_origins entries.
func newOriginPolicy(entries []string) (originPolicy, error) {
	var p originPolicy
	for _, e := range entries {
		if e == "*" {
			p.any = true
			continue
		}
		pat, err := parseOriginPattern(e)
		if err != nil {
			return originPolicy{}, err
		}
		p.patterns = append(p.patterns, pat)
	}
	return p, nil
}

func parseOriginPattern(e string) (originPattern, error) {
	bad := func(why string) (originPattern, error) {
		return originPattern{}, fmt.Errorf("%w: allowed_origins entry %q %s", ErrInvalidConfig, e, why)
	}
	var pat originPattern
	rest := e
	if i := strings.Index(e, "://"); i >= 0 {
		pat.scheme = strings.ToLower(e[:i])
		if pat.scheme != "http" && pat.scheme != "https" {
			return bad("must use http or https")
		}
		rest = e[i+3:]
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || strings.ContainsAny(rest, "/?# ") {
		return bad("must be scheme://host[:port] without a path")
	}
	if strings.Contains(rest[min(len(rest), 1):], "*") && !strings.HasPrefix(rest, "*.") {
		return bad("may only use a wildcard as the first label (https://*.example.com)")
	}
	if strings.Count(rest, "*") > 1 || rest == "*." {
		return bad("may only use one leading wildcard label")
	}
	pat.host = normalizeHost(pat.scheme, strings.ToLower(rest))
	return pat, nil
}

// normalizeHost strips the default port of scheme.
func normalizeHost(scheme, host string) string {
	switch {
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		return strings.TrimSuffix(host, ":80")
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		return strings.TrimSuffix(host, ":443")
	}
	return host
}

// allowed reports whether r's Origin is acceptable.
func (p *originPolicy) allowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || p.any {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	host := normalizeHost(scheme, strings.ToLower(u.Host))
	if host == sameOriginHost(r, scheme) {
		return true
	}
	for _, pat := range p.patterns {
		if pat.matches(scheme, host) {
			return true
		}
	}
	return false
}

// sameOriginHost is the request's Host normalized like an Origin of scheme.
func sameOriginHost(r *http.Request, scheme string) string {
	return normalizeHost(scheme, strings.ToLower(r.Host))
}

func (pat originPattern) matches(scheme, host string) bool {
	if pat.scheme != "" && pat.scheme != scheme {
		return false
	}
	if pat.scheme == "" && scheme != "http" && scheme != "https" {
		return false
	}
	if suffix, ok := strings.CutPrefix(pat.host, "*"); ok {
		return len(host) > len(suffix) && strings.HasSuffix(host, suffix)
	}
	return pat.host == host
}
