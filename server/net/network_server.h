// NetworkServer: the engine's event loop. One io_context on one thread owns the keyspace;
// it accepts RESP connections on every bind address through the shared accept loop
// (server/net/connection_acceptor.h), runs the cron (active expiry, incremental
// rehashing, and once a second the idle-timeout and output-limit sweep of the clients) at
// `hz`, and stops cleanly on SIGTERM/SIGINT or SHUTDOWN.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <vector>

#include "server/aof/aof_flush_barrier.h"
#include "server/command/dispatcher.h"
#include "server/core/server_cron.h"
#include "server/core/server_state.h"
#include "server/net/connection_acceptor.h"
#include "server/net/primary_link.h"

namespace ember::server {

namespace http {
class HttpListener;
}  // namespace http

class NetworkServer {
 public:
  explicit NetworkServer(ServerState& state);
  ~NetworkServer();

  // Binds every configured address. Returns false with a message when none could be
  // bound (an address that is merely unavailable, such as ::1 without IPv6, is skipped
  // with a warning as Redis does).
  bool Listen(std::string* error);
  // Runs until shutdown. Returns the process exit code.
  int Run();

 private:
  AcceptHooks RespHooks();
  boost::asio::awaitable<void> CronLoop();
  // The forkless BGSAVE's walk: a slice, then the next one posted behind the handlers that
  // are ready (or after the wait the slice asks for), until the save ends. A slice lasts a
  // kSnapshotYield-th of what the loop's other handlers took since the previous one
  // (within kMin/kMaxSliceMicros): a busy server gives the walk about a fifth of its time
  // (writes during a save kept a third of their rate when 1000-key slices ran back to
  // back), an idle one walks at nearly full speed.
  void RunSnapshotSlices();
  void Stop(const char* reason);
  void WaitForSignal();

  ServerState& state_;
  Dispatcher dispatcher_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer cron_timer_;
  boost::asio::steady_timer snapshot_timer_;
  ServerCron cron_;
  AofFlushBarrier aof_barrier_;
  ConnectionAcceptor acceptor_;
  PrimaryLink primary_link_;
  std::unique_ptr<http::HttpListener> http_;  // null when http-port is 0
  static constexpr int64_t kSnapshotYield = 4;
  static constexpr int64_t kMinSliceMicros = 50;
  static constexpr int64_t kMaxSliceMicros = 500;
  uint64_t last_slice_end_ = 0;  // CycleClock ticks; 0 before the first slice
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace ember::server
