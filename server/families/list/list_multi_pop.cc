#include "server/families/list/list_multi_pop.h"

#include <string>

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"
#include "server/families/list/list_end_arg.h"
#include "server/pubsub/keyspace_events.h"

namespace ember::server {

std::optional<MultiPopArgs> ParseMultiPop(CommandContext& ctx, size_t numkeys_at) {
  constexpr std::string_view kErrCount = "ERR count should be greater than 0";
  std::optional<int64_t> numkeys = ArgToInt64(ctx.args[numkeys_at]);
  if (!numkeys || *numkeys < 1) {
    ctx.reply.Error(kErrNumKeys);
    return std::nullopt;
  }
  const size_t keys_at = numkeys_at + 1;
  if (static_cast<uint64_t>(*numkeys) + keys_at >= ctx.args.size()) {
    ctx.reply.Error(kErrSyntax);
    return std::nullopt;
  }
  const size_t where_at = keys_at + static_cast<size_t>(*numkeys);
  const std::optional<storage::ListValue::End> end = ParseListEnd(ctx.args[where_at]);
  if (!end) {
    ctx.reply.Error(kErrSyntax);
    return std::nullopt;
  }
  int64_t count = -1;
  for (size_t i = where_at + 1; i < ctx.args.size(); ++i) {
    if (count == -1 && EqualsIgnoreCase(ctx.args[i], "count") && i + 1 < ctx.args.size()) {
      std::optional<int64_t> parsed = ArgToInt64(ctx.args[++i]);
      if (!parsed || *parsed < 1) {
        ctx.reply.Error(kErrCount);
        return std::nullopt;
      }
      count = *parsed;
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return MultiPopArgs{ctx.args.subspan(keys_at, static_cast<size_t>(*numkeys)), *end,
                      static_cast<uint64_t>(count == -1 ? 1 : count)};
}

void ReplyMultiPopped(CommandContext& ctx, storage::ListValue::End end,
                      const storage::MultiPopResult& popped) {
  ctx.MarkDirty(popped.elements.size());
  ctx.Notify(kNotifyList, PopEvent(end), popped.key);
  ctx.PropagateAs({end == storage::ListValue::End::kFront ? "LPOP" : "RPOP", popped.key,
                   std::to_string(popped.elements.size())});
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(popped.key);
  ctx.reply.ArrayHeader(static_cast<int64_t>(popped.elements.size()));
  for (const std::string& element : popped.elements) ctx.reply.Bulk(element);
}

}  // namespace ember::server
