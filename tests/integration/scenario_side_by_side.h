// Scenarios with several connections, run side by side: each scenario drives a
// BlockingScript against ember-server and against the reference redis-server 7.0, in RESP2
// and in RESP3, and the two transcripts (every reply's exact bytes, and where no reply may
// arrive) must be identical. One suite, ScenarioSideBySideTest, holds both servers for every
// scenario file; a file lists its scenarios and instantiates the suite with its own prefix:
//
//   INSTANTIATE_TEST_SUITE_P(PubSub, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
//                            ScenarioName);
//
// Every run starts from FLUSHALL on fresh connections; a scenario that changes server-wide
// state (CONFIG SET) restores it before it ends.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>

#include "tests/integration/blocking_script.h"
#include "tests/support/server_process.h"

namespace ember::test {

struct NamedScenario {
  const char* name;
  std::function<void(BlockingScript&)> run;
};

class ScenarioSideBySideTest : public ::testing::TestWithParam<NamedScenario> {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static std::vector<std::string> RunOn(const ServerProcess& server, int resp);

  static ServerProcess* ember_;
  static ServerProcess* reference_;
};

// How gtest shows a parameter: its name, not its bytes.
inline void PrintTo(const NamedScenario& scenario, std::ostream* out) { *out << scenario.name; }

inline std::string ScenarioName(const ::testing::TestParamInfo<NamedScenario>& info) {
  return info.param.name;
}

}  // namespace ember::test
