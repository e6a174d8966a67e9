#include "server/net/primary_link.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "persistence/aof_base.h"
#include "protocol/resp_parser.h"
#include "server/command/arg_parsing.h"
#include "server/core/clock.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/net/listen_sockets.h"

namespace ember::server {
namespace {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 64 * 1024;

// A command as RESP. Variadic rather than an initializer_list: GCC 12 miscompiles an
// initializer_list built inside a coroutine ("array used as initializer").
template <typename... Args>
std::string EncodeCommand(const Args&... args) {
  const std::string_view argv[] = {std::string_view(args)...};
  std::string out;
  persistence::AppendAofCommand(&out, argv);
  return out;
}

}  // namespace

PrimaryLink::PrimaryLink(asio::io_context& io, Dispatcher& dispatcher)
    : io_(io), dispatcher_(dispatcher), retry_timer_(io) {}

// The coroutine's frame (and its attempt) may outlive this object until the io_context goes:
// nothing of the engine may point into the attempt any more.
PrimaryLink::~PrimaryLink() {
  ++generation_;
  ServerState& state = dispatcher_.server();
  state.replication().send_ack = nullptr;
  if (attempt_ != nullptr && attempt_->registered) {
    state.UnregisterClient(&attempt_->client);
    attempt_->registered = false;
  }
}

void PrimaryLink::Restart() {
  ++generation_;
  // The old attempt's ACK sender goes now: its coroutine may end only after a new link is up.
  dispatcher_.server().replication().send_ack = nullptr;
  retry_timer_.cancel();
  if (attempt_ != nullptr) {
    boost::system::error_code ignored;
    attempt_->socket.close(ignored);
    attempt_->deadline.cancel();
  }
  if (!dispatcher_.server().replication().is_replica()) return;
  asio::co_spawn(io_, Run(generation_), [](std::exception_ptr e) {
    if (e) Log(LogLevel::kWarning, "The link to the primary ended unexpectedly");
  });
}

asio::awaitable<void> PrimaryLink::Run(uint64_t generation) {
  ServerState& state = dispatcher_.server();
  ReplicationState& replication = state.replication();
  while (Current(generation) && replication.is_replica()) {
    auto attempt = std::make_shared<Attempt>(io_, generation);
    attempt_ = attempt;
    const std::string why = co_await Connect(*attempt);
    if (attempt->registered) state.UnregisterClient(&attempt->client);
    attempt->registered = false;
    boost::system::error_code ignored;
    attempt->socket.close(ignored);
    attempt->deadline.cancel();
    if (!Current(generation)) co_return;  // REPLICAOF changed or ended the link
    replication.send_ack = nullptr;       // it pointed into this attempt
    replication.set_has_primary_client(false);
    replication.set_link_state(PrimaryLinkState::kConnect, UnixMillis());
    Log(LogLevel::kWarning, "{}", why);
    retry_timer_.expires_after(std::chrono::seconds(1));
    co_await retry_timer_.async_wait(kUseTuple);
    if (Current(generation)) {
      Log(LogLevel::kNotice, "Connecting to MASTER {}:{}", replication.primary_host(),
          replication.primary_port());
    }
  }
}

asio::awaitable<std::string> PrimaryLink::Connect(Attempt& attempt) {
  ServerState& state = dispatcher_.server();
  ReplicationState& replication = state.replication();
  replication.set_link_state(PrimaryLinkState::kConnecting, UnixMillis());
  asio::ip::tcp::resolver resolver(io_);
  auto [resolve_error, endpoints] = co_await resolver.async_resolve(
      replication.primary_host(), std::to_string(replication.primary_port()), kUseTuple);
  if (resolve_error) co_return "Unable to connect to MASTER: " + resolve_error.message();
  ArmDeadline(attempt);
  auto [connect_error, endpoint] =
      co_await asio::async_connect(attempt.socket, endpoints, kUseTuple);
  if (connect_error || !Current(attempt.generation)) {
    co_return "Error condition on socket for SYNC: " + connect_error.message();
  }
  boost::system::error_code ignored;
  attempt.socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  Log(LogLevel::kNotice, "MASTER <-> REPLICA sync started");
  replication.set_link_state(PrimaryLinkState::kHandshake, UnixMillis());
  std::string reply;
  if (std::string error = co_await Handshake(attempt, &reply); !error.empty()) co_return error;
  if (reply.starts_with("+FULLRESYNC")) {
    if (std::string error = co_await FullSync(attempt, reply); !error.empty()) co_return error;
  } else if (reply.starts_with("+CONTINUE")) {
    Log(LogLevel::kNotice, "Successful partial resynchronization with master.");
    const std::string id = reply.size() > 10 ? reply.substr(10) : "";
    if (id.size() == 40 && id != replication.replid()) {
      replication.ContinueWithNewId(id);
      replication.DisconnectReplicas();
      Log(LogLevel::kNotice, "Master replication ID changed to {}", id);
    }
    Log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
  } else if (reply.starts_with("-NOMASTERLINK") || reply.starts_with("-LOADING")) {
    co_return "Master is currently unable to PSYNC but should be in the future: " + reply;
  } else {
    co_return "Unexpected reply to PSYNC from master: " + reply;
  }
  co_return co_await Stream(attempt);
}

asio::awaitable<std::string> PrimaryLink::Handshake(Attempt& attempt, std::string* psync_reply) {
  ServerState& state = dispatcher_.server();
  const ServerConfig& config = state.config();
  ReplicationState& replication = state.replication();
  std::string reply;
  if (std::string error = co_await Ask(attempt, EncodeCommand("PING"), &reply); !error.empty()) {
    co_return error;
  }
  // A primary that wants AUTH first says so to PING; that still proves it is there.
  if (reply.starts_with('-') && !reply.starts_with("-NOAUTH") && !reply.starts_with("-NOPERM") &&
      !reply.starts_with("-ERR operation not permitted")) {
    co_return "Error reply to PING from master: '" + reply + "'";
  }
  Log(LogLevel::kNotice, "Master replied to PING, replication can continue...");
  if (!config.masterauth.empty()) {
    std::string auth = config.masteruser.empty()
                           ? EncodeCommand("AUTH", config.masterauth)
                           : EncodeCommand("AUTH", config.masteruser, config.masterauth);
    if (std::string error = co_await Ask(attempt, std::move(auth), &reply); !error.empty()) {
      co_return error;
    }
    if (reply.starts_with('-')) co_return "Unable to AUTH to MASTER: " + reply;
  }
  const int64_t port =
      config.replica_announce_port > 0 ? config.replica_announce_port : config.port;
  std::string announce = EncodeCommand("REPLCONF", "listening-port", std::to_string(port));
  if (!config.replica_announce_ip.empty()) {
    announce += EncodeCommand("REPLCONF", "ip-address", config.replica_announce_ip);
  }
  // Pipelined: one reply per REPLCONF, errors tolerated as Redis does (an old primary).
  const int replies = config.replica_announce_ip.empty() ? 1 : 2;
  if (std::string error = co_await Ask(attempt, std::move(announce), &reply); !error.empty()) {
    co_return error;
  }
  for (int i = 1; i < replies; ++i) {
    if (std::string error = co_await ReadLine(attempt, &reply); !error.empty()) co_return error;
  }
  std::string capa = EncodeCommand("REPLCONF", "capa", "eof", "capa", "psync2");
  if (std::string error = co_await Ask(attempt, std::move(capa), &reply); !error.empty()) {
    co_return error;
  }
  std::string psync;
  if (replication.history_valid()) {
    const std::string offset = std::to_string(replication.master_repl_offset() + 1);
    Log(LogLevel::kNotice, "Trying a partial resynchronization (request {}:{}).",
        replication.replid(), offset);
    psync = EncodeCommand("PSYNC", replication.replid(), offset);
  } else {
    Log(LogLevel::kNotice, "Partial resynchronization not possible (no cached master)");
    psync = EncodeCommand("PSYNC", "?", "-1");
  }
  co_return co_await Ask(attempt, std::move(psync), psync_reply);
}

asio::awaitable<std::string> PrimaryLink::Stream(Attempt& attempt) {
  ServerState& state = dispatcher_.server();
  ReplicationState& replication = state.replication();
  ClientState& client = attempt.client;
  client.id = state.NextClientId();
  client.created_ms = UnixMillis();
  client.last_interaction_ms = client.created_ms;
  client.obeys_log = true;
  client.is_primary_link = true;
  client.deny_blocking = true;
  client.db_index = replication.primary_stream_db;
  boost::system::error_code ec;
  client.address = EndpointText(attempt.socket.remote_endpoint(ec));
  client.local_address = EndpointText(attempt.socket.local_endpoint(ec));
  client.fd = static_cast<int>(attempt.socket.native_handle());
  client.kill = [this, &attempt] {
    boost::system::error_code ignored;
    attempt.socket.close(ignored);
  };
  state.RegisterClient(&client);
  attempt.registered = true;
  attempt.socket.non_blocking(true, ec);
  replication.set_has_primary_client(true);
  replication.set_primary_last_io_ms(UnixMillis());
  replication.set_link_state(PrimaryLinkState::kConnected, UnixMillis());
  replication.send_ack = [this, &attempt] { SendAck(attempt); };
  for (;;) {
    if (std::string error = ApplyBuffered(attempt); !error.empty()) co_return error;
    if (std::string error = co_await ReadMore(attempt); !error.empty()) co_return error;
  }
}

std::string PrimaryLink::ApplyBuffered(Attempt& attempt) {
  ServerState& state = dispatcher_.server();
  ReplicationState& replication = state.replication();
  storage::Keyspace& keyspace = state.keyspace();
  protocol::ReplyWriter writer(&attempt.replies);
  const int64_t now_ms = UnixMillis();  // one clock per batch, as a connection's
  attempt.prefetcher.Clear();
  size_t consumed = 0;
  std::string error;
  while (consumed < attempt.buffer.size()) {
    const std::string_view pending(attempt.buffer.data() + consumed,
                                   attempt.buffer.size() - consumed);
    const protocol::ParseResult result = attempt.parser.Parse(pending);
    if (result.status == protocol::ParseStatus::kNeedMore) break;
    if (result.status == protocol::ParseStatus::kError) {
      error = "Protocol error from MASTER: " + attempt.parser.error();
      break;
    }
    const std::string_view raw = pending.substr(0, result.consumed);
    consumed += result.consumed;
    bool getack = false;
    if (result.status == protocol::ParseStatus::kComplete) {
      const std::vector<std::string_view>& args = attempt.parser.Args();
      getack = args.size() >= 2 && EqualsIgnoreCase(args[0], "replconf") &&
               EqualsIgnoreCase(args[1], "getack");
      if (!getack) {
        const storage::Database& db = keyspace.db(attempt.client.db_index);
        const std::string_view rest = pending.substr(result.consumed);
        attempt.prefetcher.BeforeCommand(args, rest, db, attempt.parser.limits());
        // The primary decides when its keys expire: what it sends finds them alive.
        keyspace.set_expiry_suspended(true);
        dispatcher_.Execute(args, attempt.client, writer, now_ms);
        keyspace.set_expiry_suspended(false);
        replication.primary_stream_db = attempt.client.db_index;
        attempt.replies.clear();
      }
    }
    replication.FeedBytes(raw, state.wakeups());
    if (getack) SendAck(attempt);
  }
  attempt.buffer.erase(0, consumed);
  replication.set_read_offset(replication.master_repl_offset() +
                              static_cast<int64_t>(attempt.buffer.size()));
  state.wakeups().Deliver();
  return error;
}

void PrimaryLink::SendAck(Attempt& attempt) {
  const std::string offset =
      std::to_string(dispatcher_.server().replication().master_repl_offset());
  const std::string ack = EncodeCommand("REPLCONF", "ACK", offset);
  boost::system::error_code ignored;
  attempt.socket.write_some(asio::buffer(ack), ignored);
}

asio::awaitable<std::string> PrimaryLink::Ask(Attempt& attempt, std::string request,
                                              std::string* reply) {
  auto [error, n] = co_await asio::async_write(attempt.socket, asio::buffer(request), kUseTuple);
  if (error || !Current(attempt.generation))
    co_return "Error writing to MASTER: " + error.message();
  co_return co_await ReadLine(attempt, reply);
}

asio::awaitable<std::string> PrimaryLink::ReadLine(Attempt& attempt, std::string* line) {
  for (;;) {
    const size_t newline = attempt.buffer.find('\n');
    if (newline != std::string::npos) {
      size_t end = newline;
      if (end > 0 && attempt.buffer[end - 1] == '\r') --end;
      *line = attempt.buffer.substr(0, end);
      attempt.buffer.erase(0, newline + 1);
      if (!line->empty()) co_return "";
      continue;  // a keepalive newline
    }
    if (std::string error = co_await ReadMore(attempt); !error.empty()) co_return error;
  }
}

asio::awaitable<std::string> PrimaryLink::ReadMore(Attempt& attempt) {
  ArmDeadline(attempt);
  const size_t size = attempt.buffer.size();
  attempt.buffer.resize(size + kReadChunk);
  auto [error, n] = co_await attempt.socket.async_read_some(
      asio::buffer(attempt.buffer.data() + size, kReadChunk), kUseTuple);
  attempt.buffer.resize(size + n);
  if (!Current(attempt.generation)) co_return "The link to the primary was replaced";
  if (error == asio::error::operation_aborted) {
    co_return "MASTER timeout: no data nor PING received...";
  }
  if (error) co_return "Connection with master lost.";
  const int64_t now_ms = UnixMillis();
  ReplicationState& replication = dispatcher_.server().replication();
  replication.set_primary_last_io_ms(now_ms);
  replication.transfer_last_io_ms = now_ms;
  attempt.client.last_interaction_ms = now_ms;
  dispatcher_.server().stats().total_net_input_bytes += n;
  co_return "";
}

// repl-timeout: a silent primary (or one that stops accepting) ends the attempt.
void PrimaryLink::ArmDeadline(Attempt& attempt) {
  attempt.deadline.expires_after(std::chrono::seconds(dispatcher_.server().config().repl_timeout));
  attempt.deadline.async_wait([socket = &attempt.socket](const boost::system::error_code& error) {
    if (!error) socket->cancel();
  });
}

}  // namespace ember::server
