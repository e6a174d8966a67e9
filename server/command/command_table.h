// CommandTable: the one table of commands, data only. Lookup is case-insensitive and does
// not allocate. Built once at startup; immutable afterwards, so it is safe to share.
#pragma once

#include <span>
#include <string_view>
#include <unordered_map>

#include "server/command/command_spec.h"

namespace ember::server {

class CommandTable {
 public:
  // The table with every command Ember implements.
  static const CommandTable& Default();

  // The row for `name` in any letter case, or nullptr.
  const CommandSpec* Find(std::string_view name) const;
  std::span<const CommandSpec> rows() const { return rows_; }
  // The subcommand of `container` named `name` (the part after '|', any letter case), or
  // nullptr.
  static const CommandSpec* FindSubcommand(const CommandSpec& container, std::string_view name);
  // The row for a full name as COMMAND INFO takes it ("get", "config|get"), or nullptr.
  const CommandSpec* FindByFullName(std::string_view name) const;
  // A dense index over every row and subcommand row, for per-command statistics.
  size_t IndexOf(const CommandSpec& spec) const;
  size_t index_count() const { return index_.size(); }

 private:
  explicit CommandTable(std::span<const CommandSpec> rows);

  std::span<const CommandSpec> rows_;
  std::unordered_map<std::string_view, const CommandSpec*> by_name_;
  std::unordered_map<const CommandSpec*, size_t> index_;
};

}  // namespace ember::server
