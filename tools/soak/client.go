package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// wsClient is one Pusher client connection (gobwas/ws, client side).
type wsClient struct {
	nc       net.Conn
	rd       *bufio.Reader // holds bytes the server sent along with the handshake
	socketID string
}

// envelope is a server message; data stays raw (a JSON string or object).
type envelope struct {
	Event   string          `json:"event"`
	Channel string          `json:"channel"`
	Data    json.RawMessage `json:"data"`
}

// dial connects to the app and waits for connection_established.
func dial(ctx context.Context, addr string) (*wsClient, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	nc, br, _, err := ws.Dial(ctx, "ws://"+addr+"/app/"+appKey+"?protocol=7&client=soak&version=1")
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	if br == nil {
		br = bufio.NewReaderSize(nc, 4096)
	}
	c := &wsClient{nc: nc, rd: br}
	env, err := c.read(20 * time.Second)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	var data string
	var est struct {
		SocketID string `json:"socket_id"`
	}
	if env.Event != "pusher:connection_established" || json.Unmarshal(env.Data, &data) != nil || json.Unmarshal([]byte(data), &est) != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("unexpected first message %q", env.Event)
	}
	c.socketID = est.SocketID
	return c, nil
}

// read returns the next server text message within d.
func (c *wsClient) read(d time.Duration) (envelope, error) {
	var env envelope
	_ = c.nc.SetReadDeadline(time.Now().Add(d))
	for {
		b, op, err := wsutil.ReadServerData(struct {
			io.Reader
			io.Writer
		}{c.rd, c.nc})
		if err != nil {
			return env, err
		}
		if op != ws.OpText {
			continue
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return env, fmt.Errorf("bad server message %q: %w", b, err)
		}
		return env, nil
	}
}

// send writes v as one JSON text frame.
func (c *wsClient) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return wsutil.WriteClientText(c.nc, b)
}

// subscribe subscribes to channel, signing private and presence channels,
// and waits for subscription_succeeded (other messages are skipped).
func (c *wsClient) subscribe(channel, userID string) error {
	data := map[string]string{"channel": channel}
	switch {
	case len(channel) > 9 && channel[:9] == "presence-":
		cd := fmt.Sprintf(`{"user_id":%q,"user_info":{"name":"soak"}}`, userID)
		data["channel_data"] = cd
		data["auth"] = appKey + ":" + hmacHex(c.socketID+":"+channel+":"+cd)
	case len(channel) > 8 && channel[:8] == "private-":
		data["auth"] = appKey + ":" + hmacHex(c.socketID+":"+channel)
	}
	if err := c.send(map[string]any{"event": "pusher:subscribe", "data": data}); err != nil {
		return err
	}
	for {
		env, err := c.read(20 * time.Second)
		if err != nil {
			return fmt.Errorf("subscribe %s: %w", channel, err)
		}
		switch env.Event {
		case "pusher_internal:subscription_succeeded":
			if env.Channel == channel {
				return nil
			}
		case "pusher:error":
			return fmt.Errorf("subscribe %s: %s", channel, env.Data)
		}
	}
}

// unsubscribe leaves channel (no answer is expected).
func (c *wsClient) unsubscribe(channel string) error {
	return c.send(map[string]any{"event": "pusher:unsubscribe", "data": map[string]string{"channel": channel}})
}

// sendClose writes a normal-closure close frame; the server answers with its
// own and ends the connection, which ends any reader of c.
func (c *wsClient) sendClose() {
	_ = c.nc.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_ = ws.WriteFrame(c.nc, ws.MaskFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, ""))))
}

// close ends the connection: politely (close frame, then wait briefly for
// the server's) or abruptly (TCP close only).
func (c *wsClient) close(polite bool) {
	if polite {
		c.sendClose()
		_ = c.nc.SetReadDeadline(time.Now().Add(2 * time.Second))
		for {
			if _, err := c.read(2 * time.Second); err != nil {
				break
			}
		}
	}
	_ = c.nc.Close()
}
