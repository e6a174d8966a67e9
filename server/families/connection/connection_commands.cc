#include "server/families/connection/connection_commands.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "server/core/client_state.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

// The version clients see in HELLO (and INFO): the Redis release whose behaviour Ember
// reproduces, since client libraries gate features on it.
constexpr std::string_view kRedisCompatibleVersion = "7.0.15";

// Compares without an early exit on the first difference, so response time does not leak
// how much of a guessed password was right.
bool SecretEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

void ReplyHelloMap(CommandContext& ctx) {
  protocol::ReplyWriter& reply = ctx.reply;
  reply.MapHeader(7);
  reply.Bulk("server");
  reply.Bulk("redis");
  reply.Bulk("version");
  reply.Bulk(kRedisCompatibleVersion);
  reply.Bulk("proto");
  reply.Integer(ctx.client.protocol_version);
  reply.Bulk("id");
  reply.Integer(static_cast<int64_t>(ctx.client.id));
  reply.Bulk("mode");
  reply.Bulk("standalone");
  reply.Bulk("role");
  reply.Bulk("master");
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

// RESET: the connection as it was when it connected — no transaction or watched keys,
// database 0, RESP2, no name, replies on, no-evict off, and logged out when a password
// is required.
void ResetCommand(CommandContext& ctx) {
  ClientState& client = ctx.client;
  client.transaction.EndMulti();
  ctx.server.watches().UnwatchAll(client);
  client.db_index = 0;
  SetProtocol(ctx, 2);
  client.authenticated = ctx.server.config().requirepass.empty();
  client.name.clear();
  client.reply_mode = ReplyMode::kOn;
  client.no_evict = false;
  ctx.reply.SimpleString("RESET");
}

}  // namespace ember::server
