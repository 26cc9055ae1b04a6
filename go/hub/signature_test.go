package hub

import "testing"

// PROTOCOL.md §A.6 vectors (key 278d425bdf160c739803, secret
// 7ad3773142a6692b25b8, socket 1234.1234).
func TestSignatureVectors(t *testing.T) {
	cases := []struct{ name, msg, want string }{
		{"private", ChannelAuthString("1234.1234", "private-foobar", ""),
			"58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"},
		{"presence", ChannelAuthString("1234.1234", "presence-foobar", `{"user_id":10,"user_info":{"name":"Mr. Channels"}}`),
			"31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80"},
		{"presence doc hash", ChannelAuthString("1234.1234", "presence-foobar", `{"user_id":10,"user_info":{"name":"Mr. Pusher"}}`),
			"afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c"},
		{"user", UserAuthString("1234.1234", `{"id":"12345"}`),
			"4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba"},
	}
	for _, tc := range cases {
		if got := Sign(testSecret, tc.msg); got != tc.want {
			t.Errorf("%s: got %s want %s", tc.name, got, tc.want)
		}
	}
}

func TestVerifyAuth(t *testing.T) {
	app := &App{Key: testKey, Secret: testSecret}
	msg := ChannelAuthString("1234.1234", "private-foobar", "")
	good := testKey + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"
	cases := []struct {
		auth string
		ok   bool
	}{
		{good, true},
		{"", false},
		{"58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", false},
		{"otherkey:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", false},
		{testKey + ":58DF8B0C36D6982B82C3ECF6B4662E34FE8C25BBA48F5369F135BF843651C3A4", false},
		{testKey + ":", false},
		{good + "00", false},
	}
	for _, tc := range cases {
		if got := verifyAuth(app, tc.auth, msg); got != tc.ok {
			t.Errorf("verifyAuth(%q) = %v", tc.auth, got)
		}
	}
}
