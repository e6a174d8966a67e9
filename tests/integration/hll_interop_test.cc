// HyperLogLogs moved between Ember and the reference redis-server 7.0, both ways: built on
// one server (sparse at 10 and 1000 elements, dense at 2000 and 100000), copied to the
// other with GET/SET and with DUMP/RESTORE, they must be the same bytes and count the same.
// Adding more elements to both copies, and merging them, must keep the bytes equal: the
// sparse edits are Redis's own, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/server_pair.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

// PFADD of "<prefix><first>".."<prefix><last - 1>" in pipelined batches of 1000.
void AddRange(RedisClient& client, const std::string& key, const std::string& prefix, int first,
              int last) {
  int sent = 0;
  for (int start = first; start < last; start += 1000) {
    Argv argv = {"PFADD", key};
    for (int i = start; i < std::min(last, start + 1000); ++i) {
      argv.push_back(prefix + std::to_string(i));
    }
    client.Append(argv);
    ++sent;
  }
  for (int i = 0; i < sent; ++i) ASSERT_EQ(client.ReadReply().type, Reply::Type::kInteger);
}

class HllInteropTest : public ServerPairFixture<::testing::TestWithParam<int>> {
 protected:
  // Copies `key` from `from` to `to` with GET and SET.
  static void CopyBySet(RedisClient& from, RedisClient& to, const std::string& key) {
    const Reply bytes = from.Command({"GET", key});
    ASSERT_EQ(bytes.type, Reply::Type::kString);
    ASSERT_EQ(to.Command({"SET", key, bytes.str}), Status("OK"));
  }

  // Copies `key` from `from` to `to` with DUMP and RESTORE.
  static void CopyByDump(RedisClient& from, RedisClient& to, const std::string& key) {
    const Reply payload = from.Command({"DUMP", key});
    ASSERT_EQ(payload.type, Reply::Type::kString);
    ASSERT_EQ(to.Command({"RESTORE", key, "0", payload.str, "REPLACE"}), Status("OK"));
  }

  enum class Move { kGetSet, kDumpRestore };

  // Builds "h" from GetParam() elements on `from` (its count cached, as a client would leave
  // it), moves it to `to`, and compares the two.
  void BuildAndMove(RedisClient& from, RedisClient& to, Move move) {
    AddRange(from, "h", "e", 0, GetParam());
    ASSERT_EQ(from.Command({"PFCOUNT", "h"}).type, Reply::Type::kInteger);
    if (move == Move::kGetSet) {
      CopyBySet(from, to, "h");
    } else {
      CopyByDump(from, to, "h");
    }
    ExpectSameHll("h");
  }

  // The same HLL on both sides now: equal bytes, equal counts (cached or not), and equal
  // bytes again after more elements and a merge on both.
  void ExpectSameHll(const std::string& key) {
    const Reply bytes = Both({"GET", key});
    ASSERT_EQ(bytes.type, Reply::Type::kString);
    ASSERT_EQ(bytes.str.substr(0, 4), "HYLL");
    const Reply count = Both({"PFCOUNT", key});
    EXPECT_EQ(count.type, Reply::Type::kInteger);
    Both({"GET", key});
    AddRange(ember(), key, "more", 0, 50);
    AddRange(redis(), key, "more", 0, 50);
    Both({"GET", key});
    Both({"PFCOUNT", key});
    Both({"PFMERGE", key + ":merged", key});
    Both({"GET", key + ":merged"});
    Both({"PFCOUNT", key, key + ":merged", "missing"});
  }
};

TEST_P(HllInteropTest, RedisHllsCopiedBySetCountTheSameInEmber) {
  BuildAndMove(redis(), ember(), Move::kGetSet);
}

TEST_P(HllInteropTest, EmberHllsCopiedBySetCountTheSameInRedis) {
  BuildAndMove(ember(), redis(), Move::kGetSet);
}

TEST_P(HllInteropTest, RedisHllsRestoredInEmberCountTheSame) {
  BuildAndMove(redis(), ember(), Move::kDumpRestore);
}

TEST_P(HllInteropTest, EmberHllsRestoredInRedisCountTheSame) {
  BuildAndMove(ember(), redis(), Move::kDumpRestore);
}

TEST_P(HllInteropTest, BuiltOnBothSidesTheBytesAreEqual) {
  AddRange(ember(), "h", "e", 0, GetParam());
  AddRange(redis(), "h", "e", 0, GetParam());
  Both({"PFDEBUG", "ENCODING", "h"});
  Both({"STRLEN", "h"});
  Both({"DUMP", "h"});
  ExpectSameHll("h");
}

INSTANTIATE_TEST_SUITE_P(Sizes, HllInteropTest, ::testing::Values(10, 1000, 2000, 100000),
                         [](const ::testing::TestParamInfo<int>& size) {
                           return "Elements" + std::to_string(size.param);
                         });

}  // namespace
}  // namespace ember::test
