#include "server/command/scan_args.h"

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"

namespace ember::server {

ScanArgs ParseScanArgs(std::span<const std::string_view> args, size_t first, bool allow_type) {
  ScanArgs parsed;
  for (size_t i = first; i < args.size(); i += 2) {
    const bool has_value = i + 1 < args.size();
    if (has_value && EqualsIgnoreCase(args[i], "count")) {
      std::optional<int64_t> n = ArgToInt64(args[i + 1]);
      if (!n || *n < 1) {
        parsed.error = n ? kErrSyntax : kErrNotInteger;
        return parsed;
      }
      parsed.count = *n;
    } else if (has_value && EqualsIgnoreCase(args[i], "match")) {
      parsed.pattern = args[i + 1];
      if (*parsed.pattern == "*") parsed.pattern.reset();
    } else if (has_value && allow_type && EqualsIgnoreCase(args[i], "type")) {
      parsed.type = args[i + 1];
    } else {
      parsed.error = kErrSyntax;
      return parsed;
    }
  }
  return parsed;
}

}  // namespace ember::server
