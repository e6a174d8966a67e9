// What blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, and the sorted-set
// forms) share: reading the timeout argument as Redis does, whether the client may block
// at all, and blocking it (server/core/blocked_clients.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/command_context.h"
#include "server/core/blocked_clients.h"

namespace ember::server {

// The timeout argument in seconds, decimals allowed, read as Redis's
// getTimeoutFromObjectOrReply reads it: the deadline in unix ms from `now_ms`, 0 for no
// timeout (0, or a value that rounds up to 0 ms such as -0.0001), or nullopt with `*error`
// set to Redis's text ("timeout is not a float or out of range", "timeout is negative";
// an infinite or overflowing value counts as negative, as Redis's conversion makes it).
std::optional<int64_t> ParseBlockingTimeout(std::string_view arg, int64_t now_ms,
                                            std::string_view* error);

// A timeout argument in whole milliseconds (XREAD BLOCK, WAIT, CLIENT PAUSE), as Redis's
// getTimeoutFromObjectOrReply reads one: nullopt with `*error` set to Redis's text ("timeout
// is not an integer or out of range", "timeout is negative").
std::optional<int64_t> ParseMillisecondsTimeout(std::string_view arg, std::string_view* error);

// Whether the client of `ctx` may block: it is a connection (it can be woken) and is not
// running EXEC's queue (or a script). Otherwise a blocking command answers as on timeout.
bool MayBlock(const CommandContext& ctx);

// Blocks the client of `ctx` on `keys` until `deadline_ms` (0: none), to be served by
// `serve` (see ServeBlocked). The command sends no reply now; the serve, the timeout or
// CLIENT UNBLOCK sends it later.
void BlockOnKeys(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
                 ServeBlocked serve);
// The same, with the request's arguments as the serve should see them instead of the
// command as sent (XREAD's "$" replaced by the ID it meant when the client blocked).
void BlockOnKeys(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
                 ServeBlocked serve, std::vector<std::string> request_args);

}  // namespace ember::server
