// COMMAND, COMMAND COUNT / INFO / LIST / DOCS: generated from the command table, in the
// shapes Redis 7.0 uses (clients such as redis-cli and cluster-aware libraries read them).
#include "server/command.h"

#include <string>
#include <vector>

#include "server/command_table.h"
#include "server/commands/arg_parsing.h"
#include "server/commands/server_commands.h"
#include "server/error_replies.h"

namespace ember::server {
namespace {

struct FlagName {
  CommandFlag flag;
  std::string_view name;
};

constexpr FlagName kFlagNames[] = {
    {kWrite, "write"},     {kReadOnly, "readonly"},    {kDenyOom, "denyoom"},
    {kAdmin, "admin"},     {kPubSub, "pubsub"},        {kNoScript, "noscript"},
    {kLoading, "loading"}, {kStale, "stale"},          {kFast, "fast"},
    {kNoAuth, "no_auth"},  {kAllowBusy, "allow_busy"}, {kNoMulti, "no_multi"},
};

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    if (!word.empty()) words.push_back(word);
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

void ReplyInfo(protocol::ReplyWriter& reply, const CommandSpec& spec) {
  reply.ArrayHeader(10);
  reply.Bulk(spec.name);
  reply.Integer(spec.arity);
  int flag_count = 0;
  for (const auto& f : kFlagNames) flag_count += spec.has_flag(f.flag) ? 1 : 0;
  reply.SetHeader(flag_count);
  for (const auto& f : kFlagNames) {
    if (spec.has_flag(f.flag)) reply.SimpleString(f.name);
  }
  reply.Integer(spec.keys.first);
  reply.Integer(spec.keys.last);
  reply.Integer(spec.keys.step);
  auto categories = SplitWords(spec.acl_categories);
  reply.SetHeader(static_cast<int64_t>(categories.size()));
  for (auto category : categories) reply.SimpleString(category);
  reply.ArrayHeader(0);  // tips
  reply.ArrayHeader(0);  // key specifications
  reply.ArrayHeader(0);  // subcommands
}

void ReplyDocs(protocol::ReplyWriter& reply, const CommandSpec& spec) {
  reply.Bulk(spec.name);
  reply.MapHeader(3);
  reply.Bulk("summary");
  reply.Bulk(spec.summary);
  reply.Bulk("since");
  reply.Bulk(spec.since);
  reply.Bulk("group");
  reply.Bulk(spec.group);
}

// The rows named by args[from...], or every row when none is named. Unknown names give
// nullptr entries (INFO replies nil for them; DOCS skips them).
std::vector<const CommandSpec*> Selected(CommandContext& ctx, size_t from) {
  const CommandTable& table = CommandTable::Default();
  std::vector<const CommandSpec*> rows;
  if (ctx.args.size() <= from) {
    for (const auto& row : table.rows()) rows.push_back(&row);
  } else {
    for (size_t i = from; i < ctx.args.size(); ++i) rows.push_back(table.Find(ctx.args[i]));
  }
  return rows;
}

}  // namespace

void CommandCommand(CommandContext& ctx) {
  const CommandTable& table = CommandTable::Default();
  if (ctx.args.size() == 1) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(table.rows().size()));
    for (const auto& row : table.rows()) ReplyInfo(ctx.reply, row);
    return;
  }
  std::string_view sub = ctx.args[1];
  if (EqualsIgnoreCase(sub, "count") && ctx.args.size() == 2) {
    ctx.reply.Integer(static_cast<int64_t>(table.rows().size()));
  } else if (EqualsIgnoreCase(sub, "info")) {
    auto rows = Selected(ctx, 2);
    ctx.reply.ArrayHeader(static_cast<int64_t>(rows.size()));
    for (const CommandSpec* row : rows) {
      if (row == nullptr) {
        ctx.reply.NullArray();
      } else {
        ReplyInfo(ctx.reply, *row);
      }
    }
  } else if (EqualsIgnoreCase(sub, "docs")) {
    auto rows = Selected(ctx, 2);
    std::erase(rows, nullptr);
    ctx.reply.MapHeader(static_cast<int64_t>(rows.size()));
    for (const CommandSpec* row : rows) ReplyDocs(ctx.reply, *row);
  } else if (EqualsIgnoreCase(sub, "list") && ctx.args.size() == 2) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(table.rows().size()));
    for (const auto& row : table.rows()) ctx.reply.Bulk(row.name);
  } else if (EqualsIgnoreCase(sub, "count") || EqualsIgnoreCase(sub, "list")) {
    ctx.reply.Error(WrongArityError("command|" + std::string(sub)));
  } else {
    ctx.reply.Error("ERR unknown subcommand '" + std::string(sub.substr(0, 128)) +
                    "'. Try COMMAND HELP.");
  }
}

}  // namespace ember::server
