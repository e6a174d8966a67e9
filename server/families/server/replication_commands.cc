// The replication commands a replica sends its primary — REPLCONF (what it announces and
// its acknowledgements), PSYNC and SYNC (the synchronization itself) — and ROLE. Their
// replies and errors are Redis 7.0's (replication.c); the stream and the snapshot live in
// server/replication/.
#include <fmt/format.h>

#include <span>
#include <string>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/families/connection/client_command.h"
#include "server/replication/replication_control.h"

namespace ember::server {
namespace {

// REPLCONF ACK: how far the replica has processed the stream. Never answered.
void Acknowledge(CommandContext& ctx, std::string_view offset_text) {
  ReplicationState& replication = ctx.server.replication();
  ReplicaLink* link = replication.FindReplica(ctx.client);
  if (link == nullptr || !ctx.client.is_replica) return;
  const std::optional<int64_t> offset = ArgToInt64(offset_text);
  if (!offset) return;
  link->ack_offset = std::max(link->ack_offset, *offset);
  link->ack_time_ms = ctx.now_ms;
  if (link->state == ReplicaSyncState::kWaitFirstAck) {
    replication.PutOnline(*link, ctx.server.wakeups(), ctx.now_ms);
    Log(LogLevel::kNotice, "Synchronization with replica {} succeeded", link->Name());
  }
  ServeReplicaWaiters(ctx.server);
}

void ReplconfCommand(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  ReplicationState& replication = ctx.server.replication();
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    const std::string_view option = ctx.args[i];
    const std::string_view value = ctx.args[i + 1];
    if (EqualsIgnoreCase(option, "ack")) {
      Acknowledge(ctx, value);
      return;
    }
    if (EqualsIgnoreCase(option, "getack")) return;  // a replica's business (its primary asks)
    ReplicaLink& link = replication.LinkFor(ctx.client, ctx.now_ms);
    if (EqualsIgnoreCase(option, "listening-port")) {
      const std::optional<int64_t> port = ArgToInt64(value);
      if (!port) {
        ctx.reply.Error(kErrNotInteger);
        return;
      }
      link.listening_port = *port;
    } else if (EqualsIgnoreCase(option, "ip-address")) {
      if (value.size() >= 256) {  // Redis's NET_HOST_STR_LEN: a host name may be announced
        ctx.reply.Error(fmt::format(
            "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
            value.size()));
        return;
      }
      link.announced_ip = std::string(value);
    } else if (EqualsIgnoreCase(option, "capa")) {
      if (EqualsIgnoreCase(value, "eof")) link.capa_eof = true;
      if (EqualsIgnoreCase(value, "psync2")) link.capa_psync2 = true;
    } else if (EqualsIgnoreCase(option, "rdb-only")) {
      const std::optional<int64_t> flag = ArgToInt64(value);
      if (!flag || *flag < 0 || *flag > 1) {
        ctx.reply.Error(flag ? "ERR value is out of range, value must between 0 and 1"
                             : std::string_view(kErrNotInteger));
        return;
      }
      link.rdb_only = *flag == 1;
    } else if (EqualsIgnoreCase(option, "rdb-filter-only")) {
      if (!value.empty() && !EqualsIgnoreCase(value, "functions")) {
        ctx.reply.Error(fmt::format("ERR Unsupported rdb-filter-only option: {}", value));
        return;
      }
    } else {
      ctx.reply.Error(fmt::format("ERR Unrecognized REPLCONF option: {}", option));
      return;
    }
  }
  ctx.reply.Ok();
}

// Redis's masterTryPartialResynchronization: true when the replica continues from the
// backlog ("+CONTINUE"), having been sent what it lacks.
bool TryPartialResync(CommandContext& ctx, ReplicaLink& link, std::string_view replid,
                      int64_t offset) {
  ReplicationState& replication = ctx.server.replication();
  const bool known_history = EqualsIgnoreCase(replid, replication.replid()) ||
                             (EqualsIgnoreCase(replid, replication.replid2()) &&
                              offset <= replication.second_replid_offset());
  if (!known_history) {
    if (replid == "?") {
      Log(LogLevel::kNotice, "Full resync requested by replica {}", link.Name());
    } else {
      Log(LogLevel::kNotice,
          "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for "
          "'{}', my replication IDs are '{}' and '{}')",
          replid, replication.replid(), replication.replid2());
    }
    return false;
  }
  const ReplicationBacklog* backlog = replication.backlog();
  if (backlog == nullptr || !backlog->Covers(offset)) {
    Log(LogLevel::kNotice,
        "Unable to partial resync with replica {} for lack of backlog (Replica request was: "
        "{}).",
        link.Name(), offset);
    return false;
  }
  ctx.client.is_replica = true;
  link.state = ReplicaSyncState::kOnline;
  link.ack_time_ms = ctx.now_ms;
  ctx.reply.Raw(link.capa_psync2 ? "+CONTINUE " + replication.replid() + "\r\n"
                                 : std::string("+CONTINUE\r\n"));
  const std::string missing = backlog->CopyFrom(offset);
  ctx.reply.Raw(missing);
  Log(LogLevel::kNotice,
      "Partial resynchronization request from {} accepted. Sending {} bytes of backlog "
      "starting from offset {}.",
      link.Name(), missing.size(), offset);
  return true;
}

// PSYNC <replid> <offset> | SYNC.
void SyncCommand(CommandContext& ctx) {
  ReplicationState& replication = ctx.server.replication();
  if (ctx.client.is_replica) return;  // a replica's repeated request is ignored
  if (replication.is_replica() && replication.link_state() != PrimaryLinkState::kConnected) {
    ctx.reply.Error("NOMASTERLINK Can't SYNC while not connected with my master");
    return;
  }
  const bool psync = EqualsIgnoreCase(ctx.args[0], "psync");
  int64_t offset = -1;
  if (psync) {
    const std::optional<int64_t> parsed = ArgToInt64(ctx.args[2]);
    if (!parsed) {
      ctx.reply.Error(kErrNotInteger);
      return;
    }
    offset = *parsed;
  }
  ReplicaLink& link = replication.LinkFor(ctx.client, ctx.now_ms);
  Log(LogLevel::kNotice, "Replica {} asks for synchronization", link.Name());
  if (psync) {
    if (TryPartialResync(ctx, link, ctx.args[1], offset)) {
      replication.stats().sync_partial_ok++;
      return;
    }
    if (ctx.args[1] != "?") replication.stats().sync_partial_err++;
  } else {
    link.pre_psync = true;
  }
  replication.stats().sync_full++;
  ctx.client.is_replica = true;
  link.state = ReplicaSyncState::kWaitSnapshotStart;
  link.wait_since_ms = ctx.now_ms;
  if (replication.backlog() == nullptr) {
    replication.CreateBacklog(static_cast<size_t>(ctx.server.config().repl_backlog_size));
    Log(LogLevel::kNotice, "Replication backlog created, my new replication IDs are '{}' and '{}'",
        replication.replid(), replication.replid2());
  }
  StartPendingFullSyncs(ctx.server, ctx.now_ms);
}

void RoleCommand(CommandContext& ctx) {
  const ReplicationState& replication = ctx.server.replication();
  if (replication.is_replica()) {
    ctx.reply.ArrayHeader(5);
    ctx.reply.Bulk("slave");
    ctx.reply.Bulk(replication.primary_host());
    ctx.reply.Integer(replication.primary_port());
    ctx.reply.Bulk(PrimaryLinkStateName(replication.link_state()));
    ctx.reply.Integer(replication.has_primary_client() ? replication.master_repl_offset() : -1);
    return;
  }
  int64_t online = 0;
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    online += link->state == ReplicaSyncState::kOnline ? 1 : 0;
  }
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk("master");
  ctx.reply.Integer(replication.master_repl_offset());
  ctx.reply.ArrayHeader(online);
  for (const std::unique_ptr<ReplicaLink>& link : replication.replicas()) {
    if (link->state != ReplicaSyncState::kOnline) continue;
    ctx.reply.ArrayHeader(3);
    ctx.reply.Bulk(link->Ip());
    ctx.reply.Bulk(std::to_string(link->listening_port));
    ctx.reply.Bulk(std::to_string(link->ack_offset));
  }
}

// REPLICAOF host port | REPLICAOF NO ONE (and its old name SLAVEOF).
void ReplicaofCommand(CommandContext& ctx) {
  ServerState& server = ctx.server;
  ReplicationState& replication = server.replication();
  std::string who = ClientInfoLine(ctx.client, ctx.now_ms);
  if (!who.empty() && who.back() == '\n') who.pop_back();
  if (EqualsIgnoreCase(ctx.args[1], "no") && EqualsIgnoreCase(ctx.args[2], "one")) {
    if (replication.is_replica()) {
      PromoteToPrimary(server, ctx.now_ms);
      Log(LogLevel::kNotice, "MASTER MODE enabled (user request from '{}')", who);
    }
    ctx.reply.Ok();
    return;
  }
  if (ctx.client.is_replica) {
    ctx.reply.Error("ERR Command is not valid when client is a replica.");
    return;
  }
  if (!server.can_replicate()) {
    ctx.reply.Error("ERR Replication needs a network server; this engine is embedded");
    return;
  }
  const std::optional<int64_t> port = ArgToInt64(ctx.args[2]);
  if (!port || *port < 0 || *port > 65535) {
    ctx.reply.Error("ERR Invalid master port");
    return;
  }
  if (replication.is_replica() && EqualsIgnoreCase(replication.primary_host(), ctx.args[1]) &&
      replication.primary_port() == *port) {
    Log(LogLevel::kNotice,
        "REPLICAOF would result into synchronization with the master we are already connected "
        "with. No operation performed.");
    ctx.reply.SimpleString("OK Already connected to specified master");
    return;
  }
  FollowPrimary(server, std::string(ctx.args[1]), static_cast<int>(*port), ctx.now_ms);
  Log(LogLevel::kNotice, "REPLICAOF {}:{} enabled (user request from '{}')",
      replication.primary_host(), replication.primary_port(), who);
  ctx.reply.Ok();
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ReplicationCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "replconf", .arity = -1,
       .flags = kAdmin | kNoScript | kLoading | kStale | kAllowBusy, .since = "3.0.0",
       .summary = "An internal command for configuring the replication stream.",
       .handler = ReplconfCommand},
      {.name = "psync", .arity = -3, .flags = kAdmin | kNoScript | kNoAsyncLoading | kNoMulti,
       .since = "2.8.0", .summary = "An internal command used in replication.",
       .handler = SyncCommand},
      {.name = "sync", .arity = 1, .flags = kAdmin | kNoScript | kNoAsyncLoading | kNoMulti,
       .since = "1.0.0", .summary = "An internal command used in replication.",
       .handler = SyncCommand},
      {.name = "replicaof", .arity = 3, .flags = kAdmin | kNoScript | kStale | kNoAsyncLoading,
       .since = "5.0.0",
       .summary = "Configures a server as replica of another, or promotes it to a master.",
       .handler = ReplicaofCommand},
      {.name = "slaveof", .arity = 3, .flags = kAdmin | kNoScript | kStale | kNoAsyncLoading,
       .since = "1.0.0",
       .summary = "Sets a Redis server as a replica of another, or promotes it to being a master.",
       .handler = ReplicaofCommand},
      {.name = "role", .arity = 1, .flags = kNoScript | kLoading | kStale | kFast,
       .since = "2.8.12", .summary = "Returns the replication role.", .handler = RoleCommand,
       .acl = kAclAdmin | kAclDangerous},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
