// Every write command must be in the keyspace-notification scenarios
// (tests/integration/keyspace_events_side_by_side_test.cc and its streams companion), which compare
// its notification stream with redis-server 7.0's: a write command added later without a line there
// fails here, so it cannot ship without its events checked. The commands Redis raises no event for
// are listed below.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/compat/client_process.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

// Writes that raise no keyspace event in Redis 7.0 (FUNCTION's change libraries, not keys).
const std::set<std::string> kNoEvents = {"flushall",      "function|flush",   "function|delete",
                                         "function|load", "function|restore", "swapdb"};

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

TEST(KeyspaceEventsCoverageTest, EveryWriteCommandIsInTheNotificationScenarios) {
  std::stringstream text;
  for (const char* name :
       {"keyspace_events_side_by_side_test.cc", "keyspace_events_streams_side_by_side_test.cc"}) {
    std::ifstream file(SourceDir() + "/tests/integration/" + name);
    ASSERT_TRUE(file) << "cannot read the scenario file " << name << " under " << SourceDir();
    text << file.rdbuf();
  }
  const std::string scenarios = text.str();

  ServerProcess server = ServerProcess::StartEmber();
  RedisClient client(server.port());
  const Reply writes = client.Command({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "write"});
  ASSERT_EQ(writes.type, Reply::Type::kArray);
  ASSERT_GT(writes.elements.size(), 50u);
  for (const Reply& name : writes.elements) {
    if (kNoEvents.contains(name.str)) continue;
    // A scenario line names the command first: {"LPUSH", ...
    const std::string command = Upper(name.str.substr(0, name.str.find('|')));
    EXPECT_NE(scenarios.find("{\"" + command + "\""), std::string::npos)
        << name.str << " is a write command with no line in the notification scenarios";
  }
}

}  // namespace
}  // namespace ember::test
