#include "tests/integration/scenario_side_by_side.h"

#include <algorithm>
#include <string>
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

namespace {

// Where two transcripts part (gtest shows long vectors cut short).
std::string FirstDifference(const std::vector<std::string>& ember,
                            const std::vector<std::string>& reference) {
  for (size_t i = 0; i < std::max(ember.size(), reference.size()); ++i) {
    const std::string ours = i < ember.size() ? ember[i] : "(end)";
    const std::string theirs = i < reference.size() ? reference[i] : "(end)";
    if (ours == theirs) continue;
    std::string text = "\nfirst difference at line " + std::to_string(i) + ", after:\n";
    for (size_t j = i > 4 ? i - 4 : 0; j < i; ++j) text += "  " + ember[j] + "\n";
    return text + "ember:     " + ours + "\nreference: " + theirs + "\n";
  }
  return "";
}

}  // namespace

TEST_P(ScenarioSideBySideTest, SameTranscriptAsRedis) {
  ASSERT_TRUE(ember_->running() && reference_->running());
  for (int resp : {2, 3}) {
    const std::vector<std::string> reference = RunOn(*reference_, resp);
    const std::vector<std::string> ember = RunOn(*ember_, resp);
    EXPECT_EQ(ember, reference) << "RESP" << resp << FirstDifference(ember, reference);
  }
}

}  // namespace ember::test
