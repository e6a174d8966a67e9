#include "tests/support/server_fixture.h"

#include <thread>

namespace ember::test {

ServerProcess* ServerTest::server_ = nullptr;

void ServerTest::SetUpTestSuite() { server_ = new ServerProcess(ServerProcess::StartEmber()); }

void ServerTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
}

void ServerTest::SetUp() {
  ASSERT_TRUE(server_ != nullptr && server_->running()) << "ember-server is not running";
  client_ = std::make_unique<RedisClient>(server_->port());
  ASSERT_TRUE(client_->connected());
  ASSERT_EQ(client_->Command({"FLUSHALL"}), Status("OK"));
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::vector<std::pair<std::string, std::string>> ParseInfo(const std::string& info) {
  std::vector<std::pair<std::string, std::string>> fields;
  size_t pos = 0;
  while (pos < info.size()) {
    size_t end = info.find('\n', pos);
    if (end == std::string::npos) end = info.size();
    std::string line = info.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    fields.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return fields;
}

std::string InfoField(const std::string& info, const std::string& field) {
  for (auto& [name, value] : ParseInfo(info)) {
    if (name == field) return value;
  }
  return "";
}

}  // namespace ember::test
