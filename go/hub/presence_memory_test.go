package hub

import (
	"fmt"
	"testing"
)

func TestMemoryPresence(t *testing.T) {
	p := NewMemoryPresence()
	ctx := t.Context()
	join := func(sock, user string) bool {
		first, err := p.Join(ctx, "a", "presence-x", sock, Member{UserID: user, UserInfo: []byte(`"` + sock + `"`)})
		if err != nil {
			t.Fatal(err)
		}
		return first
	}
	if !join("s1", "u1") || !join("s2", "u2") || join("s3", "u1") || join("s1", "u1") {
		t.Fatal("first flags")
	}
	ms, _ := p.Members(ctx, "a", "presence-x")
	if len(ms) != 2 || ms[0].UserID != "u1" || ms[1].UserID != "u2" || string(ms[0].UserInfo) != `"s1"` {
		t.Fatalf("%+v", ms)
	}
	if _, _, ok, _ := p.Leave(ctx, "a", "presence-x", "nope"); ok {
		t.Fatal("unknown socket left")
	}
	if m, last, ok, _ := p.Leave(ctx, "a", "presence-x", "s1"); !ok || last || m.UserID != "u1" {
		t.Fatal("u1 still has s3")
	}
	if _, last, _, _ := p.Leave(ctx, "a", "presence-x", "s3"); !last {
		t.Fatal("u1 last")
	}
	join("s4", "u1") // rejoins after u2: order follows first connection
	ms, _ = p.Members(ctx, "a", "presence-x")
	if ms[0].UserID != "u2" || ms[1].UserID != "u1" {
		t.Fatalf("%+v", ms)
	}
	if on, _ := p.Online(ctx, "a", "presence-x", []string{"u1", "u9", "u2"}); fmt.Sprint(on) != "[u1 u2]" {
		t.Fatal(on)
	}
	p.Leave(ctx, "a", "presence-x", "s2")
	p.Leave(ctx, "a", "presence-x", "s4")
	if len(p.chans) != 0 {
		t.Fatal("empty channel kept")
	}
	if ms, _ := p.Members(ctx, "a", "other"); ms != nil {
		t.Fatal(ms)
	}
	if on, _ := p.Online(ctx, "a", "other", []string{"u1"}); on != nil {
		t.Fatal(on)
	}
}
