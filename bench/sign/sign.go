// Package sign signs and verifies Pusher HTTP API requests (auth_key,
// auth_timestamp, auth_version, body_md5, auth_signature) for the load tool
// and its naive reference server.
package sign

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// App is a Pusher application: id, key and secret.
type App struct {
	ID, Key, Secret string
}

// Query returns the query string (auth_key, auth_timestamp,
// auth_version, body_md5 for a non-empty body, auth_signature) of a
// Pusher HTTP API request, signed as shared/PROTOCOL.md §A.11 describes.
func Query(app App, method, path string, body []byte, unix int64) string {
	params := map[string]string{
		"auth_key":       app.Key,
		"auth_timestamp": strconv.FormatInt(unix, 10),
		"auth_version":   "1.0",
	}
	if len(body) > 0 {
		sum := md5.Sum(body)
		params["body_md5"] = hex.EncodeToString(sum[:])
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(k + "=" + params[k])
	}
	toSign := strings.ToUpper(method) + "\n" + path + "\n" + sb.String()
	mac := hmac.New(sha256.New, []byte(app.Secret))
	mac.Write([]byte(toSign))
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	q.Set("auth_signature", hex.EncodeToString(mac.Sum(nil)))
	return q.Encode()
}

// Verify checks a signed HTTP API request's query against app
// (used by the naive reference server). It does not check the timestamp
// window.
func Verify(app App, method, path string, q url.Values, body []byte) bool {
	if q.Get("auth_key") != app.Key {
		return false
	}
	if len(body) > 0 {
		sum := md5.Sum(body)
		if q.Get("body_md5") != hex.EncodeToString(sum[:]) {
			return false
		}
	}
	ts, err := strconv.ParseInt(q.Get("auth_timestamp"), 10, 64)
	if err != nil {
		return false
	}
	want, err := url.ParseQuery(Query(app, method, path, body, ts))
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(want.Get("auth_signature")), []byte(q.Get("auth_signature")))
}
