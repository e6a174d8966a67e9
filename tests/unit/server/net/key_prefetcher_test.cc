#include "server/net/key_prefetcher.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace/keyspace.h"

namespace ember::server {
namespace {

// How many commands a Start() scanned: the Next() calls until it is exhausted.
size_t ScannedAhead(KeyPrefetcher& prefetcher, const storage::Database& db) {
  size_t calls = 0;
  while (!prefetcher.exhausted() && calls < 1000) {
    prefetcher.Next(db);
    ++calls;
  }
  return calls;
}

std::string Get(const std::string& key) {
  return "*2\r\n$3\r\nGET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n";
}

class KeyPrefetcherTest : public ::testing::Test {
 protected:
  KeyPrefetcherTest() {
    for (int i = 0; i < 100; ++i) keyspace_.db(0).AddString("k" + std::to_string(i), "v");
  }
  storage::Keyspace keyspace_;
  KeyPrefetcher prefetcher_;
};

TEST_F(KeyPrefetcherTest, ScansCompleteCommandsAndStopsAtAPartialOne) {
  const std::string rest = Get("k1") + "*1\r\n$4\r\nPING\r\n" + Get("k2") + "*2\r\n$3\r\nGET";
  prefetcher_.Start(rest, keyspace_.db(0), {});
  EXPECT_FALSE(prefetcher_.exhausted());
  EXPECT_EQ(ScannedAhead(prefetcher_, keyspace_.db(0)), 3u);
}

TEST_F(KeyPrefetcherTest, StopsAtMalformedInputAndBoundsTheLookAhead) {
  prefetcher_.Start(Get("k1") + "*x\r\n" + Get("k2"), keyspace_.db(0), {});
  EXPECT_EQ(ScannedAhead(prefetcher_, keyspace_.db(0)), 1u);

  std::string many;
  for (int i = 0; i < 100; ++i) many += Get("k" + std::to_string(i));
  prefetcher_.Start(many, keyspace_.db(0), {});
  EXPECT_EQ(ScannedAhead(prefetcher_, keyspace_.db(0)), KeyPrefetcher::kMaxAhead);
}

TEST_F(KeyPrefetcherTest, LookAheadKeepsTheConnectionsLimits) {
  std::string wide = "*11\r\n";
  for (int i = 0; i < 11; ++i) wide += "$1\r\nx\r\n";
  protocol::ParserLimits unauthenticated;
  unauthenticated.unauthenticated = true;
  prefetcher_.Start(Get("k1") + wide + Get("k2"), keyspace_.db(0), unauthenticated);
  EXPECT_EQ(ScannedAhead(prefetcher_, keyspace_.db(0)), 1u);
  prefetcher_.Start(Get("k1") + wide + Get("k2"), keyspace_.db(0), {});
  EXPECT_EQ(ScannedAhead(prefetcher_, keyspace_.db(0)), 3u);
}

TEST_F(KeyPrefetcherTest, ClearForgetsTheBatchAndHintsChangeNothing) {
  prefetcher_.Start(Get("k1") + Get("missing"), keyspace_.db(0), {});
  prefetcher_.Clear();
  EXPECT_TRUE(prefetcher_.exhausted());
  EXPECT_EQ(keyspace_.db(0).size(), 100u);
  EXPECT_NE(keyspace_.db(0).FindStored("k1"), nullptr);
  EXPECT_EQ(keyspace_.db(0).FindStored("missing"), nullptr);
}

}  // namespace
}  // namespace ember::server
