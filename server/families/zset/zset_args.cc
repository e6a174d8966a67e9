#include "server/families/zset/zset_args.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "server/pubsub/keyspace_events.h"

namespace ember::server {

std::optional<storage::ZScoreBound> ParseScoreBound(std::string_view arg) {
  storage::ZScoreBound bound{0};
  if (!arg.empty() && arg.front() == '(') {
    bound.exclusive = true;
    arg.remove_prefix(1);
  }
  // strtod reads a C string: what follows a NUL byte is never looked at.
  const std::string text(arg);
  char* end = nullptr;
  bound.value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || std::isnan(bound.value)) return std::nullopt;
  return bound;
}

std::optional<storage::ZLexBound> ParseLexBound(std::string_view arg) {
  using Kind = storage::ZLexBound::Kind;
  if (arg.empty()) return std::nullopt;
  switch (arg.front()) {
    case '+':
      if (arg.size() != 1 && arg[1] != '\0') return std::nullopt;
      return storage::ZLexBound{Kind::kPlusInfinity, {}};
    case '-':
      if (arg.size() != 1 && arg[1] != '\0') return std::nullopt;
      return storage::ZLexBound{Kind::kMinusInfinity, {}};
    case '(':
      return storage::ZLexBound{Kind::kExclusive, arg.substr(1)};
    case '[':
      return storage::ZLexBound{Kind::kInclusive, arg.substr(1)};
    default:
      return std::nullopt;
  }
}

void NotifyStored(CommandContext& ctx, const storage::ZStoreOutcome& stored) {
  if (stored.stored > 0) {
    ctx.Notify(kNotifyZSet, ctx.spec.name, ctx.args[1]);
  } else if (stored.replaced) {
    ctx.Notify(kNotifyGeneric, "del", ctx.args[1]);
  }
}

void ReplyScored(CommandContext& ctx, std::span<const storage::ScoredMember> entries,
                 bool with_scores) {
  const bool pairs = with_scores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(
      static_cast<int64_t>(with_scores && !pairs ? entries.size() * 2 : entries.size()));
  for (const auto& [member, score] : entries) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(member);
    if (with_scores) ctx.reply.Double(score);
  }
}

}  // namespace ember::server
