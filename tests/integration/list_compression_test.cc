// list-compress-depth in the server: a list created while it is set keeps its interior nodes
// compressed (used_memory and MEMORY USAGE show the saving), answers every read as the same
// list uncompressed, and travels through DUMP / RESTORE unchanged; lists created before a
// CONFIG SET keep their depth, as in Redis.
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ListCompressionTest = ServerTest;

void Fill(RedisClient& client, const std::string& key, int elements) {
  for (int start = 0; start < elements; start += 500) {
    std::vector<std::string> args = {"RPUSH", key};
    for (int i = start; i < start + 500 && i < elements; ++i) {
      args.push_back("job:" + std::to_string(i % 50) + ":queued-for-processing");
    }
    ASSERT_EQ(client.Command(args).type, Reply::Type::kInteger);
  }
}

long long MemoryUsage(RedisClient& client, const std::string& key) {
  const Reply r = client.Command({"MEMORY", "USAGE", key});
  EXPECT_EQ(r.type, Reply::Type::kInteger) << r.ToString();
  return r.integer;
}

TEST_F(ListCompressionTest, InteriorNodesCompressAndReadsAreUnchanged) {
  Fill(client(), "plain", 20000);
  ASSERT_EQ(Run({"CONFIG", "SET", "list-compress-depth", "1"}), Status("OK"));
  Fill(client(), "packed", 20000);
  Fill(client(), "plain", 100);  // created before the change: stays uncompressed
  Fill(client(), "packed", 100);
  ASSERT_EQ(Run({"CONFIG", "SET", "list-compress-depth", "0"}), Status("OK"));

  const long long plain = MemoryUsage(client(), "plain");
  const long long packed = MemoryUsage(client(), "packed");
  EXPECT_LT(packed * 3, plain) << "compressed " << packed << " bytes, raw " << plain;

  EXPECT_EQ(Run({"LRANGE", "packed", "0", "-1"}), Run({"LRANGE", "plain", "0", "-1"}));
  for (const char* index : {"0", "1", "777", "10000", "-1", "-15000"}) {
    EXPECT_EQ(Run({"LINDEX", "packed", index}), Run({"LINDEX", "plain", index})) << index;
  }
  for (const char* key : {"plain", "packed"}) {
    ASSERT_EQ(Run({"LSET", key, "12345", "edited"}), Status("OK"));
    ASSERT_EQ(Run({"LINSERT", key, "BEFORE", "edited", "before-edit"}), Int(20101));
    ASSERT_EQ(Run({"LREM", key, "100", "job:7:queued-for-processing"}), Int(100));
  }
  EXPECT_EQ(Run({"LRANGE", "packed", "12000", "12500"}),
            Run({"LRANGE", "plain", "12000", "12500"}));
  EXPECT_EQ(Run({"LPOS", "packed", "edited"}), Run({"LPOS", "plain", "edited"}));

  // A DUMP payload is the same listpacks either way; RESTORE takes the current depth (0).
  const Reply dump = Run({"DUMP", "packed"});
  ASSERT_EQ(dump.type, Reply::Type::kString);
  EXPECT_EQ(dump, Run({"DUMP", "plain"}));
  ASSERT_EQ(Run({"RESTORE", "copy", "0", dump.str}), Status("OK"));
  EXPECT_EQ(Run({"LRANGE", "copy", "0", "-1"}), Run({"LRANGE", "plain", "0", "-1"}));
  EXPECT_GT(MemoryUsage(client(), "copy"), packed * 2);
}

}  // namespace
}  // namespace ember::test
