#include "server/net/key_prefetcher.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace/keyspace.h"

namespace ember::server {
namespace {

std::string Get(const std::string& key) {
  return "*2\r\n$3\r\nGET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n";
}

class KeyPrefetcherTest : public ::testing::Test {
 protected:
  KeyPrefetcherTest() {
    for (int i = 0; i < 100; ++i) keyspace_.db(0).AddString("k" + std::to_string(i), "v");
  }
  // Runs BeforeCommand as a session does for the first command of a batch, `rest` after it.
  size_t ScanFrom(const std::string& rest, const protocol::ParserLimits& limits = {}) {
    prefetcher_.Clear();
    prefetcher_.BeforeCommand(Args("GET", "k0"), rest, keyspace_.db(0), limits);
    return prefetcher_.scanned();
  }
  static std::vector<std::string_view> Args(std::string_view name, std::string_view key) {
    return {name, key};
  }
  storage::Keyspace keyspace_;
  KeyPrefetcher prefetcher_;
};

TEST_F(KeyPrefetcherTest, ScansCompleteCommandsAndStopsAtAPartialOne) {
  const std::string rest = Get("k1") + "*1\r\n$4\r\nPING\r\n" + Get("k2") + "*2\r\n$3\r\nGET";
  EXPECT_EQ(ScanFrom(rest), 4u);  // the command about to run, GET, PING, GET
}

TEST_F(KeyPrefetcherTest, StopsAtMalformedInputAndBoundsTheLookAhead) {
  EXPECT_EQ(ScanFrom(Get("k1") + "*x\r\n" + Get("k2")), 2u);

  std::string many;
  for (int i = 0; i < 100; ++i) many += Get("k" + std::to_string(i));
  EXPECT_EQ(ScanFrom(many), KeyPrefetcher::kMaxAhead);
}

TEST_F(KeyPrefetcherTest, LookAheadKeepsTheConnectionsLimits) {
  std::string wide = "*11\r\n";
  for (int i = 0; i < 11; ++i) wide += "$1\r\nx\r\n";
  protocol::ParserLimits unauthenticated;
  unauthenticated.unauthenticated = true;
  EXPECT_EQ(ScanFrom(Get("k1") + wide + Get("k2"), unauthenticated), 2u);
  EXPECT_EQ(ScanFrom(Get("k1") + wide + Get("k2")), 4u);
}

TEST_F(KeyPrefetcherTest, ScansOncePerBatchAndNeverForALoneCommand) {
  prefetcher_.BeforeCommand(Args("GET", "k0"), "", keyspace_.db(0), {});
  EXPECT_EQ(prefetcher_.scanned(), 0u);  // nothing buffered after it: no pipelining

  const std::string batch = Get("k1") + Get("k2");
  EXPECT_EQ(ScanFrom(batch), 3u);
  // The commands it covered run without a new scan, even with bytes after them...
  prefetcher_.BeforeCommand(Args("GET", "k1"), Get("k2") + Get("k3"), keyspace_.db(0), {});
  prefetcher_.BeforeCommand(Args("GET", "k2"), Get("k3"), keyspace_.db(0), {});
  EXPECT_EQ(prefetcher_.scanned(), 3u);
  // ...and the first one after them starts the next scan.
  prefetcher_.BeforeCommand(Args("GET", "k3"), Get("k4"), keyspace_.db(0), {});
  EXPECT_EQ(prefetcher_.scanned(), 2u);
}

// Scripts name their keys after numkeys (bounded per command); a count that is no number
// hints nothing; other commands hint their first argument.
TEST_F(KeyPrefetcherTest, ScriptsHintTheKeysAfterNumkeys) {
  auto command = [](std::vector<std::string> argv) {
    std::string out = "*" + std::to_string(argv.size()) + "\r\n";
    for (const std::string& arg : argv)
      out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    return out;
  };
  const std::string rest =
      command({"EVALSHA", "abc", "2", "k1", "k2", "arg"}) + command({"fcall_ro", "f", "1", "k3"}) +
      command({"EVAL", "return 1", "0", "notakey"}) + command({"EVAL", "s", "x", "k4"}) +
      command({"evalsha", "abc", "100", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}) +
      command({"PING"}) + Get("k5");
  EXPECT_EQ(ScanFrom(rest), 8u);
  // k0, k1 and k2, k3, none, none, 8 of the 10, k5.
  EXPECT_EQ(prefetcher_.keys_hinted(), 1u + 2u + 1u + KeyPrefetcher::kMaxScriptKeys + 1u);
}

TEST_F(KeyPrefetcherTest, ClearForgetsTheBatchAndHintsChangeNothing) {
  std::string rest;
  for (int i = 0; i < 40; ++i) rest += Get(i % 2 == 0 ? "missing" : "k" + std::to_string(i));
  EXPECT_EQ(ScanFrom(rest), KeyPrefetcher::kMaxAhead);
  prefetcher_.Clear();
  EXPECT_EQ(prefetcher_.scanned(), 0u);
  EXPECT_EQ(keyspace_.db(0).size(), 100u);
  EXPECT_NE(keyspace_.db(0).FindStored("k1"), nullptr);
  EXPECT_EQ(keyspace_.db(0).FindStored("missing"), nullptr);
}

TEST_F(KeyPrefetcherTest, HintsFollowChainsAndBothArraysWhileRehashing) {
  storage::Database& db = keyspace_.db(0);
  // Growing past the bucket count starts an incremental rehash; hints then look in both
  // arrays and along chains, and must neither move nor lose anything.
  for (int i = 100; i < 5000; ++i) {
    db.AddString("k" + std::to_string(i), "v");
    const uint64_t hash = storage::Database::KeyHash("k" + std::to_string(i / 2));
    db.PrefetchBucket(hash);
    db.PrefetchEntry(hash);
    db.PrefetchNextEntry(hash);
  }
  EXPECT_EQ(db.size(), 5000u);
  for (int i = 0; i < 5000; i += 499) EXPECT_NE(db.FindStored("k" + std::to_string(i)), nullptr);
}

}  // namespace
}  // namespace ember::server
