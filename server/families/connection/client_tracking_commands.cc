// CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: client-side caching's commands, with
// Redis 7.0's option checks, in its order, and its error texts. The state they change lives
// in ClientState::tracking and TrackingRegistry (server/pubsub/tracking_registry.h).
#include <optional>
#include <string>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/connection/client_command.h"

namespace ember::server {
namespace {

struct TrackingRequest {
  TrackingOptions options;
  std::vector<std::string_view> prefixes;
};

// The options after ON/OFF, parsed as Redis does before it looks at ON/OFF; nullopt once an
// error reply is sent.
std::optional<TrackingRequest> ParseTrackingOptions(CommandContext& ctx) {
  TrackingRequest request;
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    const std::string_view arg = ctx.args[i];
    const bool has_value = i + 1 < ctx.args.size();
    if (EqualsIgnoreCase(arg, "redirect") && has_value) {
      if (request.options.redirect != 0) {
        ctx.reply.Error("ERR A client can only redirect to a single other client");
        return std::nullopt;
      }
      const std::optional<int64_t> id = ArgToInt64(ctx.args[++i]);
      if (!id) {
        ctx.reply.Error(kErrNotInteger);
        return std::nullopt;
      }
      if (!ctx.server.clients().contains(static_cast<uint64_t>(*id))) {
        ctx.reply.Error("ERR The client ID you want redirect to does not exist");
        return std::nullopt;
      }
      request.options.redirect = static_cast<uint64_t>(*id);
    } else if (EqualsIgnoreCase(arg, "bcast")) {
      request.options.bcast = true;
    } else if (EqualsIgnoreCase(arg, "optin")) {
      request.options.optin = true;
    } else if (EqualsIgnoreCase(arg, "optout")) {
      request.options.optout = true;
    } else if (EqualsIgnoreCase(arg, "noloop")) {
      request.options.noloop = true;
    } else if (EqualsIgnoreCase(arg, "prefix") && has_value) {
      request.prefixes.push_back(ctx.args[++i]);
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return request;
}

// Redis's compatibility checks for ON, in its order: "" or the error to reply.
std::string TrackingOnError(const ClientState& client, const TrackingRequest& request) {
  const TrackingOptions& options = request.options;
  const ClientTracking* current = client.tracking.get();
  if (!options.bcast && !request.prefixes.empty()) {
    return "ERR PREFIX option requires BCAST mode to be enabled";
  }
  if (current != nullptr && current->bcast != options.bcast) {
    return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
           "and then re-enabling it with a different mode.";
  }
  if (options.bcast && (options.optin || options.optout)) {
    return "ERR OPTIN and OPTOUT are not compatible with BCAST";
  }
  if (options.optin && options.optout) {
    return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  }
  if (current != nullptr &&
      ((options.optin && current->optout) || (options.optout && current->optin))) {
    return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
           "and then re-enabling it with a different mode.";
  }
  if (options.bcast) {
    std::string collision = TrackingRegistry::PrefixCollision(client, request.prefixes);
    if (!collision.empty()) return "ERR " + collision;
  }
  return "";
}

}  // namespace

void ClientTrackingCommand(CommandContext& ctx) {
  std::optional<TrackingRequest> request = ParseTrackingOptions(ctx);
  if (!request) return;
  if (EqualsIgnoreCase(ctx.args[2], "on")) {
    const std::string error = TrackingOnError(ctx.client, *request);
    if (!error.empty()) {
      ctx.reply.Error(error);
      return;
    }
    ctx.server.tracking().Enable(ctx.client, request->options, request->prefixes);
  } else if (EqualsIgnoreCase(ctx.args[2], "off")) {
    ctx.server.tracking().Disable(ctx.client);
  } else {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  ctx.reply.Ok();
}

void ClientCachingCommand(CommandContext& ctx) {
  ClientTracking* tracking = ctx.client.tracking.get();
  if (tracking == nullptr) {
    ctx.reply.Error(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled");
    return;
  }
  const std::string_view answer = ctx.args[2];
  if (EqualsIgnoreCase(answer, "yes")) {
    if (!tracking->optin) {
      ctx.reply.Error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
      return;
    }
  } else if (EqualsIgnoreCase(answer, "no")) {
    if (!tracking->optout) {
      ctx.reply.Error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
      return;
    }
  } else {
    ctx.reply.Error(kErrSyntax);
    return;
  }
  tracking->caching = true;
  ctx.reply.Ok();
}

// The redirection's id; 0 when tracking without one, -1 when not tracking.
void ClientGetRedirCommand(CommandContext& ctx) {
  const ClientTracking* tracking = ctx.client.tracking.get();
  ctx.reply.Integer(tracking == nullptr ? -1 : static_cast<int64_t>(tracking->redirect));
}

void ClientTrackingInfoCommand(CommandContext& ctx) {
  const ClientTracking* tracking = ctx.client.tracking.get();
  std::vector<std::string_view> flags = {tracking != nullptr ? "on" : "off"};
  if (tracking != nullptr) {
    if (tracking->bcast) flags.push_back("bcast");
    if (tracking->optin) flags.push_back("optin");
    if (tracking->optin && tracking->caching) flags.push_back("caching-yes");
    if (tracking->optout) flags.push_back("optout");
    if (tracking->optout && tracking->caching) flags.push_back("caching-no");
    if (tracking->noloop) flags.push_back("noloop");
    if (tracking->broken_redirect) flags.push_back("broken_redirect");
  }
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(static_cast<int64_t>(flags.size()));
  for (std::string_view flag : flags) ctx.reply.Bulk(flag);
  ctx.reply.Bulk("redirect");
  ctx.reply.Integer(tracking == nullptr ? -1 : static_cast<int64_t>(tracking->redirect));
  ctx.reply.Bulk("prefixes");
  const size_t prefix_count = tracking == nullptr ? 0 : tracking->prefixes.size();
  ctx.reply.ArrayHeader(static_cast<int64_t>(prefix_count));
  for (size_t i = 0; i < prefix_count; ++i) ctx.reply.Bulk(tracking->prefixes[i]);
}

}  // namespace ember::server
