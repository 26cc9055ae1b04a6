package phpext

import (
	"reflect"
	"testing"
)

func TestPublishStatuses(t *testing.T) {
	r := &recorder{status: 9}
	defer Register("app-pub", r)()
	cases := []struct {
		name                      string
		app, channel, event, data string
		want                      int
	}{
		{"unknown app", "nope", "c", "e", `{}`, StatusHubMissing},
		{"invalid json", "app-pub", "c", "e", `{"a":`, StatusInvalidPayloadJSON},
		{"empty data is not json", "app-pub", "c", "e", ``, StatusInvalidPayloadJSON},
		{"invalid utf-8 inside a string", "app-pub", "c", "e", "\"\xff\xfe\"", StatusInvalidPayloadJSON},
		{"publisher status passes through", "app-pub", "c", "e", `{"a":1}`, 9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Publish(tc.app, tc.channel, tc.event, tc.data, ""); got != tc.want {
				t.Fatalf("Publish = %d, want %d", got, tc.want)
			}
		})
	}
	last := r.calls[len(r.calls)-1]
	if !reflect.DeepEqual(last.channels, []string{"c"}) || last.event != "e" || last.data != `{"a":1}` {
		t.Fatalf("publisher got %+v", last)
	}
}

func TestBroadcastMultiStatuses(t *testing.T) {
	r := &recorder{}
	defer Register("app-multi", r)()
	cases := []struct {
		name, channels, data string
		want                 int
	}{
		{"not json", `[`, `{}`, StatusInvalidMultiJSON},
		{"not an array", `{"a":1}`, `{}`, StatusInvalidMultiJSON},
		{"array of numbers", `[1,2]`, `{}`, StatusInvalidMultiJSON},
		{"null", `null`, `{}`, StatusInvalidMultiJSON},
		{"bad payload", `["a"]`, `nope`, StatusInvalidPayloadJSON},
		{"ok", `["a","b"]`, `{"x":true}`, StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := BroadcastMulti("app-multi", tc.channels, "ev", tc.data, "1.2"); got != tc.want {
				t.Fatalf("BroadcastMulti = %d, want %d", got, tc.want)
			}
		})
	}
	last := r.calls[len(r.calls)-1]
	if !reflect.DeepEqual(last.channels, []string{"a", "b"}) || last.except != "1.2" {
		t.Fatalf("publisher got %+v", last)
	}
	if got := BroadcastMulti("missing", `["a"]`, "e", `{}`, ""); got != StatusHubMissing {
		t.Fatalf("unknown app = %d", got)
	}
}

func BenchmarkPublish(b *testing.B) {
	defer Register("app-bench", &nopPublisher{})()
	data := `{"message":"hello world","n":42}`
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Publish("app-bench", "chat", "message", data, "")
	}
}

type nopPublisher struct{}

func (nopPublisher) Publish([]string, string, string, string) int { return 0 }
