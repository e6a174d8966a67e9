#include "server/families/server/command_reply.h"

#include <string>
#include <string_view>
#include <vector>

#include "server/command/acl_categories.h"
#include "server/command/command_docs.h"

namespace ember::server {
namespace {

struct FlagName {
  CommandFlag flag;
  std::string_view name;
};

// In the order Redis 7.0 lists them.
constexpr FlagName kFlagNames[] = {
    {kWrite, "write"},
    {kReadOnly, "readonly"},
    {kDenyOom, "denyoom"},
    {kAdmin, "admin"},
    {kPubSub, "pubsub"},
    {kNoScript, "noscript"},
    {kBlocking, "blocking"},
    {kLoading, "loading"},
    {kStale, "stale"},
    {kSkipMonitor, "skip_monitor"},
    {kSkipSlowlog, "skip_slowlog"},
    {kFast, "fast"},
    {kNoAuth, "no_auth"},
    // may_replicate is hidden on purpose, as Redis 7.0 hides it.
    {kNoMandatoryKeys, "no_mandatory_keys"},
    {kNoAsyncLoading, "no_async_loading"},
    {kNoMulti, "no_multi"},
};

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    if (!word.empty()) words.push_back(word);
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

// Keys found by keyword or by a count argument move with the arguments.
bool HasMovableKeys(const CommandDocs* docs) {
  if (docs == nullptr) return false;
  for (const KeySpec& spec : docs->key_specs) {
    if (spec.begin != BeginSearch::kIndex || spec.find != FindKeys::kRange) return true;
  }
  return false;
}

void ReplyWordSet(protocol::ReplyWriter& reply, std::string_view words, bool simple) {
  auto list = SplitWords(words);
  reply.SetHeader(static_cast<int64_t>(list.size()));
  for (auto word : list) simple ? reply.SimpleString(word) : reply.Bulk(word);
}

void ReplyAclCategories(protocol::ReplyWriter& reply, uint32_t categories) {
  int count = 0;
  ForEachAclCategory(categories, [&](std::string_view) { ++count; });
  reply.SetHeader(count);
  ForEachAclCategory(categories,
                     [&](std::string_view name) { reply.SimpleString("@" + std::string(name)); });
}

void ReplyKeySpec(protocol::ReplyWriter& reply, const KeySpec& spec) {
  reply.MapHeader(spec.notes.empty() ? 3 : 4);
  if (!spec.notes.empty()) {
    reply.Bulk("notes");
    reply.Bulk(spec.notes);
  }
  reply.Bulk("flags");
  ReplyWordSet(reply, spec.flags, /*simple=*/true);
  reply.Bulk("begin_search");
  reply.MapHeader(2);
  reply.Bulk("type");
  if (spec.begin == BeginSearch::kIndex) {
    reply.Bulk("index");
    reply.Bulk("spec");
    reply.MapHeader(1);
    reply.Bulk("index");
    reply.Integer(spec.index);
  } else if (spec.begin == BeginSearch::kKeyword) {
    reply.Bulk("keyword");
    reply.Bulk("spec");
    reply.MapHeader(2);
    reply.Bulk("keyword");
    reply.Bulk(spec.keyword);
    reply.Bulk("startfrom");
    reply.Integer(spec.startfrom);
  } else {
    reply.Bulk("unknown");
    reply.Bulk("spec");
    reply.MapHeader(0);
  }
  reply.Bulk("find_keys");
  reply.MapHeader(2);
  reply.Bulk("type");
  if (spec.find == FindKeys::kRange) {
    reply.Bulk("range");
    reply.Bulk("spec");
    reply.MapHeader(3);
    reply.Bulk("lastkey");
    reply.Integer(spec.lastkey);
    reply.Bulk("keystep");
    reply.Integer(spec.keystep);
    reply.Bulk("limit");
    reply.Integer(spec.limit);
  } else if (spec.find == FindKeys::kKeynum) {
    reply.Bulk("keynum");
    reply.Bulk("spec");
    reply.MapHeader(3);
    reply.Bulk("keynumidx");
    reply.Integer(spec.keynumidx);
    reply.Bulk("firstkey");
    reply.Integer(spec.firstkey);
    reply.Bulk("keystep");  // Redis 7.0 names it so in keynum specs too
    reply.Integer(spec.step);
  } else {
    reply.Bulk("unknown");
    reply.Bulk("spec");
    reply.MapHeader(0);
  }
}

std::string_view ArgTypeName(ArgType type) {
  switch (type) {
    case ArgType::kString:
      return "string";
    case ArgType::kInteger:
      return "integer";
    case ArgType::kDouble:
      return "double";
    case ArgType::kKey:
      return "key";
    case ArgType::kPattern:
      return "pattern";
    case ArgType::kUnixTime:
      return "unix-time";
    case ArgType::kPureToken:
      return "pure-token";
    case ArgType::kOneOf:
      return "oneof";
    case ArgType::kBlock:
      return "block";
  }
  return "string";
}

void ReplyArgs(protocol::ReplyWriter& reply, std::span<const CommandArg> args) {
  reply.ArrayHeader(static_cast<int64_t>(args.size()));
  for (const CommandArg& arg : args) {
    const int fields = 2 + (arg.key_spec_index >= 0) + !arg.token.empty() + !arg.since.empty() +
                       (arg.flags != 0) + !arg.deprecated_since.empty() + !arg.args.empty();
    reply.MapHeader(fields);
    reply.Bulk("name");
    reply.Bulk(arg.name);
    reply.Bulk("type");
    reply.Bulk(ArgTypeName(arg.type));
    if (arg.key_spec_index >= 0) {
      reply.Bulk("key_spec_index");
      reply.Integer(arg.key_spec_index);
    }
    if (!arg.token.empty()) {
      reply.Bulk("token");
      reply.Bulk(arg.token);
    }
    if (!arg.since.empty()) {
      reply.Bulk("since");
      reply.Bulk(arg.since);
    }
    if (arg.flags != 0) {
      reply.Bulk("flags");
      const bool multiple_token = (arg.flags & kArgMultipleToken) != 0;
      const int count =
          ((arg.flags & kArgOptional) != 0) + ((arg.flags & kArgMultiple) != 0) + multiple_token;
      reply.SetHeader(count);
      if ((arg.flags & kArgOptional) != 0) reply.SimpleString("optional");
      if ((arg.flags & kArgMultiple) != 0) reply.SimpleString("multiple");
      if (multiple_token) reply.SimpleString("multiple_token");
    }
    if (!arg.deprecated_since.empty()) {
      reply.Bulk("deprecated_since");
      reply.Bulk(arg.deprecated_since);
    }
    if (!arg.args.empty()) {
      reply.Bulk("arguments");
      ReplyArgs(reply, arg.args);
    }
  }
}

}  // namespace

void ReplyCommandInfo(protocol::ReplyWriter& reply, const CommandTable& table,
                      const CommandSpec& spec) {
  const CommandDocs* docs = table.FindDocs(spec.name);
  const bool movable = HasMovableKeys(docs);
  reply.ArrayHeader(10);
  reply.Bulk(spec.name);
  reply.Integer(spec.arity);
  int flag_count = movable ? 1 : 0;
  for (const auto& f : kFlagNames) flag_count += spec.has_flag(f.flag) ? 1 : 0;
  const bool allow_busy = spec.has_flag(kAllowBusy);
  reply.SetHeader(flag_count + (allow_busy ? 1 : 0));
  for (const auto& f : kFlagNames) {
    if (spec.has_flag(f.flag)) reply.SimpleString(f.name);
  }
  if (movable) reply.SimpleString("movablekeys");
  if (allow_busy) reply.SimpleString("allow_busy");
  reply.Integer(spec.keys.first);
  reply.Integer(spec.keys.last);
  reply.Integer(spec.keys.step);
  ReplyAclCategories(reply, table.AclCategoriesOf(spec));
  ReplyWordSet(reply, docs != nullptr ? docs->tips : "", /*simple=*/false);
  const auto key_specs = docs != nullptr ? docs->key_specs : std::span<const KeySpec>{};
  reply.SetHeader(static_cast<int64_t>(key_specs.size()));
  for (const KeySpec& key_spec : key_specs) ReplyKeySpec(reply, key_spec);
  // Redis 7.0 answers an empty set, not an empty array, for a command without subcommands.
  if (spec.subcommands.empty()) {
    reply.SetHeader(0);
  } else {
    reply.ArrayHeader(static_cast<int64_t>(spec.subcommands.size()));
  }
  for (const CommandSpec& sub : spec.subcommands) ReplyCommandInfo(reply, table, sub);
}

void ReplyCommandDocs(protocol::ReplyWriter& reply, const CommandTable& table,
                      const CommandSpec& spec) {
  const CommandDocs* docs = table.FindDocs(spec.name);
  reply.Bulk(spec.name);
  const bool has_docs = docs != nullptr;
  const int fields = 3 + (has_docs ? 1 : 0) + (has_docs && !docs->doc_flags.empty()) +
                     (has_docs && !docs->deprecated_since.empty()) +
                     (has_docs && !docs->replaced_by.empty()) + (has_docs && !docs->args.empty()) +
                     !spec.subcommands.empty();
  reply.MapHeader(fields);
  reply.Bulk("summary");
  reply.Bulk(spec.summary);
  reply.Bulk("since");
  reply.Bulk(spec.since);
  reply.Bulk("group");
  reply.Bulk(table.GroupOf(spec));
  if (has_docs) {
    reply.Bulk("complexity");
    reply.Bulk(docs->complexity);
    if (!docs->doc_flags.empty()) {
      reply.Bulk("doc_flags");
      ReplyWordSet(reply, docs->doc_flags, /*simple=*/true);
    }
    if (!docs->deprecated_since.empty()) {
      reply.Bulk("deprecated_since");
      reply.Bulk(docs->deprecated_since);
    }
    if (!docs->replaced_by.empty()) {
      reply.Bulk("replaced_by");
      reply.Bulk(docs->replaced_by);
    }
    if (!docs->args.empty()) {
      reply.Bulk("arguments");
      ReplyArgs(reply, docs->args);
    }
  }
  if (!spec.subcommands.empty()) {
    reply.Bulk("subcommands");
    reply.MapHeader(static_cast<int64_t>(spec.subcommands.size()));
    for (const CommandSpec& sub : spec.subcommands) ReplyCommandDocs(reply, table, sub);
  }
}

}  // namespace ember::server
