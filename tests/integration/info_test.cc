// INFO: a bulk string of "field:value" lines under "# Section" headers, with the sections
// server, clients, memory, stats and keyspace.
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using InfoTest = ServerTest;

std::string Info(RedisClient& client, const std::string& section = "") {
  Reply r = section.empty() ? client.Command({"INFO"}) : client.Command({"INFO", section});
  EXPECT_EQ(r.type, Reply::Type::kString) << r.ToString();
  return r.str;
}

long long InfoNumber(const std::string& info, const std::string& field) {
  const std::string value = InfoField(info, field);
  EXPECT_FALSE(value.empty()) << "INFO has no " << field << ":\n" << info;
  return value.empty() ? -1 : std::stoll(value);
}

TEST_F(InfoTest, DefaultInfoHasAllSectionsAsFieldValueLines) {
  const std::string info = Info(client());
  for (const char* header :
       {"# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Stats\r\n", "# Keyspace\r\n"}) {
    EXPECT_NE(info.find(header), std::string::npos) << header << " missing in\n" << info;
  }
  size_t pos = 0;
  while (pos < info.size()) {
    size_t end = info.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos) << "last line is not CRLF-terminated";
    const std::string line = info.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty() || line[0] == '#') continue;
    EXPECT_NE(line.find(':'), std::string::npos) << "not a field:value line: " << line;
  }
}

TEST_F(InfoTest, SectionArgumentSelectsOneSection) {
  const std::string server = Info(client(), "server");
  EXPECT_EQ(server.rfind("# Server\r\n", 0), 0u) << server;
  EXPECT_EQ(server.find("# Keyspace"), std::string::npos) << server;
  const std::string keyspace = Info(client(), "KEYSPACE");
  EXPECT_EQ(keyspace.rfind("# Keyspace\r\n", 0), 0u) << keyspace;
  EXPECT_EQ(keyspace.find("# Server"), std::string::npos) << keyspace;
  EXPECT_EQ(Run({"INFO", "nosuchsection"}), Bulk(""));
}

TEST_F(InfoTest, ServerSectionDescribesTheProcess) {
  const std::string info = Info(client(), "server");
  EXPECT_EQ(InfoNumber(info, "tcp_port"), port());
  EXPECT_GT(InfoNumber(info, "process_id"), 0);
  EXPECT_GE(InfoNumber(info, "uptime_in_seconds"), 0);
  EXPECT_FALSE(InfoField(info, "redis_version").empty());
}

TEST_F(InfoTest, ClientsSectionCountsConnections) {
  const long long before = InfoNumber(Info(client(), "clients"), "connected_clients");
  EXPECT_GE(before, 1);
  {
    RedisClient other(port());
    ASSERT_EQ(other.Command({"PING"}), Status("PONG"));
    EXPECT_EQ(InfoNumber(Info(client(), "clients"), "connected_clients"), before + 1);
  }
  // The server learns about the close asynchronously.
  EXPECT_TRUE(
      WaitFor([&] { return InfoNumber(Info(client(), "clients"), "connected_clients") == before; },
              std::chrono::milliseconds(5000)));
}

TEST_F(InfoTest, UsedMemoryGrowsWithTenThousandKeys) {
  const long long before = InfoNumber(Info(client(), "memory"), "used_memory");
  EXPECT_GT(before, 0);
  constexpr int kKeys = 10000;
  for (int i = 0; i < kKeys; ++i) {
    client().Append({"SET", "mem:" + std::to_string(i), std::string(32, 'x')});
  }
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(client().ReadReply(), Status("OK"));
  const long long after = InfoNumber(Info(client(), "memory"), "used_memory");
  // At least the key and value bytes themselves must be accounted for.
  EXPECT_GT(after, before + kKeys * 32) << "before " << before << " after " << after;
}

TEST_F(InfoTest, StatsSectionCountsCommandsAndConnections) {
  const std::string first = Info(client(), "stats");
  const long long commands = InfoNumber(first, "total_commands_processed");
  const long long connections = InfoNumber(first, "total_connections_received");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Run({"PING"}), Status("PONG"));
  {
    RedisClient other(port());
    ASSERT_EQ(other.Command({"PING"}), Status("PONG"));
  }
  const std::string second = Info(client(), "stats");
  EXPECT_GE(InfoNumber(second, "total_commands_processed"), commands + 10);
  EXPECT_GE(InfoNumber(second, "total_connections_received"), connections + 1);
}

TEST_F(InfoTest, KeyspaceSectionListsNonEmptyDatabases) {
  EXPECT_EQ(InfoField(Info(client(), "keyspace"), "db0"), "");
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "c", "3", "EX", "1000"}), Status("OK"));
  ASSERT_EQ(Run({"SELECT", "2"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "x", "1"}), Status("OK"));
  const std::string info = Info(client(), "keyspace");
  const std::string db0 = InfoField(info, "db0");
  EXPECT_EQ(db0.rfind("keys=3,expires=1,avg_ttl=", 0), 0u) << info;
  const std::string avg_ttl = db0.substr(db0.find("avg_ttl=") + 8);
  EXPECT_FALSE(avg_ttl.empty());
  EXPECT_EQ(avg_ttl.find_first_not_of("0123456789"), std::string::npos) << db0;
  EXPECT_EQ(InfoField(info, "db2"), "keys=1,expires=0,avg_ttl=0") << info;
  EXPECT_EQ(InfoField(info, "db1"), "") << info;
}

}  // namespace
}  // namespace ember::test
