// Handlers of the connection family's own commands: PING, ECHO, QUIT, SELECT, HELLO (protocol
// negotiation, AUTH and SETNAME in one round trip), AUTH against `requirepass` (the
// `default` user) and RESET. CLIENT lives in client_command.cc.
#include "server/families/connection/connection_commands.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <span>

#include "protocol/redis_version.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/secret_compare.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

void ReplyHelloMap(CommandContext& ctx) {
  protocol::ReplyWriter& reply = ctx.reply;
  reply.MapHeader(7);
  reply.Bulk("server");
  reply.Bulk("redis");
  reply.Bulk("version");
  reply.Bulk(protocol::kCompatibleRedisVersion);
  reply.Bulk("proto");
  reply.Integer(ctx.client.protocol_version);
  reply.Bulk("id");
  reply.Integer(static_cast<int64_t>(ctx.client.id));
  reply.Bulk("mode");
  reply.Bulk("standalone");
  reply.Bulk("role");
  reply.Bulk(ctx.server.replication().is_replica() ? "replica" : "master");
  reply.Bulk("modules");
  reply.ArrayHeader(0);
}

void SetProtocol(CommandContext& ctx, int version) {
  ctx.client.protocol_version = version;
  ctx.reply.set_protocol_version(version);
}

}  // namespace

bool IsValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

bool CredentialsMatch(const ServerConfig& config, std::string_view user,
                      std::string_view password) {
  if (user != "default") return false;
  return config.requirepass.empty() || SecretEquals(password, config.requirepass);
}

// HELLO [protover [AUTH user pass] [SETNAME name]]: options are checked in order, then the
// credentials, then whether the client may proceed; only then do the name and the protocol
// change, so a failed HELLO changes nothing.
namespace {

void PingCommand(CommandContext& ctx) {
  if (ctx.args.size() > 2) {
    ctx.reply.Error(WrongArityError("ping"));
    return;
  }
  // A RESP2 client in pub/sub mode cannot tell a reply from a message unless the reply is
  // shaped like one: ["pong", argument or ""].
  if (ctx.client.pubsub_mode && ctx.client.protocol_version == 2) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    ctx.reply.Bulk(ctx.args.size() == 1 ? std::string_view() : ctx.args[1]);
    return;
  }
  if (ctx.args.size() == 1) {
    ctx.reply.SimpleString("PONG");
  } else {
    ctx.reply.Bulk(ctx.args[1]);
  }
}

void EchoCommand(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

void QuitCommand(CommandContext& ctx) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

void SelectCommand(CommandContext& ctx) {
  auto index = ArgToInt64(ctx.args[1]);
  if (!index) {
    ctx.reply.Error(kErrNotInteger);
    return;
  }
  if (*index < INT32_MIN || *index > INT32_MAX) {
    ctx.reply.Error(kErrNotInt32);
    return;
  }
  if (*index < 0 || *index >= ctx.keyspace().database_count()) {
    ctx.reply.Error(kErrDbIndexOutOfRange);
    return;
  }
  ctx.client.db_index = static_cast<int>(*index);
  ctx.reply.Ok();
}

void HelloCommand(CommandContext& ctx) {
  int version = 0;
  if (ctx.args.size() >= 2) {
    std::optional<int64_t> parsed = ArgToInt64(ctx.args[1]);
    if (!parsed) {
      ctx.reply.Error(kErrProtoNotInteger);
      return;
    }
    if (*parsed < 2 || *parsed > 3) {
      ctx.reply.Error(kErrNoProto);
      return;
    }
    version = static_cast<int>(*parsed);
  }
  std::optional<std::string_view> user, password, name;
  for (size_t j = 2; j < ctx.args.size(); ++j) {
    const size_t more = ctx.args.size() - 1 - j;
    if (EqualsIgnoreCase(ctx.args[j], "auth") && more >= 2) {
      user = ctx.args[j + 1];
      password = ctx.args[j + 2];
      j += 2;
    } else if (EqualsIgnoreCase(ctx.args[j], "setname") && more >= 1) {
      name = ctx.args[++j];
      if (!IsValidClientName(*name)) {
        ctx.reply.Error(kErrBadClientName);
        return;
      }
    } else {
      ctx.reply.Error(fmt::format("ERR Syntax error in HELLO option '{}'", ctx.args[j]));
      return;
    }
  }
  if (user) {
    if (!CredentialsMatch(ctx.server.config(), *user, *password)) {
      ctx.reply.Error(kErrWrongPass);
      return;
    }
    ctx.client.authenticated = true;
  }
  if (!ctx.client.authenticated) {
    ctx.reply.Error(kErrHelloNoAuth);
    return;
  }
  if (name) ctx.client.name = std::string(*name);
  if (version != 0) SetProtocol(ctx, version);
  ReplyHelloMap(ctx);
}

// AUTH [user] pass. A failed AUTH leaves an already authenticated client authenticated.
void AuthCommand(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  std::string_view user = "default";
  std::string_view password = ctx.args[1];
  if (ctx.args.size() == 3) {
    user = ctx.args[1];
    password = ctx.args[2];
  } else if (ctx.server.config().requirepass.empty()) {
    ctx.reply.Error(kErrAuthWithoutPassword);
    return;
  }
  if (!CredentialsMatch(ctx.server.config(), user, password)) {
    ctx.reply.Error(kErrWrongPass);
    return;
  }
  ctx.client.authenticated = true;
  ctx.reply.Ok();
}

// RESET: the connection as it was when it connected — no transaction or watched keys, no
// subscriptions, tracking or MONITOR, database 0, RESP2, no name, replies on, no-evict off, and
// logged out when a password is required.
void ResetCommand(CommandContext& ctx) {
  ClientState& client = ctx.client;
  client.transaction.EndMulti();
  ctx.server.watches().UnwatchAll(client);
  ctx.server.pubsub().UnsubscribeAll(client);
  ctx.server.tracking().Disable(client);
  ctx.server.monitors().Remove(client);
  client.db_index = 0;
  SetProtocol(ctx, 2);
  client.authenticated = ctx.server.config().requirepass.empty();
  client.name.clear();
  client.reply_mode = ReplyMode::kOn;
  client.no_evict = false;
  ctx.reply.SimpleString("RESET");
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ConnectionCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "ping", .arity = -1, .flags = kFast, .since = "1.0.0",
       .summary = "Checks that the server answers.", .handler = PingCommand},
      {.name = "echo", .arity = 2, .flags = kLoading | kStale | kFast, .since = "1.0.0",
       .summary = "Returns its argument.", .handler = EchoCommand},
      {.name = "quit", .arity = -1,
       .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, .since = "1.0.0",
       .summary = "Closes the connection.", .handler = QuitCommand},
      {.name = "select", .arity = 2, .flags = kLoading | kStale | kFast, .since = "1.0.0",
       .summary = "Selects the database of the connection.", .handler = SelectCommand},
      {.name = "hello", .arity = -1,
       .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, .since = "6.0.0",
       .summary = "Negotiates the protocol version, and optionally authenticates and names the connection.",
       .handler = HelloCommand},
      {.name = "auth", .arity = -2,
       .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, .since = "1.0.0",
       .summary = "Authenticates the connection.", .handler = AuthCommand},
      {.name = "reset", .arity = 1,
       .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, .since = "6.2.0",
       .summary = "Returns the connection to its initial state.", .handler = ResetCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
