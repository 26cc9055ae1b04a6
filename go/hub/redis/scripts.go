package redis

import goredis "github.com/redis/go-redis/v9"

// The presence scripts run atomically on one app's keys (keys.go). KEYS
// are, in order: sockets, counts, infos, order, seq, chans.

// joinScript records ARGV[1] (socket) as a connection of ARGV[2] (user,
// info ARGV[3]) on channel ARGV[4]. ARGV[5], when above 0, caps the
// distinct users: a new user beyond it is refused. Returns -2 when
// refused, -1 when the socket is already there, 1 on the user's first
// connection, 0 otherwise.
var joinScript = goredis.NewScript(`
local max = tonumber(ARGV[5] or '0')
if max > 0 and redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 and redis.call('HLEN', KEYS[2]) >= max then return -2 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return -1 end
redis.call('HINCRBY', KEYS[6], ARGV[4], 1)
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
  redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[2])
  return 1
end
return 0
`)

// leaveScript removes socket ARGV[1] from channel ARGV[2]. Returns {0}
// for an unknown socket, else {1, last (0|1), user, info}.
var leaveScript = goredis.NewScript(`
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then return {0} end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HINCRBY', KEYS[6], ARGV[2], -1) <= 0 then redis.call('HDEL', KEYS[6], ARGV[2]) end
local info = redis.call('HGET', KEYS[3], user) or ''
if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
  redis.call('HDEL', KEYS[2], user)
  redis.call('HDEL', KEYS[3], user)
  redis.call('ZREM', KEYS[4], user)
  return {1, 1, user, info}
end
return {1, 0, user, info}
`)

// membersScript returns {user1, info1, user2, info2, ...} in join order.
var membersScript = goredis.NewScript(`
local users = redis.call('ZRANGE', KEYS[4], 0, -1)
local out = {}
for i, u in ipairs(users) do
  out[2*i-1] = u
  out[2*i] = redis.call('HGET', KEYS[3], u) or ''
end
return out
`)
