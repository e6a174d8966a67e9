// CONFIG GET: the settings clients and tools read at startup (redis-benchmark asks for
// `save` and `appendonly`). CONFIG SET / REWRITE / RESETSTAT arrive with the client
// compatibility work.
#include <string>
#include <utility>
#include <vector>

#include "server/commands/arg_parsing.h"
#include "server/commands/server_commands.h"
#include "server/server_state.h"
#include "storage/glob.h"

namespace ember::server {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ReadableSettings(const ServerConfig& c) {
  return {
      {"port", std::to_string(c.port)},
      {"bind", Join(c.bind)},
      {"hz", std::to_string(c.hz)},
      {"databases", std::to_string(c.databases)},
      {"loglevel", c.loglevel},
      {"logfile", c.logfile},
      {"dir", c.dir},
      {"dbfilename", c.dbfilename},
      {"requirepass", c.requirepass},
      {"maxclients", std::to_string(c.maxclients)},
      {"timeout", std::to_string(c.timeout)},
      {"tcp-keepalive", std::to_string(c.tcp_keepalive)},
      {"tcp-backlog", std::to_string(c.tcp_backlog)},
      {"proto-max-bulk-len", std::to_string(c.proto_max_bulk_len)},
      {"client-query-buffer-limit", std::to_string(c.client_query_buffer_limit)},
      {"protected-mode", c.protected_mode ? "yes" : "no"},
      {"active-expire-effort", std::to_string(c.active_expire_effort)},
      {"save", ""},
      {"appendonly", "no"},
      {"daemonize", "no"},
  };
}

void ConfigGet(CommandContext& ctx) {
  if (ctx.args.size() < 3) {
    ctx.reply.Error("ERR wrong number of arguments for 'config|get' command");
    return;
  }
  std::vector<std::pair<std::string, std::string>> matched;
  for (const auto& [name, value] : ReadableSettings(ctx.server.config())) {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      if (storage::GlobMatch(ctx.args[i], name, /*nocase=*/true)) {
        matched.emplace_back(name, value);
        break;
      }
    }
  }
  ctx.reply.MapHeader(static_cast<int64_t>(matched.size()));
  for (const auto& [name, value] : matched) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

}  // namespace

void ConfigCommand(CommandContext& ctx) {
  std::string_view sub = ctx.args[1];
  if (EqualsIgnoreCase(sub, "get")) {
    ConfigGet(ctx);
    return;
  }
  ctx.reply.Error("ERR unknown subcommand '" + std::string(sub) + "'. Try CONFIG HELP.");
}

}  // namespace ember::server
