package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// jsonDuration decodes "30s" or a number of seconds.
type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		s = string(b)
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = jsonDuration(v)
	return nil
}

// appLimits is pusher.Limits with snake_case JSON names; zero = default.
type appLimits struct {
	MaxChannelNameLength   int          `json:"max_channel_name_length"`
	MaxEventNameLength     int          `json:"max_event_name_length"`
	MaxPayloadBytes        int          `json:"max_payload_bytes"`
	MaxMessageBytes        int          `json:"max_message_bytes"`
	MaxPresenceMembers     int          `json:"max_presence_members"`
	MaxUserInfoBytes       int          `json:"max_user_info_bytes"`
	MaxUserIDLength        int          `json:"max_user_id_length"`
	ClientEventsPerSecond  int          `json:"client_events_per_second"`
	MaxSubscriptions       int          `json:"max_subscriptions"`
	MaxChannelsPerPublish  int          `json:"max_channels_per_publish"`
	MaxBatchEvents         int          `json:"max_batch_events"`
	MaxWatchlist           int          `json:"max_watchlist"`
	CacheTTL               jsonDuration `json:"cache_ttl"`
	SubscriptionCountEvery jsonDuration `json:"subscription_count_every"`
}

func (l appLimits) limits() pusher.Limits {
	return pusher.Limits{
		MaxChannelNameLength: l.MaxChannelNameLength, MaxEventNameLength: l.MaxEventNameLength,
		MaxPayloadBytes: l.MaxPayloadBytes, MaxMessageBytes: l.MaxMessageBytes,
		MaxPresenceMembers: l.MaxPresenceMembers, MaxUserInfoBytes: l.MaxUserInfoBytes,
		MaxUserIDLength: l.MaxUserIDLength, ClientEventsPerSecond: l.ClientEventsPerSecond,
		MaxSubscriptions: l.MaxSubscriptions, MaxChannelsPerPublish: l.MaxChannelsPerPublish,
		MaxBatchEvents: l.MaxBatchEvents, MaxWatchlist: l.MaxWatchlist,
		CacheTTL: time.Duration(l.CacheTTL), SubscriptionCountEvery: time.Duration(l.SubscriptionCountEvery),
	}
}

// appEntry is one element of the -apps file.
type appEntry struct {
	ID                string       `json:"id"`
	Key               string       `json:"key"`
	Secret            string       `json:"secret"`
	Disabled          bool         `json:"disabled"`
	ClientEvents      *bool        `json:"client_events"`
	SubscriptionCount bool         `json:"subscription_count"`
	ActivityTimeout   jsonDuration `json:"activity_timeout"`
	WebhookSecret     string       `json:"webhook_secret"`
	Limits            appLimits    `json:"limits"`
}

// appSpec is an app plus its webhook secret.
type appSpec struct {
	app           *hub.App
	webhookSecret string
}

// loadApps reads the -apps file; unknown fields are errors.
func loadApps(path string) ([]appSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: -apps: %w", errUsage, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var entries []appEntry
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("%w: -apps %s: %w", errUsage, path, err)
	}
	specs := make([]appSpec, 0, len(entries))
	for i, e := range entries {
		if e.ID == "" || e.Secret == "" {
			return nil, fmt.Errorf("%w: -apps %s: app #%d needs an id and a secret", errUsage, path, i)
		}
		app := &hub.App{
			ID: e.ID, Key: e.Key, Secret: e.Secret, Disabled: e.Disabled,
			ClientEvents: e.ClientEvents == nil || *e.ClientEvents, SubscriptionCount: e.SubscriptionCount,
			ActivityTimeout: time.Duration(e.ActivityTimeout), Limits: e.Limits.limits(),
		}
		specs = append(specs, appSpec{app: app, webhookSecret: e.WebhookSecret})
	}
	return specs, nil
}

// buildApps returns the flag app (if any) followed by the file's apps.
func buildApps(c config) ([]appSpec, error) {
	var specs []appSpec
	if c.appID != "" {
		specs = append(specs, appSpec{app: &hub.App{
			ID: c.appID, Key: c.appKey, Secret: c.appSecret, ClientEvents: c.clientEvents,
			SubscriptionCount: c.subscriptionCount, ActivityTimeout: c.activityTimeout,
		}})
	}
	if c.appsFile != "" {
		more, err := loadApps(c.appsFile)
		if err != nil {
			return nil, err
		}
		specs = append(specs, more...)
	}
	for i := range specs {
		if specs[i].webhookSecret == "" {
			specs[i].webhookSecret = c.webhookSecret
		}
		if specs[i].webhookSecret == "" {
			specs[i].webhookSecret = specs[i].app.Secret
		}
	}
	return specs, nil
}
