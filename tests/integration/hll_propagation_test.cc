// How the HyperLogLog commands reach the append-only file (and so replicas), as in Redis:
// PFADD when a register moved or the key was created; PFMERGE always; PFCOUNT of one key
// when it rewrote the stale cardinality cached in the string (so replicas keep the same
// bytes); PFDEBUG GETREG and TODENSE when they turned a sparse string dense. Replaying the
// log rebuilds the same bytes, and the dirty counter moves as the reference's does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

// A sparse HLL whose runs cover only 100 registers: PFADD k6674 (register 16383) fails.
const std::string kCorrupt = std::string("HYLL\x01", 5) + std::string(10, '\0') + "\x80\x40\x63";

// clang-format off
const std::vector<Argv> kSent = {
    {"PFADD", "h", "a", "b"}, {"PFADD", "h", "a"}, {"PFADD", "h"},
    {"PFCOUNT", "h"}, {"PFCOUNT", "h"}, {"PFCOUNT", "h", "missing"}, {"PFCOUNT", "missing"},
    {"PFMERGE", "m", "h"}, {"PFMERGE", "m"},
    {"PFDEBUG", "ENCODING", "m"}, {"PFDEBUG", "TODENSE", "m"}, {"PFDEBUG", "TODENSE", "m"},
    {"PFDEBUG", "DECODE", "h"}, {"PFDEBUG", "GETREG", "h"}, {"PFDEBUG", "GETREG", "h"},
    {"SET", "bad", kCorrupt}, {"PFADD", "bad", "k6674"}, {"PFCOUNT", "bad"},
    {"PFADD", "e"}, {"PFCOUNT", "e"}};
// clang-format on

TEST(HllPropagationTest, ChangesAreLoggedAsRedisPropagatesThem) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  for (const Argv& command : kSent) client.Command(command);
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"PFADD", "h", "a", "b"}, {"PFCOUNT", "h"}, {"PFMERGE", "m", "h"}, {"PFMERGE", "m"},
      {"PFDEBUG", "TODENSE", "m"}, {"PFDEBUG", "GETREG", "h"}, {"SET", "bad", kCorrupt},
      {"PFADD", "e"}, {"PFCOUNT", "e"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

TEST(HllPropagationTest, ReplayingTheLogRebuildsTheSameBytes) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  std::vector<Reply> before;
  {
    RedisClient client(server.port());
    for (const Argv& command : kSent) client.Command(command);
    aof::Must(client, {"PFADD", "x", "1", "2", "3", "4", "5"});
    for (const char* key : {"h", "m", "e", "x"}) before.push_back(client.Command({"GET", key}));
  }
  aof::StopServer(server, aof::StopKind::kSigkill);

  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  std::vector<Reply> after;
  for (const char* key : {"h", "m", "e", "x"}) after.push_back(client.Command({"GET", key}));
  EXPECT_EQ(after, before);
}

TEST(HllPropagationTest, TheDirtyCounterMovesAsTheReferences) {
  aof::ExpectDirtyCountsMatchReference(kSent);
}

}  // namespace
}  // namespace ember::test
