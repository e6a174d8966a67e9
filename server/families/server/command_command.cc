// COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP):
// generated from the command table and its docs, in Redis 7.0's shapes.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "server/command/acl_categories.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_docs.h"
#include "server/command/command_keys.h"
#include "server/command/command_spec.h"
#include "server/command/command_table.h"
#include "server/command/help_reply.h"
#include "server/families/server/command_reply.h"
#include "storage/ops/glob.h"

namespace ember::server {
namespace {

const CommandTable& Table() { return CommandTable::Default(); }

// Lowercased copy of a full name ("CONFIG|Get" -> "config|get").
std::string Lower(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every row and subcommand row, in table order; `visit` returns nothing.
template <typename Visit>
void ForEachRow(Visit visit) {
  for (const CommandSpec* row : Table().rows()) {
    visit(*row);
    for (const CommandSpec& sub : row->subcommands) visit(sub);
  }
}

bool InAclCategory(const CommandSpec& spec, std::string_view category) {
  std::optional<AclCategory> wanted = FindAclCategory(category);
  return wanted.has_value() && (Table().AclCategoriesOf(spec) & *wanted) != 0;
}

// The row a GETKEYS request names (args[2...]), following a container into its
// subcommand; nullptr when unknown.
const CommandSpec* TargetOf(CommandContext& ctx) {
  const CommandSpec* spec = Table().Find(ctx.args[2]);
  if (spec != nullptr && !spec->subcommands.empty() && ctx.args.size() > 3) {
    spec = CommandTable::FindSubcommand(*spec, ctx.args[3]);
  }
  return spec;
}

struct FoundKey {
  size_t pos;
  std::string_view flags;
};

// SET's key flags depend on GET (Redis's "variable_flags"): a plain SET only overwrites.
std::string_view EffectiveFlags(const CommandSpec& spec, const KeySpec& key_spec,
                                std::span<const std::string_view> argv) {
  if (spec.name != "set" || key_spec.flags.find("variable_flags") == std::string_view::npos) {
    return key_spec.flags;
  }
  for (size_t i = 3; i < argv.size(); ++i) {
    if (EqualsIgnoreCase(argv[i], "get")) return "RW access update";
  }
  return "OW update";
}

// SORT's STORE destination, which no key specification can find (the keyword may come
// anywhere): Redis's sortGetKeys scans for it, skipping LIMIT's, GET's and BY's arguments;
// the last STORE wins.
void AppendSortStoreKey(std::span<const std::string_view> argv, std::vector<FoundKey>* keys) {
  size_t store = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (EqualsIgnoreCase(argv[i], "limit")) {
      i += 2;
    } else if (EqualsIgnoreCase(argv[i], "get") || EqualsIgnoreCase(argv[i], "by")) {
      i += 1;
    } else if (EqualsIgnoreCase(argv[i], "store") && i + 1 < argv.size()) {
      store = i + 1;
    }
  }
  if (store != 0) keys->push_back({store, "OW update"});
}

// The keys of the command in args[2...] with their flags, or an error reply already sent.
bool KeysOf(CommandContext& ctx, std::vector<FoundKey>* keys) {
  const CommandSpec* spec = TargetOf(ctx);
  const std::span<const std::string_view> target = ctx.args.subspan(2);
  if (spec == nullptr) {
    ctx.reply.Error("ERR Invalid command specified");
    return false;
  }
  if (!spec->ArityAccepts(static_cast<int>(target.size()))) {
    ctx.reply.Error("ERR Invalid number of arguments specified for command");
    return false;
  }
  const CommandDocs* docs = Table().FindDocs(spec->name);
  if (docs != nullptr && !docs->key_specs.empty()) {
    for (const KeySpec& ks : docs->key_specs) {
      std::vector<size_t> positions;
      KeysOfSpec(ks, target, &positions);
      for (size_t pos : positions) keys->push_back({pos, EffectiveFlags(*spec, ks, target)});
    }
    if (spec->name == "sort") AppendSortStoreKey(target, keys);
  } else {
    std::vector<size_t> positions;
    KeyPositionsOf(*spec, nullptr, target, &positions);
    for (size_t pos : positions) keys->push_back({pos, ""});
  }
  if (keys->empty()) {
    ctx.reply.Error("ERR The command has no key arguments");
    return false;
  }
  return true;
}

void CommandCommand(CommandContext& ctx) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(Table().rows().size()));
  for (const CommandSpec* row : Table().rows()) ReplyCommandInfo(ctx.reply, Table(), *row);
}

void CommandCountCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(Table().rows().size()));
}

void CommandInfoCommand(CommandContext& ctx) {
  if (ctx.args.size() == 2) {
    CommandCommand(ctx);
    return;
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.args.size() - 2));
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const CommandSpec* spec = Table().FindByFullName(Lower(ctx.args[i]));
    if (spec == nullptr) {
      ctx.reply.NullArray();
    } else {
      ReplyCommandInfo(ctx.reply, Table(), *spec);
    }
  }
}

void CommandDocsCommand(CommandContext& ctx) {
  std::vector<const CommandSpec*> specs;
  if (ctx.args.size() == 2) {
    for (const CommandSpec* row : Table().rows()) specs.push_back(row);
  } else {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      const CommandSpec* spec = Table().FindByFullName(Lower(ctx.args[i]));
      if (spec != nullptr) specs.push_back(spec);
    }
  }
  ctx.reply.MapHeader(static_cast<int64_t>(specs.size()));
  for (const CommandSpec* spec : specs) ReplyCommandDocs(ctx.reply, Table(), *spec);
}

void CommandListCommand(CommandContext& ctx) {
  std::vector<std::string_view> names;
  if (ctx.args.size() == 2) {
    ForEachRow([&](const CommandSpec& spec) { names.push_back(spec.name); });
  } else if (ctx.args.size() == 5 && EqualsIgnoreCase(ctx.args[2], "filterby")) {
    std::string_view kind = ctx.args[3];
    std::string_view value = ctx.args[4];
    if (EqualsIgnoreCase(kind, "aclcat")) {
      ForEachRow([&](const CommandSpec& spec) {
        if (InAclCategory(spec, value)) names.push_back(spec.name);
      });
    } else if (EqualsIgnoreCase(kind, "pattern")) {
      ForEachRow([&](const CommandSpec& spec) {
        if (storage::GlobMatch(value, spec.name, /*nocase=*/true)) names.push_back(spec.name);
      });
    } else if (!EqualsIgnoreCase(kind, "module")) {  // no modules: an empty list
      ctx.reply.Error("ERR syntax error");
      return;
    }
  } else {
    ctx.reply.Error("ERR syntax error");
    return;
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(names.size()));
  for (std::string_view name : names) ctx.reply.Bulk(name);
}

void CommandGetKeysCommand(CommandContext& ctx) {
  std::vector<FoundKey> keys;
  if (!KeysOf(ctx, &keys)) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const FoundKey& key : keys) ctx.reply.Bulk(ctx.args[2 + key.pos]);
}

void CommandGetKeysAndFlagsCommand(CommandContext& ctx) {
  std::vector<FoundKey> keys;
  if (!KeysOf(ctx, &keys)) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const FoundKey& key : keys) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.args[2 + key.pos]);
    std::vector<std::string_view> words;
    for (size_t start = 0; start < key.flags.size();) {
      size_t end = key.flags.find(' ', start);
      if (end == std::string_view::npos) end = key.flags.size();
      words.push_back(key.flags.substr(start, end - start));
      start = end + 1;
    }
    ctx.reply.SetHeader(static_cast<int64_t>(words.size()));
    for (std::string_view word : words) ctx.reply.SimpleString(word);
  }
}

void CommandHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "COMMAND",
            {"(no subcommand)", "    Describe every command Ember implements.", "COUNT",
             "    Count the commands.",
             "LIST [FILTERBY (MODULE <module>|ACLCAT <category>|PATTERN <pattern>)]",
             "    List command names, optionally filtered.", "INFO [<command-name> ...]",
             "    Describe the named commands (all of them when none is named).",
             "DOCS [<command-name> ...]",
             "    Document the named commands (all of them when none is named).",
             "GETKEYS <full-command>", "    Extract the key names from a full command.",
             "GETKEYSANDFLAGS <full-command>",
             "    Extract the key names and their access flags from a full command."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> CommandCommandRows() {
  static constexpr CommandSpec kCommandSubcommands[] = {
      {.name = "command|count", .arity = 2, .flags = kLoading | kStale, .since = "2.8.13",
       .summary = "Returns the number of commands.", .handler = CommandCountCommand,
       .acl = kAclConnection},
      {.name = "command|info", .arity = -2, .flags = kLoading | kStale, .since = "2.8.13",
       .summary = "Describes the named commands, or every command.", .handler = CommandInfoCommand,
       .acl = kAclConnection},
      {.name = "command|docs", .arity = -2, .flags = kLoading | kStale, .since = "7.0.0",
       .summary = "Documents the named commands, or every command.", .handler = CommandDocsCommand,
       .acl = kAclConnection},
      {.name = "command|list", .arity = -2, .flags = kLoading | kStale, .since = "7.0.0",
       .summary = "Lists command names, optionally filtered.", .handler = CommandListCommand,
       .acl = kAclConnection},
      {.name = "command|getkeys", .arity = -4, .flags = kLoading | kStale, .since = "2.8.13",
       .summary = "Extracts the key names from a full command.", .handler = CommandGetKeysCommand,
       .acl = kAclConnection},
      {.name = "command|getkeysandflags", .arity = -4, .flags = kLoading | kStale, .since = "7.0.0",
       .summary = "Extracts the key names and their access flags from a full command.",
       .handler = CommandGetKeysAndFlagsCommand, .acl = kAclConnection},
      {.name = "command|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Describes the COMMAND subcommands.", .handler = CommandHelpCommand,
       .acl = kAclConnection},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "command", .arity = -1, .flags = kLoading | kStale, .since = "2.8.13",
       .summary = "Describes the server's commands.", .handler = CommandCommand,
       .subcommands = kCommandSubcommands, .acl = kAclConnection},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
