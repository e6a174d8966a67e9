// Side-by-side replies: every case file under tests/compat/cases runs, line by line, against
// ember-server and against the reference redis-server 7.0, and each reply pair must match
// (exactly, or as the line's marker allows; see tests/compat/case_file.h).
//
// Every file runs twice: over hiredis in RESP2 (test `Cases/SideBySideTest.<file>/...`), and
// over Resp3Client after HELLO 3 on both sides (`<file>_resp3`), where replies compare as
// RESP3 trees (map, set, double, boolean, verbatim and null forms all distinct). The RESP3
// run opens a fresh connection per file, skips `~resp2` lines, and sends HELLO 3 again
// after a HELLO or RESET line, since those may leave RESP3.
//
// Both servers start once per test program and stay up across files; each file begins from
// FLUSHALL and SELECT 0 on one connection per server, so files are independent and a file
// may use SELECT, SWAPDB, MOVE and friends freely. Case files must not close the connection
// or stop the server (QUIT, SHUTDOWN, CLIENT KILL): those are covered by integration tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
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
#include "tests/support/resp3_client.h"
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

// A case file's path and the protocol of its run; printed as the file name so CTest's test
// names stay short.
struct CaseFileParam {
  std::string path;
  int resp = 2;
};

void PrintTo(const CaseFileParam& param, std::ostream* os) {
  *os << std::filesystem::path(param.path).filename().string() << " RESP" << param.resp;
}

std::vector<CaseFileParam> CaseFileParams() {
  std::vector<CaseFileParam> params;
  for (const std::string& path : ListCaseFiles(CasesDir())) {
    params.push_back({path, 2});
    params.push_back({path, 3});
  }
  return params;
}

// A line after which the connection may no longer speak RESP3.
bool MayLeaveResp3(const CaseLine& line) {
  std::string name = line.args.empty() ? "" : line.args[0];
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name == "HELLO" || name == "RESET";
}

// One side's connection for a run: the suite's shared hiredis client for RESP2, or a fresh
// Resp3Client (switched with HELLO 3) for RESP3.
class SideConnection {
 public:
  SideConnection(RedisClient* resp2, int port, int resp) : resp2_(resp2) {
    if (resp == 3) resp3_ = std::make_unique<Resp3Client>(port);
  }

  // False when a RESP3 connection did not switch protocol.
  bool Hello3() { return resp3_ == nullptr || resp3_->Hello3(); }
  Reply Command(const std::vector<std::string>& args) {
    return resp3_ != nullptr ? resp3_->Command(args) : resp2_->Command(args);
  }

 private:
  RedisClient* resp2_;
  std::unique_ptr<Resp3Client> resp3_;
};

class SideBySideTest : public ::testing::TestWithParam<CaseFileParam> {
 protected:
  // Both servers allow DEBUG, which debug.txt compares (it is off by default in both).
  inline static const std::vector<std::string> kServerArgs = {"--enable-debug-command", "yes"};

  static void SetUpTestSuite() {
    reference_.emplace(ServerProcess::StartReference(kServerArgs));
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
    ember_.emplace(ServerProcess::StartEmber(kServerArgs));
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
  static void Reset(SideConnection& client, const char* side) {
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
  const int resp = GetParam().resp;
  SideConnection ember(ember_client_.get(), ember_->port(), resp);
  SideConnection reference(reference_client_.get(), reference_->port(), resp);
  ASSERT_TRUE(reference.Hello3()) << "reference did not switch to RESP3";
  ASSERT_TRUE(ember.Hello3()) << "ember did not switch to RESP3";
  Reset(reference, "reference");
  Reset(ember, "ember");

  size_t expected_compared = 0;
  for (const CaseLine& line : file.lines) expected_compared += line.is_compared_in(resp) ? 1 : 0;

  size_t compared = 0;
  for (const CaseLine& line : file.lines) {
    if (resp == 3 && line.resp2_only) continue;
    if (line.is_sleep()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(line.sleep_ms));
      continue;
    }
    Reply actual = ember.Command(line.args);
    Reply expected = reference.Command(line.args);
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
    if (resp == 3 && MayLeaveResp3(line)) {
      EXPECT_TRUE(reference.Hello3()) << file.path << ":" << line.line << ": reference HELLO 3";
      EXPECT_TRUE(ember.Hello3()) << file.path << ":" << line.line << ": ember HELLO 3";
    }
    if (!line.is_compared()) continue;
    ++compared;
    if (!RepliesMatch(line, actual, expected)) {
      ADD_FAILURE() << file.path << ":" << line.line << " (RESP" << resp << "): " << line.text
                    << "\n  ember:     " << actual.ToString()
                    << "\n  reference: " << expected.ToString();
    }
  }
  EXPECT_EQ(compared, expected_compared) << "not every case in " << file.path << " ran";
}

INSTANTIATE_TEST_SUITE_P(Cases, SideBySideTest, ::testing::ValuesIn(CaseFileParams()),
                         [](const ::testing::TestParamInfo<CaseFileParam>& param_info) {
                           std::string name = CaseNameFromPath(param_info.param.path);
                           return param_info.param.resp == 3 ? name + "_resp3" : name;
                         });

// Counted from the files rather than from a run, because CTest runs each file's test in its
// own process.
TEST(SideBySideSuite, CaseFilesHoldEnoughComparedCommands) {
  std::vector<std::string> paths = ListCaseFiles(CasesDir());
  ASSERT_FALSE(paths.empty()) << "no case files under " << CasesDir();
  size_t total = 0;
  size_t total_resp3 = 0;
  for (const std::string& path : paths) {
    CaseFile file = LoadCaseFile(path);
    EXPECT_TRUE(file.error.empty()) << file.error;
    size_t in_file = 0;
    size_t in_file_resp3 = 0;
    for (const CaseLine& line : file.lines) {
      in_file += line.is_compared_in(2) ? 1 : 0;
      in_file_resp3 += line.is_compared_in(3) ? 1 : 0;
    }
    EXPECT_GT(in_file, 0u) << path << " compares nothing";
    EXPECT_GT(in_file_resp3, 0u) << path << " compares nothing in RESP3";
    total += in_file;
    total_resp3 += in_file_resp3;
  }
  EXPECT_GE(total, kMinimumComparedCommands);
  EXPECT_GE(total_resp3, kMinimumComparedCommands) << "in RESP3";
}

}  // namespace
}  // namespace ember::test
