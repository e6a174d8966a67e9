// PrimaryLink: a replica's connection to its primary (REPLICAOF), as Redis 7.0's replica
// side of PSYNC2 runs it, on the engine's event loop:
// 1. Connect; handshake: PING, AUTH (masterauth / masteruser), REPLCONF listening-port (and
//    ip-address when replica-announce-ip is set), REPLCONF capa eof capa psync2.
// 2. PSYNC with this server's replication ID and offset + 1 (a former primary, or a replica
//    whose dump carried its history, continues where it was), or "PSYNC ? -1" when the data
//    is not a known history any more (a failed load).
// 3. "+FULLRESYNC <id> <offset>": the snapshot ("$<length>" or "$EOF:<mark>" framed) is
//    written to a temporary file and renamed over dir/dbfilename, the old dataset is
//    flushed, and the file is loaded as at startup (clients get -LOADING meanwhile); the
//    primary's history and a fresh backlog are adopted, sub-replicas must sync again, and
//    with the AOF on a rewrite captures the new dataset. "+CONTINUE [<id>]": the stream
//    continues from the backlog (a new ID moves the old one to ID2).
// 4. The stream: each command is run through the dispatcher as the primary's client
//    (ClientState::obeys_log: no READONLY, OOM or MISCONF refusals; keys it touches are
//    never expired by it), its replies dropped; its bytes go verbatim to this server's own
//    backlog and sub-replicas. REPLCONF ACK <offset> goes back once a second (from the
//    replication cron) and at once for REPLCONF GETACK.
// A link that fails or stays silent for repl-timeout seconds is dropped and retried a
// second later, until REPLICAOF changes or ends it.
//
// Threading: engine thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/resp_parser.h"
#include "server/command/dispatcher.h"
#include "server/core/client_state.h"
#include "server/net/key_prefetcher.h"

namespace ember::server {

class PrimaryLink {
 public:
  PrimaryLink(boost::asio::io_context& io, Dispatcher& dispatcher);
  ~PrimaryLink();

  // Ends the current link, if any, and starts one to the configured primary, if any.
  void Restart();

 private:
  using Socket = boost::asio::ip::tcp::socket;
  // One connection's socket, buffer and, while streaming, the primary's client.
  struct Attempt {
    Attempt(boost::asio::io_context& io, uint64_t link_generation)
        : socket(io), deadline(io), generation(link_generation) {}
    Socket socket;
    boost::asio::steady_timer deadline;
    const uint64_t generation;
    std::string buffer;  // read, not yet consumed
    protocol::RespParser parser;
    KeyPrefetcher prefetcher;  // the stream is one long pipeline
    ClientState client;        // the primary's client while streaming
    bool registered = false;
    std::string replies;  // the primary's commands' replies, dropped
  };

  boost::asio::awaitable<void> Run(uint64_t generation);
  // One connection, from connect to the link's loss. Returns what ended it, for the log.
  boost::asio::awaitable<std::string> Connect(Attempt& attempt);
  boost::asio::awaitable<std::string> Handshake(Attempt& attempt, std::string* psync_reply);
  // "+FULLRESYNC": receives, stores and loads the snapshot. "" on success.
  boost::asio::awaitable<std::string> FullSync(Attempt& attempt, std::string_view reply);
  boost::asio::awaitable<std::string> ReceiveSnapshot(Attempt& attempt, const std::string& path,
                                                      bool* eof_marked);
  boost::asio::awaitable<std::string> Stream(Attempt& attempt);
  // Sends `request` (encoded commands) and reads the first one-line reply into *reply.
  boost::asio::awaitable<std::string> Ask(Attempt& attempt, std::string request,
                                          std::string* reply);
  // Reads one line, skipping the bare newlines a primary sends to keep a waiting link alive.
  boost::asio::awaitable<std::string> ReadLine(Attempt& attempt, std::string* line);
  boost::asio::awaitable<std::string> ReadMore(Attempt& attempt);
  // Applies every complete command in the attempt's buffer.
  std::string ApplyBuffered(Attempt& attempt);
  void SendAck(Attempt& attempt);
  void ArmDeadline(Attempt& attempt);
  bool Current(uint64_t generation) const { return generation == generation_; }

  boost::asio::io_context& io_;
  Dispatcher& dispatcher_;
  uint64_t generation_ = 0;
  std::shared_ptr<Attempt> attempt_;  // the connection in progress, if any
  boost::asio::steady_timer retry_timer_;
};

}  // namespace ember::server
