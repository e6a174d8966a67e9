// Resp3Client: a minimal blocking client that speaks RESP3 (or RESP2) over a RawConnection
// and decodes replies with protocol::ReadReply, keeping every RESP3 type distinct (map,
// set, push, double, boolean, big number, verbatim, and which null form arrived). hiredis
// 0.14 cannot do this; the side-by-side suite uses it for its RESP3 run.
//
// Ownership: owns its connection. Threading: one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/reply_reader.h"
#include "tests/support/redis_client.h"

namespace ember::test {

// The test-side form of a decoded reply. `resp3` says whether the connection spoke RESP3,
// where a RESP2 null ($-1, *-1) is itself a protocol difference worth showing.
Reply ToReply(const protocol::ReplyValue& value, bool resp3);

class Resp3Client {
 public:
  // Connects to 127.0.0.1:port (ADD_FAILURE when it cannot); sends nothing, so the
  // connection speaks RESP2 until a HELLO 3.
  explicit Resp3Client(int port);

  bool connected() const { return !broken_; }
  // Sends HELLO 3; true when the server answered with a map.
  bool Hello3();
  // Sends one command and returns its decoded reply. An I/O error, a timeout or an
  // undecodable reply returns a kError reply whose text starts with "IOERR" and leaves the
  // client unusable.
  Reply Command(const std::vector<std::string>& args);

  // The parts of Command, for replies that arrive later (blocking commands) or never:
  // Send writes one command; ReceiveRaw returns the exact bytes of the next complete reply,
  // or nullopt when none completed within `timeout` (the client stays usable; bytes of a
  // partial reply are kept for the next call). Send returns false on a write error.
  bool Send(const std::vector<std::string>& args);
  std::optional<std::string> ReceiveRaw(std::chrono::milliseconds timeout);
  // Closes the connection (a client that disappears).
  void Close();

 private:
  std::unique_ptr<RawConnection> connection_;
  std::string buffer_;  // bytes received past the last decoded reply
  bool broken_ = false;
  bool resp3_ = false;
};

}  // namespace ember::test
