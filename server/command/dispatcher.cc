#include "server/command/dispatcher.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "server/aof/aof_control.h"
#include "server/command/arg_parsing.h"
#include "server/command/call_recorder.h"
#include "server/command/command_context.h"
#include "server/command/command_keys.h"
#include "server/command/command_rejection.h"
#include "server/command/error_replies.h"
#include "server/command/protected_commands.h"
#include "server/command/reply_mute.h"
#include "server/command/secret_arguments.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/script_busy.h"

namespace ember::server {
namespace {

// Inside MULTI these run at once instead of being queued, as in Redis.
bool RunsInsideMulti(const CommandSpec& spec) {
  static constexpr std::string_view kImmediate[] = {"exec",  "discard", "multi",
                                                    "watch", "quit",    "reset"};
  for (std::string_view name : kImmediate) {
    if (spec.name == name) return true;
  }
  return false;
}

// What a RESP2 client in pub/sub mode may run: its replies must not be mistaken for
// messages (RESP3 has pushes, so it runs anything).
bool AllowedInPubSubMode(const CommandSpec& spec) {
  static constexpr std::string_view kAllowed[] = {"ping",         "subscribe",    "ssubscribe",
                                                  "unsubscribe",  "sunsubscribe", "psubscribe",
                                                  "punsubscribe", "quit",         "reset"};
  for (std::string_view name : kAllowed) {
    if (spec.name == name) return true;
  }
  return false;
}

// The running command's client, for NOLOOP tracking (ServerState::current_client); restores
// the previous one, so serving a blocked client inside a command leaves the command's own.
class CurrentClientScope {
 public:
  CurrentClientScope(ServerState& server, ClientState& client)
      : server_(server), previous_(server.current_client()) {
    server_.set_current_client(&client);
  }
  CurrentClientScope(const CurrentClientScope&) = delete;
  CurrentClientScope& operator=(const CurrentClientScope&) = delete;
  ~CurrentClientScope() { server_.set_current_client(previous_); }

 private:
  ServerState& server_;
  ClientState* previous_;
};

// CLIENT CACHING YES/NO holds for the next command only (the next transaction, when MULTI
// follows): Redis clears it after every command but CLIENT's, whatever the outcome, and not
// while a transaction queues.
class CachingHintExpiry {
 public:
  CachingHintExpiry(ClientState& client, std::string_view command)
      : client_(client), command_(command) {}
  CachingHintExpiry(const CachingHintExpiry&) = delete;
  CachingHintExpiry& operator=(const CachingHintExpiry&) = delete;
  ~CachingHintExpiry() {
    if (client_.tracking == nullptr || !client_.tracking->caching) return;
    if (!client_.transaction.in_multi && !EqualsIgnoreCase(command_, "client")) {
      client_.tracking->caching = false;
    }
  }

 private:
  ClientState& client_;
  std::string_view command_;
};

}  // namespace

// Redis 7.0 holds every command under PAUSE ALL, and under PAUSE WRITE those that may write
// (and an EXEC whose queue holds one). Unknown commands are not held: they fail at once.
bool Dispatcher::MustWait(std::span<const std::string_view> args, const ClientState& client,
                          int64_t now_ms) const {
  if (!server_.clients_paused(now_ms)) return false;
  const CommandSpec* spec = table_.Find(args[0]);
  if (spec == nullptr) return false;
  if (!server_.pause_writes_only()) return true;
  if ((spec->FlagsForCall(args, server_) & (kWrite | kMayReplicate)) != 0) return true;
  return spec->name == "exec" && client.transaction.QueuedWrites();
}

// Redis 7.0's processCommand: with maxmemory set, every command first lets eviction run;
// if memory is still over the limit, commands that may grow it (denyoom, or an EXEC whose
// queue holds one) are refused, and so is anything queued inside MULTI, since queuing
// itself consumes memory (EXEC, DISCARD, QUIT and RESET always pass). Reads keep working.
// No eviction while the dataset loads.
bool Dispatcher::RefusedForMemory(protocol::ReplyWriter& reply, ClientState& client,
                                  const CommandSpec* spec, std::span<const std::string_view> args,
                                  int64_t now_ms) {
  if (server_.config().maxmemory <= 0 || server_.persistence().loading) return false;
  if (client.obeys_log) return false;  // a primary's stream is applied whatever the memory
  if (server_.script_runtime().busy()) return false;  // no eviction under a running script
  if (server_.EvictIfNeeded(now_ms) != storage::EvictionResult::kFail) return false;
  bool refuse = (spec->FlagsForCall(args, server_) & kDenyOom) != 0;
  if (spec->name == "exec") {
    for (const QueuedCommand& queued : client.transaction.queue) {
      refuse = refuse || (queued.flags & kDenyOom) != 0;
    }
  } else if (client.transaction.in_multi && spec->name != "discard" && spec->name != "quit" &&
             spec->name != "reset") {
    refuse = true;
  }
  if (refuse) RejectCommand(server_, client, reply, spec, kErrOom);
  return refuse;
}

// The command's flags are looked at only once a disk error is known: a script's need a
// lookup of the script.
bool Dispatcher::RefusedForDiskError(protocol::ReplyWriter& reply, ClientState& client,
                                     const CommandSpec* spec,
                                     std::span<const std::string_view> args) {
  if (!spec->has_flag(kWrite) && spec->flags_for_call == nullptr && spec->name != "ping") {
    return false;
  }
  if (client.obeys_log) return false;
  // Redis refuses PING too under MISCONF, so health checks notice the failing disk.
  const auto refused_if_writes = [&] {
    return spec->name == "ping" || (spec->FlagsForCall(args, server_) & kWrite) != 0;
  };
  if (WritesRefusedByDiskError(server_) && refused_if_writes()) {
    RejectCommand(server_, client, reply, spec, kErrMisconf);
    return true;
  }
  std::string aof_error;
  if (WritesRefusedByAofError(server_, &aof_error) && refused_if_writes()) {
    RejectCommand(server_, client, reply, spec, aof_error);
    return true;
  }
  return false;
}

void Dispatcher::Execute(std::span<const std::string_view> args, ClientState& client,
                         protocol::ReplyWriter& reply, int64_t now_ms) {
  // The delivery point: declared first, so output this command produced for other clients
  // (and pushes to itself) goes out once its reply is final (server/core/wake_queue.h).
  WakeQueue::CommandScope delivery(server_.wakeups());
  server_.stats().total_commands_processed++;
  client.commands_processed++;
  client.last_interaction_ms = now_ms;
  ReplyMuteGuard mute(client, *reply.buffer());
  CallRecorder recorder(table_, server_, client, args, reply, now_ms);
  CurrentClientScope current(server_, client);
  CachingHintExpiry caching_hint(client, args[0]);
  if (server_.tracking().tracking_clients() > 0) {
    server_.tracking().LimitKeys(server_.config().tracking_table_max_keys);
  }

  const CommandSpec* spec = table_.Find(args[0]);
  if (spec == nullptr) {
    RejectCommand(server_, client, reply, nullptr, UnknownCommandError(args[0], args.subspan(1)));
    return;
  }
  if (!spec->subcommands.empty() && args.size() >= 2) {
    const CommandSpec* sub = CommandTable::FindSubcommand(*spec, args[1]);
    if (sub == nullptr) {
      RejectCommand(server_, client, reply, nullptr, UnknownSubcommandError(spec->name, args[1]));
      return;
    }
    spec = sub;
  }
  recorder.set_spec(spec);
  if (!spec->ArityAccepts(static_cast<int>(args.size()))) {
    RejectCommand(server_, client, reply, spec, WrongArityError(spec->name));
    return;
  }
  if (spec->has_flag(kProtected) && !ProtectedCommandAllowed(server_.config(), client)) {
    RejectCommand(server_, client, reply, spec, kErrDebugNotAllowed);
    return;
  }
  if (!client.authenticated && !spec->has_flag(kNoAuth)) {
    RejectCommand(server_, client, reply, spec, kErrNoAuth);
    return;
  }
  if (RefusedForMemory(reply, client, spec, args, now_ms)) return;
  if (RefusedForDiskError(reply, client, spec, args)) return;
  if (RefusedByReplication(reply, client, spec, args, now_ms)) return;
  if (client.pubsub_mode && client.protocol_version == 2 && !AllowedInPubSubMode(*spec)) {
    RejectCommand(
        server_, client, reply, spec,
        fmt::format("ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                    "QUIT / RESET are allowed in this context",
                    spec->name));
    return;
  }
  if (server_.persistence().loading && !spec->has_flag(kLoading)) {
    RejectCommand(server_, client, reply, spec, kErrLoading);
    return;
  }
  // A script running past busy-reply-threshold serves the loop from inside itself
  // (server/scripting/script_busy.h): only allow-busy commands run meanwhile.
  if (server_.script_runtime().busy() && !spec->has_flag(kAllowBusy)) {
    RejectCommand(server_, client, reply, spec, scripting::BusyError(server_.script_runtime()));
    return;
  }
  // Redis's monitors are replicas: they may not touch the keyspace.
  if (client.monitor &&
      (spec->FlagsForCall(args, server_) & (kWrite | kReadOnly | kMayReplicate))) {
    RejectCommand(server_, client, reply, spec, "ERR Replica can't interact with the keyspace");
    return;
  }
  if (client.transaction.in_multi && !RunsInsideMulti(*spec)) {
    if (spec->has_flag(kNoMulti)) {
      RejectCommand(server_, client, reply, spec, kErrNotAllowedInMulti);
    } else {
      client.transaction.Queue(*spec, args, spec->FlagsForCall(args, server_));
      reply.SimpleString("QUEUED");
    }
    return;
  }

  recorder.Start();
  const int64_t offset_before = server_.replication().master_repl_offset();
  Run(*spec, args, client, reply, now_ms);
  recorder.Finish();
  if (server_.replication().master_repl_offset() != offset_before) {
    client.repl_write_offset = server_.replication().master_repl_offset();
  }
  ServeBlockedClients(now_ms);
}

void Dispatcher::Run(const CommandSpec& spec, std::span<const std::string_view> args,
                     ClientState& client, protocol::ReplyWriter& reply, int64_t now_ms) {
  const int db_index = client.db_index;
  client.last_command = spec.name;
  server_.watches().set_now_ms(now_ms);
  // No access stamps while a fork child shares the pages (copy-on-write).
  server_.keyspace().set_access_suspended(server_.HasActiveChild());
  CommandContext ctx(args, spec, reply, client, server_, now_ms);
  ctx.dispatcher = this;
  // Redis's call() feeds MONITOR after the command, with the database it left selected; the
  // skip-monitor commands (EVAL, EVALSHA, FCALL) feed themselves first, so that the lines of
  // their script's calls follow theirs.
  const bool monitored_first = spec.has_flag(kSkipMonitor);
  if (monitored_first) FeedMonitors(spec, args, client);
  spec.handler(ctx);
  server_.notifier().ReleaseHeld();
  PropagateEffects(ctx, db_index);
  if (!monitored_first) FeedMonitors(spec, args, client);
  if (server_.replication().is_replica() && !client.obeys_log && spec.has_flag(kWrite)) {
    RememberLocalExpires(spec, args, client);
  }
  // A script command's flags come from its script (flags_for_call): it remembers keys when
  // the script runs a read, in CallFromScript, as Redis's call() does.
  if (client.tracking != nullptr && spec.has_flag(kReadOnly) && spec.flags_for_call == nullptr) {
    RememberReadKeys(spec, args, client);
  }
}

// Redis's trackingRememberKeys: the keys a read named, whether or not they exist; shard
// channels (SSUBSCRIBE's "keys") are not keys to cache.
void Dispatcher::RememberReadKeys(const CommandSpec& spec, std::span<const std::string_view> args,
                                  const ClientState& client) {
  if (!TrackingRegistry::RemembersReads(client) || spec.has_flag(kPubSub)) return;
  std::vector<size_t> positions;
  KeyPositionsOf(spec, table_.FindDocs(spec.name), args, &positions);
  for (size_t pos : positions) server_.tracking().RememberKey(client, args[pos]);
}

// Administrative commands are never shown (Redis: "too dangerous"), nor what the loading of
// an AOF replays.
void Dispatcher::FeedMonitors(const CommandSpec& spec, std::span<const std::string_view> args,
                              const ClientState& client) {
  MonitorFeed& monitors = server_.monitors();
  if (monitors.empty() || spec.has_flag(kAdmin) || server_.persistence().loading) return;
  std::vector<std::string_view> redacted;
  monitors.Feed(client, client.db_index, ShownArguments(args, redacted));
}

void Dispatcher::PropagateEffects(const CommandContext& ctx, int db_index) {
  if (!ctx.must_propagate()) return;
  if (ctx.propagates_effects()) {
    server_.BeginPropagationBlock();
    uint64_t changes = ctx.dirty();
    for (const std::vector<std::string>& effect : ctx.effects()) {
      const std::vector<std::string_view> argv(effect.begin(), effect.end());
      server_.Propagate(db_index, argv, changes);
      changes = 0;  // the command's changes count once
    }
    server_.EndPropagationBlock();
    server_.CountChanges(changes);
    return;
  }
  if (ctx.propagate_as().empty()) {
    server_.Propagate(db_index, ctx.args, ctx.dirty());
  } else {
    std::vector<std::string_view> rewritten(ctx.propagate_as().begin(), ctx.propagate_as().end());
    server_.Propagate(db_index, rewritten, ctx.dirty());
  }
}

// Redis 7.0's handleClientsBlockedOnKeys. The waiters are a copy taken per key: a waiter
// served through another key meanwhile has no request any more and is skipped.
void Dispatcher::ServeBlockedClients(int64_t now_ms) {
  BlockedClients& blocked = server_.blocked_clients();
  while (std::optional<BlockedClients::ReadyKey> ready = blocked.TakeReady()) {
    for (ClientState* receiver : blocked.WaitersOn(ready->db, ready->key)) {
      const BlockRequest* request = blocked.RequestOf(*receiver);
      if (request != nullptr) ServeBlocked(*receiver, *request, ready->key, now_ms);
    }
  }
}

// The receiver's reply is rendered for its protocol and posted to its outbox; its pop is
// propagated (as the non-blocking command its ServeBlocked names) before its wait ends,
// since the request owns the arguments the propagation reads.
bool Dispatcher::ServeBlocked(ClientState& receiver, const BlockRequest& request,
                              std::string_view key, int64_t now_ms) {
  std::string reply_bytes;
  protocol::ReplyWriter writer(&reply_bytes, receiver.protocol_version);
  const std::vector<std::string_view> args(request.args.begin(), request.args.end());
  server_.watches().set_now_ms(now_ms);
  CurrentClientScope current(server_, receiver);
  CommandContext ctx(args, *request.spec, writer, receiver, server_, now_ms);
  ctx.dispatcher = this;
  const bool served = request.serve(ctx, key);
  server_.notifier().ReleaseHeld();
  if (!served) return false;
  PropagateEffects(ctx, receiver.db_index);
  server_.blocked_clients().Unblock(receiver);
  if (receiver.reply_mode != ReplyMode::kOff) server_.wakeups().PostBytes(receiver, reply_bytes);
  return true;
}

}  // namespace ember::server
