// CommandTable: the one table of commands, joined from the command families (data only).
// Lookup is case-insensitive and does not allocate. Built once; immutable afterwards, so
// it is safe to share.
#pragma once

#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command/command_docs.h"
#include "server/command/command_family.h"
#include "server/command/command_spec.h"

namespace ember::server {

class CommandTable {
 public:
  // Joins `families`: their rows in family order, then file order, then row order. Two
  // rows with one name are a programming error (asserted).
  explicit CommandTable(std::span<const CommandFamily* const> families);

  // The table with every family Ember has. Defined in server/families/families.cc, the
  // one list of families.
  static const CommandTable& Default();

  // The row for `name` in any letter case, or nullptr.
  const CommandSpec* Find(std::string_view name) const;
  // Every top-level row, in table order (COMMAND's order).
  std::span<const CommandSpec* const> rows() const { return rows_; }
  // The subcommand of `container` named `name` (the part after '|', any letter case), or
  // nullptr.
  static const CommandSpec* FindSubcommand(const CommandSpec& container, std::string_view name);
  // The row for a full name as COMMAND INFO takes it ("get", "config|get"), or nullptr.
  const CommandSpec* FindByFullName(std::string_view name) const;
  // A dense index over every row and subcommand row, for per-command statistics.
  size_t IndexOf(const CommandSpec& spec) const;
  size_t index_count() const { return info_.size(); }

  // Requires: `spec` is a row or subcommand row of this table.
  std::string_view GroupOf(const CommandSpec& spec) const;
  // AclCategory bits, derived as acl_categories.h describes.
  uint32_t AclCategoriesOf(const CommandSpec& spec) const;
  // The docs of the command with full name `name` (lowercase: "set", "config|get"), or
  // nullptr when its family has none for it.
  const CommandDocs* FindDocs(std::string_view name) const;

 private:
  struct RowInfo {
    size_t index;
    const CommandFamily* family;
  };
  void Add(const CommandSpec& row, const CommandFamily& family);
  const RowInfo& InfoOf(const CommandSpec& spec) const;

  std::vector<const CommandSpec*> rows_;
  std::unordered_map<std::string_view, const CommandSpec*> by_name_;
  std::unordered_map<const CommandSpec*, RowInfo> info_;
  std::unordered_map<std::string_view, const CommandDocs*> docs_;
};

}  // namespace ember::server
