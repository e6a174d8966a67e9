// Side-by-side replies: every case file under tests/compat/cases runs, line by line, against
// ember-server and against the reference redis-server 7.0, and each reply pair must match
// (exactly, or as the line's marker allows; see tests/compat/case_file.h).
//
// Both servers start once per test program and stay up across files; each file begins from
// FLUSHALL and SELECT 0 on one connection per server, so files are independent and a file
// may use SELECT, SWAPDB, MOVE and friends freely. Case files must not close the connection
// or stop the server (QUIT, SHUTDOWN, CLIENT KILL): those are covered by integration tests.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/compat/case_file.h"
#include "tests/compat/reply_match.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

// Acceptance floor: deleting or emptying case files must make the suite fail.
constexpr size_t kMinimumComparedCommands = 300;

// $EMBER_SOURCE_DIR/tests/compat/cases when CTest sets it; otherwise the folder next to
// this source file, so that test discovery (which runs without that variable) sees the
// same list of files.
std::string CasesDir() {
  const char* root = std::getenv("EMBER_SOURCE_DIR");
  if (root != nullptr && *root != '\0') {
    return (std::filesystem::path(root) / "tests" / "compat" / "cases").string();
  }
  return (std::filesystem::path(__FILE__).parent_path() / "cases").string();
}

bool IsIoError(const Reply& reply) {
  return reply.type == Reply::Type::kError && reply.str.rfind("IOERR", 0) == 0;
}

std::string LogTail(const ServerProcess& server) {
  constexpr size_t kTail = 2000;
  std::string log = server.ReadLog();
  return log.size() > kTail ? log.substr(log.size() - kTail) : log;
}

// A case file's path; printed as its file name so CTest's test names stay short.
struct CaseFileParam {
  std::string path;
};

void PrintTo(const CaseFileParam& param, std::ostream* os) {
  *os << std::filesystem::path(param.path).filename().string();
}

std::vector<CaseFileParam> CaseFileParams() {
  std::vector<CaseFileParam> params;
  for (std::string& path : ListCaseFiles(CasesDir())) params.push_back({std::move(path)});
  return params;
}

class SideBySideTest : public ::testing::TestWithParam<CaseFileParam> {
 protected:
  static void SetUpTestSuite() {
    reference_.emplace(ServerProcess::StartReference());
    reference_client_ = std::make_unique<RedisClient>(reference_->port());
    StartEmber();
  }

  static void TearDownTestSuite() {
    ember_client_.reset();
    reference_client_.reset();
    ember_.reset();
    reference_.reset();
  }

  static void StartEmber() {
    ember_client_.reset();
    ember_.reset();
    ember_.emplace(ServerProcess::StartEmber());
    ember_client_ = std::make_unique<RedisClient>(ember_->port());
  }

  // A crash in an earlier file must not fail every later file too: restart ember when it
  // no longer answers PING.
  static void EnsureEmberAnswers() {
    if (ember_client_ && ember_client_->connected() &&
        ember_client_->Command({"PING"}).ToString() == "+PONG") {
      return;
    }
    StartEmber();
  }

  // Brings one side to the state every file starts from.
  static void Reset(RedisClient& client, const char* side) {
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"FLUSHALL"}, std::vector<std::string>{"SELECT", "0"}}) {
      Reply reply = client.Command(command);
      EXPECT_EQ(reply.ToString(), "+OK") << side << " did not accept " << command[0];
    }
  }

  static std::optional<ServerProcess> ember_;
  static std::optional<ServerProcess> reference_;
  static std::unique_ptr<RedisClient> ember_client_;
  static std::unique_ptr<RedisClient> reference_client_;
};

std::optional<ServerProcess> SideBySideTest::ember_;
std::optional<ServerProcess> SideBySideTest::reference_;
std::unique_ptr<RedisClient> SideBySideTest::ember_client_;
std::unique_ptr<RedisClient> SideBySideTest::reference_client_;

TEST_P(SideBySideTest, RepliesMatchReference) {
  CaseFile file = LoadCaseFile(GetParam().path);
  ASSERT_TRUE(file.error.empty()) << file.error;
  ASSERT_TRUE(reference_ && reference_->running() && reference_client_->connected())
      << "reference redis-server is not running";
  EnsureEmberAnswers();
  ASSERT_TRUE(ember_ && ember_->running() && ember_client_->connected())
      << "ember-server is not running (EMBER_SERVER_BIN=" << ServerProcess::EmberBinary() << ")";
  Reset(*reference_client_, "reference");
  Reset(*ember_client_, "ember");

  size_t expected_compared = 0;
  for (const CaseLine& line : file.lines) expected_compared += line.is_compared() ? 1 : 0;

  size_t compared = 0;
  for (const CaseLine& line : file.lines) {
    if (line.is_sleep()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(line.sleep_ms));
      continue;
    }
    Reply actual = ember_client_->Command(line.args);
    Reply expected = reference_client_->Command(line.args);
    ASSERT_FALSE(IsIoError(expected))
        << file.path << ":" << line.line << ": reference stopped answering at `" << line.text
        << "`: " << expected.str << "\n"
        << LogTail(*reference_);
    if (IsIoError(actual)) {
      ADD_FAILURE() << file.path << ":" << line.line << ": ember stopped answering at `"
                    << line.text << "`: " << actual.str << "\n--- ember log tail ---\n"
                    << LogTail(*ember_);
      break;
    }
    if (!line.is_compared()) continue;
    ++compared;
    if (!RepliesMatch(line, actual, expected)) {
      ADD_FAILURE() << file.path << ":" << line.line << ": " << line.text
                    << "\n  ember:     " << actual.ToString()
                    << "\n  reference: " << expected.ToString();
    }
  }
  EXPECT_EQ(compared, expected_compared) << "not every case in " << file.path << " ran";
}

INSTANTIATE_TEST_SUITE_P(Cases, SideBySideTest, ::testing::ValuesIn(CaseFileParams()),
                         [](const ::testing::TestParamInfo<CaseFileParam>& param_info) {
                           return CaseNameFromPath(param_info.param.path);
                         });

// Counted from the files rather than from a run, because CTest runs each file's test in its
// own process.
TEST(SideBySideSuite, CaseFilesHoldEnoughComparedCommands) {
  std::vector<std::string> paths = ListCaseFiles(CasesDir());
  ASSERT_FALSE(paths.empty()) << "no case files under " << CasesDir();
  size_t total = 0;
  for (const std::string& path : paths) {
    CaseFile file = LoadCaseFile(path);
    EXPECT_TRUE(file.error.empty()) << file.error;
    size_t in_file = 0;
    for (const CaseLine& line : file.lines) in_file += line.is_compared() ? 1 : 0;
    EXPECT_GT(in_file, 0u) << path << " compares nothing";
    total += in_file;
  }
  EXPECT_GE(total, kMinimumComparedCommands);
}

}  // namespace
}  // namespace ember::test
