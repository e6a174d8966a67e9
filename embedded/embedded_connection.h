// EmbeddedConnection: a RESP connection to an EmbeddedEngine without a socket. Bytes a client
// library would send go in through Send; the replies, and whatever other clients' commands
// produce for it (pub/sub messages, a served blocking pop), come out through Receive. The
// same parser, dispatcher and reply writer as a server connection handle them, so a client
// library's own protocol code (redis-py's parser, its pipelines and transactions) runs
// unchanged over it.
//
// Commands run in Send, in order, until one blocks (BLPOP...) or must wait out CLIENT PAUSE;
// the rest stay buffered and run in Receive once the wait ends, as a server connection runs
// them once its wait ends. A protocol error or QUIT closes the connection after its reply.
//
// Threading: every call requires the engine's lock, passed in; Receive sleeps on the
// engine's changed() with it. Lifetime: keeps the engine alive; registers its client while
// it lives.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "embedded/embedded_engine.h"
#include "protocol/reply_writer.h"
#include "protocol/resp_parser.h"
#include "server/core/client_state.h"

namespace ember::embedded {

class EmbeddedConnection {
 public:
  // Requires the engine's lock.
  explicit EmbeddedConnection(std::shared_ptr<EmbeddedEngine> engine);
  // Requires the engine's lock.
  ~EmbeddedConnection();
  EmbeddedConnection(const EmbeddedConnection&) = delete;
  EmbeddedConnection& operator=(const EmbeddedConnection&) = delete;

  // Appends request bytes and runs the complete commands among them. False when the
  // connection is closed (the bytes are dropped).
  bool Send(std::string_view bytes);

  enum class ReceiveStatus { kData, kTimedOut, kClosed };
  // Moves up to `max_bytes` of pending output into `out`, waiting (on the engine's
  // changed(), releasing `lock`) until there is some, the connection closes, or `deadline`
  // passes. A blocked command's own deadline and a pause's end are served meanwhile.
  ReceiveStatus Receive(std::unique_lock<std::mutex>& lock, size_t max_bytes,
                        std::chrono::steady_clock::time_point deadline, std::string* out);
  // Whether output is waiting (without running anything).
  bool HasOutput() const { return output_.size() > output_taken_ || !client_.outbox.empty(); }

  // Ends the connection: later Sends are refused, Receive reports kClosed once the output
  // is taken.
  void Close();
  bool closed() const { return closed_; }

 private:
  // Runs the buffered commands, unless a wait holds them; false once none can run now.
  void RunBuffered();
  // Ends a blocking command's wait at its deadline, and a pause hold at the pause's end.
  void ServeDeadlines();
  // When the current wait (a blocking command or a pause) may end by itself.
  std::chrono::steady_clock::time_point WaitEnd() const;
  void DrainOutbox();

  std::shared_ptr<EmbeddedEngine> engine_;
  server::ClientState client_;
  protocol::RespParser parser_;
  std::string input_;
  std::string output_;
  size_t output_taken_ = 0;  // output_[0, output_taken_) was received already
  protocol::ReplyWriter writer_;
  bool held_for_pause_ = false;
  bool closing_ = false;  // closes once the output is taken (protocol error, QUIT, SHUTDOWN)
  bool closed_ = false;
};

}  // namespace ember::embedded
