// Test clients: RedisClient wraps hiredis for command/reply tests; RawConnection sends
// arbitrary bytes and reads raw replies for protocol-level tests (splits, malformed input).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace ember::test {

// A reply as plain data, independent of hiredis's lifetime rules.
struct Reply {
  // hiredis 0.14 yields only the first six; the RESP3 types come from Resp3Client
  // (tests/support/resp3_client.h).
  enum class Type {
    kString,
    kStatus,
    kError,
    kInteger,
    kNil,
    kArray,
    kDouble,     // str holds the rendering
    kBoolean,    // integer is 0 or 1
    kBigNumber,  // str holds the digits
    kVerbatim,   // str holds the payload without its format prefix
    kMap,        // elements alternate key, value
    kSet,
    kPush,
  };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError; kNil: "$-1" or "*-1" for a RESP2 null
                    // received over RESP3, else empty
  long long integer = 0;
  std::vector<Reply> elements;
  // A RESP3 attribute map received before the reply (key, value...), from Resp3Client.
  std::vector<Reply> attributes;

  // Canonical one-line rendering, e.g. `"v"`, `+OK`, `-ERR ...`, `:1`, `(nil)`,
  // `["a",:1]`; RESP3: `,1.5`, `#t`, `(123`, `="txt"`, `{"k"=>:1}`, `~[...]`, `>[...]`.
  // Used for equality checks and readable failures.
  std::string ToString() const;
  bool operator==(const Reply& other) const = default;
};

// gtest prints replies through ToString(), so failures show `+OK` instead of bytes.
void PrintTo(const Reply& reply, std::ostream* os);

// Builders for expected replies: EXPECT_EQ(client.Command({"GET", "k"}), Bulk("v")).
Reply Bulk(std::string_view s);
Reply Status(std::string_view s);
Reply Error(std::string_view s);
Reply Int(long long n);
Reply Nil();
Reply Array(std::initializer_list<Reply> elements);
// An array of bulk strings, the common shape of MGET/KEYS replies.
Reply BulkArray(const std::vector<std::string>& elements);

// One command in RESP multibulk form, as a client library sends it.
std::string RespRequest(const std::vector<std::string>& args);

class RedisClient {
 public:
  // Connects to 127.0.0.1:port; fails the test (ADD_FAILURE) when it cannot.
  explicit RedisClient(int port);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  bool connected() const;
  // Sends one command (binary-safe arguments) and returns its reply. An I/O error returns
  // a kError reply whose text starts with "IOERR".
  Reply Command(const std::vector<std::string>& args);
  // Pipelining: append many, then read replies in order.
  void Append(const std::vector<std::string>& args);
  Reply ReadReply();
  // Sets the socket timeout for later commands (default 10 s); long bulk loads may need more.
  void SetTimeout(std::chrono::milliseconds timeout);

 private:
  redisContext* context_ = nullptr;
};

class RawConnection {
 public:
  explicit RawConnection(int port);
  // Connects from `source_address` (e.g. "127.0.0.2": Linux routes all of 127/8 over lo),
  // for tests of peer-address rules such as protected mode.
  RawConnection(int port, const std::string& source_address);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Send(std::string_view bytes);
  // Reads until `expected_bytes` were received, the peer closes, or the timeout passes.
  std::string Read(size_t expected_bytes,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Returns what one read yields (at most 16 KiB); empty when the peer closed, an error
  // occurred, or nothing arrived before the timeout.
  std::string ReadSome(std::chrono::milliseconds timeout);
  // Reads until the peer closes or the timeout passes; returns everything received.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // True once the peer has closed the connection (a read returned 0).
  bool PeerClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  // Closes the socket now (as a client that disappears mid-request or mid-reply).
  void Close();
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace ember::test
