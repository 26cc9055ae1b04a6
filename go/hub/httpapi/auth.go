package httpapi

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// Sign returns the auth_signature of a request: hex HMAC-SHA256 with secret
// of StringToSign(method, path, params).
func Sign(secret, method, path string, params map[string]string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(StringToSign(method, path, params)))
	return hex.EncodeToString(mac.Sum(nil))
}

// StringToSign is "METHOD\npath\nk1=v1&k2=v2..." over params without
// auth_signature, keys lowercased and sorted, values not escaped.
func StringToSign(method, path string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	lower := make(map[string]string, len(params))
	for k, v := range params {
		lk := strings.ToLower(k)
		if lk == "auth_signature" {
			continue
		}
		keys = append(keys, lk)
		lower[lk] = v
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(lower[k])
	}
	return b.String()
}

// BodyMD5 returns the hex MD5 of body, as sent in body_md5.
func BodyMD5(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

// authenticate verifies the request signature over the method, path and
// query (body_md5 included; the body itself is checked by checkBodyMD5)
// and returns the query parameters with lowercased keys. A request that
// announces a body (Content-Length > 0) without body_md5 is refused here.
func (h *Handler) authenticate(r *http.Request, app *hub.App) (map[string]string, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "malformed query: %v", err)
	}
	params := make(map[string]string, len(q))
	for k, vs := range q {
		lk := strings.ToLower(k)
		if _, dup := params[lk]; dup || len(vs) != 1 {
			return nil, errorf(http.StatusBadRequest, "query parameter %q given more than once", k)
		}
		params[lk] = vs[0]
	}
	sig := params["auth_signature"]
	if params["auth_key"] == "" || params["auth_timestamp"] == "" || params["auth_version"] == "" || sig == "" {
		return nil, errorf(http.StatusUnauthorized, "missing auth_key, auth_timestamp, auth_version or auth_signature")
	}
	if params["auth_key"] != app.Key {
		return nil, errorf(http.StatusUnauthorized, "unknown auth_key")
	}
	if params["auth_version"] != "1.0" {
		return nil, errorf(http.StatusUnauthorized, "unsupported auth_version %q (want 1.0)", params["auth_version"])
	}
	if err := h.checkTimestamp(params["auth_timestamp"]); err != nil {
		return nil, err
	}
	if _, hasMD5 := params["body_md5"]; !hasMD5 && r.ContentLength > 0 {
		return nil, errorf(http.StatusUnauthorized, "body_md5 does not match the body")
	}
	want := Sign(app.Secret, r.Method, r.URL.Path, params)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return nil, errorf(http.StatusUnauthorized, "invalid signature")
	}
	return params, nil
}

// checkBodyMD5 compares the signed body_md5 with the body actually
// received; a body without body_md5 is refused.
func checkBodyMD5(params map[string]string, body []byte) error {
	md5sum, hasMD5 := params["body_md5"]
	if (len(body) > 0 || hasMD5) && !hmac.Equal([]byte(md5sum), []byte(BodyMD5(body))) {
		return errorf(http.StatusUnauthorized, "body_md5 does not match the body")
	}
	return nil
}

// checkTimestamp refuses timestamps farther than TimestampWindow from now.
func (h *Handler) checkTimestamp(s string) error {
	ts, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errorf(http.StatusUnauthorized, "invalid auth_timestamp %q", s)
	}
	d := h.opts.Now().Sub(time.Unix(ts, 0))
	if d > h.opts.TimestampWindow || -d > h.opts.TimestampWindow {
		return errorf(http.StatusUnauthorized, "auth_timestamp expired: more than %s from server time", h.opts.TimestampWindow)
	}
	return nil
}
