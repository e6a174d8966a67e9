#include "tests/integration/scenario_side_by_side.h"

#include <vector>

namespace ember::test {

ServerProcess* ScenarioSideBySideTest::ember_ = nullptr;
ServerProcess* ScenarioSideBySideTest::reference_ = nullptr;

void ScenarioSideBySideTest::SetUpTestSuite() {
  ember_ = new ServerProcess(ServerProcess::StartEmber());
  reference_ = new ServerProcess(ServerProcess::StartReference());
}

void ScenarioSideBySideTest::TearDownTestSuite() {
  delete ember_;
  delete reference_;
  ember_ = reference_ = nullptr;
}

std::vector<std::string> ScenarioSideBySideTest::RunOn(const ServerProcess& server, int resp) {
  BlockingScript flush(server.port(), 2);
  flush.Unrecorded(1, {"FLUSHALL"});
  BlockingScript script(server.port(), resp);
  GetParam().run(script);
  return script.transcript();
}

TEST_P(ScenarioSideBySideTest, SameTranscriptAsRedis) {
  ASSERT_TRUE(ember_->running() && reference_->running());
  for (int resp : {2, 3}) {
    const std::vector<std::string> reference = RunOn(*reference_, resp);
    const std::vector<std::string> ember = RunOn(*ember_, resp);
    EXPECT_EQ(ember, reference) << "RESP" << resp;
  }
}

}  // namespace ember::test
