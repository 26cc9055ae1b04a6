package sign

import (
	"net/url"
	"testing"
)

// The vector of shared/PROTOCOL.md §A.11 (Pusher's HTTP API docs).
func TestQueryMatchesPusherVector(t *testing.T) {
	app := App{ID: "3", Key: "278d425bdf160c739803", Secret: "7ad3773142a6692b25b8"}
	body := []byte(`{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}`)
	q, err := url.ParseQuery(Query(app, "POST", "/apps/3/events", body, 1353088179))
	if err != nil {
		t.Fatal(err)
	}
	if q.Get("body_md5") != "ec365a775a4cd0599faeb73354201b6f" {
		t.Fatalf("body_md5 %s", q.Get("body_md5"))
	}
	if q.Get("auth_signature") != "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c" {
		t.Fatalf("signature %s", q.Get("auth_signature"))
	}
	if !Verify(app, "POST", "/apps/3/events", q, body) {
		t.Fatal("Verify refuses its own signature")
	}
	if Verify(app, "POST", "/apps/3/events", q, append(body, ' ')) {
		t.Fatal("Verify accepts a changed body")
	}
	other := app
	other.Secret = "x"
	if Verify(other, "POST", "/apps/3/events", q, body) {
		t.Fatal("Verify accepts another secret")
	}
}
