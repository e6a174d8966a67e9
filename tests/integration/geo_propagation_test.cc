// How the GEO commands reach the append-only file (and so replicas), compared with the
// reference redis-server 7.0 writing its own AOF for the same commands: GEOADD is logged as
// the ZADD Redis rewrites it into (the geohash scores as integers, the options as sent), a
// GEOADD that changed nothing is not logged, the storing searches are logged as sent when
// they stored or deleted something, and the read-only ones never are. The dirty counter
// moves as the reference's does, and replaying the log rebuilds the same sorted sets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

// clang-format off
const std::vector<Argv> kSent = {
    {"GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
    {"GEOADD", "g", "nx", "CH", "13.5", "38.2", "Palermo", "14.55", "37.9", "Enna"},
    {"GEOADD", "g", "XX", "13.361389", "38.115556", "Palermo"},
    {"GEOADD", "g", "XX", "ch", "13.361389", "38.115556", "Palermo"},
    {"GEOADD", "g", "14.55", "37.9", "Enna"},
    {"GEOPOS", "g", "Palermo"}, {"GEODIST", "g", "Palermo", "Enna"}, {"GEOHASH", "g", "Enna"},
    {"GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
    {"GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"},
    {"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst2"},
    {"GEORADIUSBYMEMBER", "g", "Enna", "50", "km", "STOREDIST", "dst3"},
    {"GEORADIUS", "g", "15", "37", "1", "m", "STORE", "dst"},
    {"GEOSEARCHSTORE", "absent", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
    {"GEORADIUS_RO", "g", "15", "37", "200", "km"},
    {"GEOADD", "g", "200", "0", "bad"}};
// clang-format on

TEST(GeoPropagationTest, TheLogHoldsWhatRedisLogs) {
  aof::TempDir ember_dir;
  aof::TempDir redis_dir;
  ServerProcess ember = aof::StartAof(ember_dir.path(), {"--appendfsync", "always"});
  ServerProcess redis = ServerProcess::StartReference(
      {"--dir", redis_dir.path(), "--appendonly", "yes", "--appendfsync", "always"});
  {
    RedisClient ember_client(ember.port());
    RedisClient redis_client(redis.port());
    for (const Argv& command : kSent) {
      EXPECT_EQ(ember_client.Command(command), redis_client.Command(command)) << command[0];
    }
  }
  aof::StopServer(ember, aof::StopKind::kSigkill);
  const std::vector<Argv> logged = aof::LoggedInDb0(ember_dir.path());
  EXPECT_EQ(logged, aof::LoggedInDb0(redis_dir.path()));
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged[0],
            (Argv{"ZADD", "g", "3479099956230698", "Palermo", "3479447370796909", "Catania"}));
}

TEST(GeoPropagationTest, TheDirtyCounterMovesAsTheReferences) {
  aof::ExpectDirtyCountsMatchReference(kSent);
}

TEST(GeoPropagationTest, ReplayingTheLogRebuildsTheSameSets) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  std::vector<Reply> before;
  const std::vector<Argv> reads = {{"ZRANGE", "g", "0", "-1", "WITHSCORES"},
                                   {"ZRANGE", "dst2", "0", "-1", "WITHSCORES"},
                                   {"ZRANGE", "dst3", "0", "-1", "WITHSCORES"},
                                   {"EXISTS", "dst"}};
  {
    RedisClient client(server.port());
    for (const Argv& command : kSent) client.Command(command);
    for (const Argv& read : reads) before.push_back(client.Command(read));
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  for (size_t i = 0; i < reads.size(); ++i) EXPECT_EQ(client.Command(reads[i]), before[i]);
}

}  // namespace
}  // namespace ember::test
