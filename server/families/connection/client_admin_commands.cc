// CLIENT subcommands that look at or act on every connection: INFO, LIST, KILL, PAUSE,
// UNPAUSE (declared in client_command.h).
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "server/command/arg_parser.h"
#include "server/command/arg_parsing.h"
#include "server/command/blocking.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/connection/client_command.h"

namespace ember::server {
namespace {

// Redis's client flag letters that apply to Ember's connections, in Redis's order.
std::string FlagLetters(const ClientState& client) {
  std::string flags;
  if (client.monitor) flags += 'O';
  if (client.is_replica) flags += 'S';
  if (client.is_primary_link) flags += 'M';
  if (client.pubsub_mode) flags += 'P';
  if (client.transaction.in_multi) flags += 'x';
  if (client.blocked || client.blocked_on_keys) flags += 'b';
  if (client.tracking != nullptr) flags += 't';
  if (client.tracking != nullptr && client.tracking->broken_redirect) flags += 'R';
  if (client.tracking != nullptr && client.tracking->bcast) flags += 'B';
  if (client.transaction.watch_dirty) flags += 'd';
  if (client.close_after_reply) flags += 'c';
  if (client.no_evict) flags += 'e';
  if (client.no_touch) flags += 'T';
  return flags.empty() ? "N" : flags;
}

// Connections in the order they were accepted (ids grow), leaving out those being closed
// by CLIENT KILL, except `self`.
std::vector<const ClientState*> ListedClients(const ServerState& server, const ClientState& self) {
  std::vector<const ClientState*> clients;
  for (const auto& [id, client] : server.clients()) {
    if (client == &self || !client->close_after_reply) clients.push_back(client);
  }
  std::sort(clients.begin(), clients.end(),
            [](const ClientState* a, const ClientState* b) { return a->id < b->id; });
  return clients;
}

// Redis's client types.
enum class ClientType { kNormal, kReplica, kPubSub, kMaster };

std::optional<ClientType> ParseClientType(std::string_view name) {
  if (EqualsIgnoreCase(name, "normal")) return ClientType::kNormal;
  if (EqualsIgnoreCase(name, "replica") || EqualsIgnoreCase(name, "slave")) {
    return ClientType::kReplica;
  }
  if (EqualsIgnoreCase(name, "pubsub")) return ClientType::kPubSub;
  if (EqualsIgnoreCase(name, "master")) return ClientType::kMaster;
  return std::nullopt;
}

ClientType TypeOf(const ClientState& client) {
  if (client.is_primary_link) return ClientType::kMaster;
  if (client.is_replica) return ClientType::kReplica;
  return client.pubsub_mode ? ClientType::kPubSub : ClientType::kNormal;
}

std::string UnknownClientTypeError(std::string_view name) {
  return fmt::format("ERR Unknown client type '{}'", name);
}

void ReplySubcommandSyntax(CommandContext& ctx) {
  ctx.reply.Error(SubcommandSyntaxError("CLIENT", ctx.args[1]));
}

struct KillFilter {
  std::optional<uint64_t> id;
  std::optional<std::string_view> address;
  std::optional<std::string_view> local_address;
  std::optional<ClientType> type;
  bool skip_me = true;

  bool Matches(const ClientState& client, const ClientState& self) const {
    if ((type && TypeOf(client) != *type) || (skip_me && &client == &self)) return false;
    if (id && client.id != *id) return false;
    if (address && client.address != *address) return false;
    return !local_address || client.local_address == *local_address;
  }
};

// CLIENT KILL <option> <value> ...; replies the error and returns nullopt when malformed.
std::optional<KillFilter> ParseKillFilter(CommandContext& ctx) {
  KillFilter filter;
  ArgParser parser(ctx.args, 2);
  while (parser.HasNext()) {
    if (std::optional<std::string_view> id = parser.Value("id")) {
      std::optional<int64_t> number = ArgToInt64(*id);
      if (!number || *number < 1) {
        parser.Fail(kErrClientIdNotPositive);
      } else {
        filter.id = static_cast<uint64_t>(*number);
      }
    } else if (std::optional<std::string_view> type = parser.Value("type")) {
      filter.type = ParseClientType(*type);
      if (!filter.type) parser.Fail(UnknownClientTypeError(*type));
    } else if (std::optional<std::string_view> address = parser.Value("addr")) {
      filter.address = *address;
    } else if (std::optional<std::string_view> local = parser.Value("laddr")) {
      filter.local_address = *local;
    } else if (std::optional<std::string_view> user = parser.Value("user")) {
      if (*user != "default") parser.Fail(fmt::format("ERR No such user '{}'", *user));
    } else if (std::optional<std::string_view> skip = parser.Value("skipme")) {
      if (EqualsIgnoreCase(*skip, "yes") || EqualsIgnoreCase(*skip, "no")) {
        filter.skip_me = EqualsIgnoreCase(*skip, "yes");
      } else {
        parser.Fail(kErrSyntax);
      }
    } else {
      parser.Fail(kErrSyntax);
    }
  }
  if (parser.ok()) return filter;
  ctx.reply.Error(parser.error());
  return std::nullopt;
}

// The caller's own connection closes after this reply; any other closes now.
void Kill(CommandContext& ctx, ClientState& client) {
  client.close_after_reply = true;
  if (&client != &ctx.client && client.kill) client.kill();
}

}  // namespace

std::string ClientInfoLine(const ClientState& client, int64_t now_ms) {
  const int64_t age = std::max<int64_t>(0, (now_ms - client.created_ms) / 1000);
  const int64_t idle = std::max<int64_t>(0, (now_ms - client.last_interaction_ms) / 1000);
  const ClientSubscriptions* subs = client.subscriptions.get();
  const int64_t multi =
      client.transaction.in_multi ? static_cast<int64_t>(client.transaction.queue.size()) : -1;
  std::string line = fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 "
      "tot-mem={} events=r cmd={} user=default redir={} resp={}",
      client.id, client.address, client.local_address, client.fd, client.name, age, idle,
      FlagLetters(client), client.db_index, subs ? subs->channels.size() : 0,
      subs ? subs->patterns.size() : 0, subs ? subs->shard_channels.size() : 0, multi,
      sizeof(ClientState) + 1024, client.last_command,
      client.tracking ? static_cast<int64_t>(client.tracking->redirect) : -1,
      client.protocol_version);
  // Redis 7.2 adds these fields; they appear only for clients that used CLIENT SETINFO (a
  // 7.2 command), so tools written for 7.0 see 7.0's line.
  if (!client.lib_name.empty() || !client.lib_ver.empty()) {
    line += fmt::format(" lib-name={} lib-ver={}", client.lib_name, client.lib_ver);
  }
  line += '\n';
  return line;
}

void ClientInfoCommand(CommandContext& ctx) {
  ctx.reply.Verbatim("txt", ClientInfoLine(ctx.client, ctx.now_ms));
}

// CLIENT LIST [TYPE type] | [ID id ...]
void ClientListCommand(CommandContext& ctx) {
  const size_t argc = ctx.args.size();
  std::vector<const ClientState*> clients = ListedClients(ctx.server, ctx.client);
  std::string text;
  if (argc == 2) {
    for (const ClientState* client : clients) text += ClientInfoLine(*client, ctx.now_ms);
  } else if (argc == 4 && EqualsIgnoreCase(ctx.args[2], "type")) {
    std::optional<ClientType> type = ParseClientType(ctx.args[3]);
    if (!type) return ctx.reply.Error(UnknownClientTypeError(ctx.args[3]));
    for (const ClientState* client : clients) {
      if (TypeOf(*client) == *type) text += ClientInfoLine(*client, ctx.now_ms);
    }
  } else if (argc > 3 && EqualsIgnoreCase(ctx.args[2], "id")) {
    std::vector<int64_t> ids;
    for (size_t i = 3; i < argc; ++i) {
      std::optional<int64_t> id = ArgToInt64(ctx.args[i]);
      if (!id) {
        ctx.reply.Error(kErrInvalidClientId);
        return;
      }
      ids.push_back(*id);
    }
    for (int64_t id : ids) {
      for (const ClientState* client : clients) {
        if (static_cast<int64_t>(client->id) == id) text += ClientInfoLine(*client, ctx.now_ms);
      }
    }
  } else {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  ctx.reply.Verbatim("txt", text);
}

// CLIENT KILL ip:port (the old form: an error when nobody matches) or CLIENT KILL with
// filters (replies how many connections it closed).
void ClientKillCommand(CommandContext& ctx) {
  std::vector<ClientState*> victims;
  if (ctx.args.size() == 3) {
    for (const auto& [id, client] : ctx.server.clients()) {
      if (client->address == ctx.args[2] && !client->close_after_reply) victims.push_back(client);
    }
    if (victims.empty()) {
      ctx.reply.Error(kErrNoSuchClient);
      return;
    }
    Kill(ctx, *victims.front());
    ctx.reply.Ok();
    return;
  }
  std::optional<KillFilter> filter = ParseKillFilter(ctx);
  if (!filter) return;
  for (const auto& [id, client] : ctx.server.clients()) {
    if (!client->close_after_reply && filter->Matches(*client, ctx.client)) {
      victims.push_back(client);
    }
  }
  for (ClientState* victim : victims) Kill(ctx, *victim);
  ctx.reply.Integer(static_cast<int64_t>(victims.size()));
}

// CLIENT PAUSE timeout-ms [WRITE|ALL]
void ClientPauseCommand(CommandContext& ctx) {
  if (ctx.args.size() > 4) {
    ReplySubcommandSyntax(ctx);
    return;
  }
  std::string_view error;
  const std::optional<int64_t> timeout = ParseMillisecondsTimeout(ctx.args[2], &error);
  if (!timeout) {
    ctx.reply.Error(error);
    return;
  }
  bool writes_only = false;
  if (ctx.args.size() == 4) {
    if (EqualsIgnoreCase(ctx.args[3], "write")) {
      writes_only = true;
    } else if (!EqualsIgnoreCase(ctx.args[3], "all")) {
      ctx.reply.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  const int64_t end_ms = *timeout > std::numeric_limits<int64_t>::max() - ctx.now_ms
                             ? std::numeric_limits<int64_t>::max()
                             : ctx.now_ms + *timeout;
  ctx.server.PauseClients(ctx.now_ms, end_ms, writes_only);
  ctx.reply.Ok();
}

void ClientUnpauseCommand(CommandContext& ctx) {
  ctx.server.UnpauseClients();
  ctx.reply.Ok();
}

}  // namespace ember::server
