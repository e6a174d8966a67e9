// RESP3 side by side: hiredis 0.14 cannot parse RESP3, so these cases talk raw RESP over
// sockets to ember-server and the reference redis-server 7.0 and compare the reply bytes.
// Each case is one fresh connection per server that switches protocol with HELLO; the only
// difference allowed is the connection id in HELLO's map.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using Command = std::vector<std::string>;

std::string Encode(const Command& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args)
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  return out;
}

// The length of the one RESP2/RESP3 reply at `pos` in `bytes`, or nullopt while incomplete.
std::optional<size_t> ReplyEnd(const std::string& bytes, size_t pos) {
  const size_t line_end = bytes.find("\r\n", pos);
  if (line_end == std::string::npos) return std::nullopt;
  const char type = bytes[pos];
  const size_t after_line = line_end + 2;
  switch (type) {
    case '$':
    case '=':
    case '!': {
      const long long length = std::stoll(bytes.substr(pos + 1, line_end - pos - 1));
      if (length < 0) return after_line;
      const size_t end = after_line + static_cast<size_t>(length) + 2;
      return end <= bytes.size() ? std::optional<size_t>(end) : std::nullopt;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      long long count = std::stoll(bytes.substr(pos + 1, line_end - pos - 1));
      if (type == '%' || type == '|') count *= 2;
      size_t next = after_line;
      for (long long i = 0; i < count; ++i) {
        std::optional<size_t> end = ReplyEnd(bytes, next);
        if (!end) return std::nullopt;
        next = *end;
      }
      return next;
    }
    default:  // + - : _ , # ( are one line
      return after_line;
  }
}

// Sends `command` and returns its one reply's bytes ("<timeout>" appended if incomplete).
std::string Roundtrip(RawConnection& conn, const Command& command) {
  if (!conn.Send(Encode(command))) return "<send failed>";
  std::string got;
  for (;;) {
    if (!got.empty()) {
      std::optional<size_t> end = ReplyEnd(got, 0);
      if (end && *end == got.size()) return got;
    }
    std::string byte = conn.Read(1, std::chrono::milliseconds(3000));
    if (byte.empty()) return got + "<timeout>";
    got += byte;
  }
}

std::string MaskIds(const std::string& reply) {
  static const std::regex kHelloId("\\$2\r\nid\r\n:[0-9]+\r\n");
  return std::regex_replace(reply, kHelloId, "$$2\r\nid\r\n:<id>\r\n");
}

std::string Printable(const std::string& bytes) {
  std::string out;
  for (char c : bytes) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class Resp3HandshakeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_.emplace(ServerProcess::StartReference());
    ember_.emplace(ServerProcess::StartEmber());
  }
  static void TearDownTestSuite() {
    ember_.reset();
    reference_.reset();
  }

  // Runs `commands` on a fresh connection to each server (after FLUSHALL) and compares.
  void Compare(const std::vector<Command>& commands) {
    ASSERT_TRUE(reference_->running() && ember_->running());
    RedisClient(reference_->port()).Command({"FLUSHALL"});
    RedisClient(ember_->port()).Command({"FLUSHALL"});
    RawConnection reference(reference_->port());
    RawConnection ember(ember_->port());
    for (const Command& command : commands) {
      std::string expected = MaskIds(Roundtrip(reference, command));
      std::string actual = MaskIds(Roundtrip(ember, command));
      std::string text;
      for (const std::string& arg : command) text += arg + " ";
      EXPECT_EQ(Printable(actual), Printable(expected)) << "command: " << text;
      EXPECT_EQ(expected.find("<timeout>"), std::string::npos) << "command: " << text;
    }
  }

  static std::optional<ServerProcess> reference_;
  static std::optional<ServerProcess> ember_;
};

std::optional<ServerProcess> Resp3HandshakeTest::reference_;
std::optional<ServerProcess> Resp3HandshakeTest::ember_;

TEST_F(Resp3HandshakeTest, HelloNegotiatesAndRepliesFollowTheProtocol) {
  Compare({{"HELLO", "3"},
           {"GET", "missing"},
           {"SET", "k", "v"},
           {"GET", "k"},
           {"MGET", "k", "missing"},
           {"INCRBYFLOAT", "f", "1.5"},
           {"CLIENT", "GETNAME"},
           {"HELLO", "3", "SETNAME", "app"},
           {"CLIENT", "GETNAME"},
           {"CLIENT", "TRACKINGINFO"},
           {"HELLO", "4"},
           {"HELLO", "3", "AUTH", "nobody", "pw"},
           {"HELLO", "2"},
           {"GET", "missing"},
           {"CLIENT", "TRACKINGINFO"}});
}

TEST_F(Resp3HandshakeTest, TransactionsInResp3) {
  Compare({{"HELLO", "3"},
           {"MULTI"},
           {"SET", "k", "1"},
           {"GET", "missing"},
           {"INCR", "k"},
           {"EXEC"},
           {"SET", "w", "1"},
           {"WATCH", "w"},
           {"SET", "w", "2"},
           {"MULTI"},
           {"GET", "w"},
           {"EXEC"},
           {"MULTI"},
           {"GET"},
           {"EXEC"}});
}

TEST_F(Resp3HandshakeTest, ResetReturnsToResp2) {
  Compare({{"HELLO", "3", "SETNAME", "before"},
           {"SELECT", "3"},
           {"RESET"},
           {"GET", "missing"},
           {"CLIENT", "GETNAME"},
           {"HELLO"}});
}

TEST_F(Resp3HandshakeTest, ClientInfoIsVerbatimInResp3) {
  RawConnection conn(ember_->port());
  Roundtrip(conn, {"HELLO", "3"});
  const std::string info = Roundtrip(conn, {"CLIENT", "INFO"});
  EXPECT_EQ(info.substr(0, 1), "=") << Printable(info);
  EXPECT_NE(info.find("\r\ntxt:id="), std::string::npos) << Printable(info);
  EXPECT_NE(info.find(" resp=3\n\r\n"), std::string::npos) << Printable(info);
}

}  // namespace
}  // namespace ember::test
