package redis

import goredis "github.com/redis/go-redis/v9"

type zrange = goredis.ZRangeBy

func redisZ(score float64, member string) goredis.Z {
	return goredis.Z{Score: score, Member: member}
}
