package pusher

import (
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	cases := map[string]ChannelKind{
		"news": KindPublic, "cache-news": KindPublic, "private-x": KindPrivate, "private-cache-x": KindPrivate,
		"private-encrypted-x": KindEncrypted, "private-encrypted-cache-x": KindEncrypted,
		"presence-x": KindPresence, "presence-cache-x": KindPresence, "#server-to-user-1": KindServerToUser,
		"privatex": KindPublic, "presencex": KindPublic,
	}
	for name, want := range cases {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestIsCacheAndAuth(t *testing.T) {
	for _, n := range []string{"cache-a", "private-cache-a", "private-encrypted-cache-a", "presence-cache-a"} {
		if !IsCache(n) {
			t.Errorf("IsCache(%q) = false", n)
		}
	}
	for _, n := range []string{"a", "private-a", "cachex", "presence-a"} {
		if IsCache(n) {
			t.Errorf("IsCache(%q) = true", n)
		}
	}
	if KindPublic.NeedsAuth() || KindServerToUser.NeedsAuth() || !KindEncrypted.NeedsAuth() || !KindPresence.NeedsAuth() {
		t.Error("NeedsAuth")
	}
	if !KindPrivate.AllowsClientEvents() || !KindPresence.AllowsClientEvents() || KindEncrypted.AllowsClientEvents() || KindPublic.AllowsClientEvents() {
		t.Error("AllowsClientEvents")
	}
}

func TestValidNames(t *testing.T) {
	cases := []struct {
		name string
		max  int
		ok   bool
	}{
		{"a", 1, true}, {"ab", 1, false}, {"", 10, false}, {"A-Z_a=z@0,9.;", 20, true},
		{"a b", 10, false}, {"a:b", 10, false}, {"#x", 10, false}, {"#server-to-user-1", 20, true},
		{"é", 10, false}, {strings.Repeat("a", 200), 200, true},
	}
	for _, tc := range cases {
		if got := ValidChannelName(tc.name, tc.max); got != tc.ok {
			t.Errorf("ValidChannelName(%q,%d) = %v", tc.name, tc.max, got)
		}
	}
	if !ValidUserID("u-1@x.y", 10) || ValidUserID("", 10) || ValidUserID("abc", 2) || ValidUserID("#1", 10) || ValidUserID("a b", 10) {
		t.Error("ValidUserID")
	}
}

func TestLimitsWithDefaults(t *testing.T) {
	if got := (Limits{}).WithDefaults(); got != DefaultLimits {
		t.Fatalf("zero limits: %+v", got)
	}
	l := Limits{MaxPayloadBytes: 5, MaxPresenceMembers: -1}.WithDefaults()
	if l.MaxPayloadBytes != 5 || l.MaxPresenceMembers != DefaultLimits.MaxPresenceMembers {
		t.Fatalf("%+v", l)
	}
}

func TestErrors(t *testing.T) {
	e := NewError(CodeClientEventRejected, "m")
	if e.Close || e.Error() != "m" {
		t.Fatal(e)
	}
	if c := NewCloseError(CodeUnauthorized, "x"); !c.Close || c.Code != 4009 {
		t.Fatal(c)
	}
}
