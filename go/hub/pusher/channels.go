package pusher

import "strings"

// ChannelKind classifies a channel by its name prefix.
type ChannelKind uint8

// Channel kinds. Cache variants are flagged separately by IsCache.
const (
	KindPublic ChannelKind = iota
	KindPrivate
	KindEncrypted // private-encrypted-*: authorized like private, payloads relayed untouched
	KindPresence
	KindServerToUser // #server-to-user-{id}
)

// Channel name prefixes.
const (
	PrefixPrivate        = "private-"
	PrefixEncrypted      = "private-encrypted-"
	PrefixPresence       = "presence-"
	PrefixCache          = "cache-"
	PrefixPrivateCache   = "private-cache-"
	PrefixEncryptedCache = "private-encrypted-cache-"
	PrefixPresenceCache  = "presence-cache-"
)

// KindOf returns the kind of channel name.
func KindOf(name string) ChannelKind {
	switch {
	case strings.HasPrefix(name, PrefixEncrypted):
		return KindEncrypted
	case strings.HasPrefix(name, PrefixPrivate):
		return KindPrivate
	case strings.HasPrefix(name, PrefixPresence):
		return KindPresence
	case strings.HasPrefix(name, ServerToUserPrefix):
		return KindServerToUser
	}
	return KindPublic
}

// IsCache reports whether name is a cache channel (any of the four cache prefixes).
func IsCache(name string) bool {
	return strings.HasPrefix(name, PrefixCache) || strings.HasPrefix(name, PrefixPrivateCache) ||
		strings.HasPrefix(name, PrefixEncryptedCache) || strings.HasPrefix(name, PrefixPresenceCache)
}

// NeedsAuth reports whether subscribing to a channel of kind k needs a signature.
func (k ChannelKind) NeedsAuth() bool {
	return k == KindPrivate || k == KindEncrypted || k == KindPresence
}

// AllowsClientEvents reports whether client-* events may be sent on kind k.
func (k ChannelKind) AllowsClientEvents() bool {
	return k == KindPrivate || k == KindPresence
}

// ValidChannelName reports whether name is at most maxLen bytes and uses only
// [A-Za-z0-9_\-=@,.;]. A leading '#' is allowed only for #server-to-user-.
func ValidChannelName(name string, maxLen int) bool {
	if name == "" || len(name) > maxLen {
		return false
	}
	s := name
	if strings.HasPrefix(s, ServerToUserPrefix) {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		if !validNameByte(s[i]) {
			return false
		}
	}
	return true
}

// ValidUserID reports whether id is a non-empty user id of at most maxLen
// bytes made of the channel-name character set.
func ValidUserID(id string, maxLen int) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !validNameByte(id[i]) {
			return false
		}
	}
	return true
}

func validNameByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '_', '-', '=', '@', ',', '.', ';':
		return true
	}
	return false
}
