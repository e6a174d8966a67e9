#include "server/command/blocking.h"

#include <cmath>
#include <limits>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/server_state.h"
#include "storage/value/number_format.h"

namespace ember::server {

std::optional<int64_t> ParseBlockingTimeout(std::string_view arg, int64_t now_ms,
                                            std::string_view* error) {
  const std::optional<long double> seconds = storage::ParseLongDouble(arg);
  if (!seconds) {
    *error = "ERR timeout is not a float or out of range";
    return std::nullopt;
  }
  // Redis converts ceil(seconds * 1000) to a long long; on x86-64 an infinite or too large
  // value converts to the most negative one, hence "negative".
  const long double ms = std::ceil(*seconds * 1000.0L);
  constexpr long double kLimit = 9223372036854775808.0L;  // 2^63
  if (!std::isfinite(ms) || ms >= kLimit || ms < 0) {
    *error = "ERR timeout is negative";
    return std::nullopt;
  }
  const auto timeout_ms = static_cast<int64_t>(ms);
  if (timeout_ms == 0) return 0;
  // A deadline past what the clock can reach never comes (Redis's sum wraps to a value its
  // timeout table never reaches, too).
  if (timeout_ms > std::numeric_limits<int64_t>::max() - now_ms) {
    return std::numeric_limits<int64_t>::max();
  }
  return now_ms + timeout_ms;
}

std::optional<int64_t> ParseMillisecondsTimeout(std::string_view arg, std::string_view* error) {
  const std::optional<int64_t> timeout = storage::ParseInt64(arg);
  if (!timeout) {
    *error = "ERR timeout is not an integer or out of range";
  } else if (*timeout < 0) {
    *error = "ERR timeout is negative";
    return std::nullopt;
  }
  return timeout;
}

bool MayBlock(const CommandContext& ctx) {
  return static_cast<bool>(ctx.client.wake) && !ctx.client.deny_blocking;
}

void BlockOnKeys(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
                 ServeBlocked serve) {
  BlockOnKeys(ctx, keys, deadline_ms, serve,
              std::vector<std::string>(ctx.args.begin(), ctx.args.end()));
}

void BlockOnKeys(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
                 ServeBlocked serve, std::vector<std::string> request_args) {
  BlockRequest request;
  request.spec = &ctx.spec;
  request.args = std::move(request_args);
  request.keys.assign(keys.begin(), keys.end());
  request.deadline_ms = deadline_ms;
  request.serve = serve;
  ctx.server.blocked_clients().Block(ctx.client, std::move(request));
}

}  // namespace ember::server
