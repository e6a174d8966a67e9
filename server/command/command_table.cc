#include "server/command/command_table.h"

#include <array>
#include <cassert>
#include <cctype>

#include "server/command/acl_categories.h"
#include "server/core/ascii.h"

namespace ember::server {
namespace {

// Lowercases `name` into `buffer` when it fits; names longer than any command never match.
std::string_view LowerInto(std::string_view name, std::array<char, 32>& buffer) {
  if (name.size() > buffer.size()) return {};
  for (size_t i = 0; i < name.size(); ++i) {
    buffer[i] = AsciiLower(name[i]);
  }
  return {buffer.data(), name.size()};
}

}  // namespace

CommandTable::CommandTable(std::span<const CommandFamily* const> families) {
  for (const CommandFamily* family : families) {
    for (CommandRowsSource file : family->files) {
      for (const CommandSpec& row : file()) Add(row, *family);
    }
    if (family->docs == nullptr) continue;
    for (const CommandDocs& docs : family->docs()) docs_.emplace(docs.name, &docs);
  }
}

void CommandTable::Add(const CommandSpec& row, const CommandFamily& family) {
  [[maybe_unused]] const bool added = by_name_.emplace(row.name, &row).second;
  assert(added && "two rows declare the same command");
  rows_.push_back(&row);
  info_.emplace(&row, RowInfo{info_.size(), &family});
  for (const CommandSpec& sub : row.subcommands) {
    info_.emplace(&sub, RowInfo{info_.size(), &family});
  }
}

const CommandSpec* CommandTable::FindSubcommand(const CommandSpec& container,
                                                std::string_view name) {
  for (const CommandSpec& sub : container.subcommands) {
    std::string_view short_name = sub.name.substr(sub.name.find('|') + 1);
    if (short_name.size() != name.size()) continue;
    bool equal = true;
    for (size_t i = 0; i < name.size() && equal; ++i) {
      equal = AsciiLower(name[i]) == short_name[i];
    }
    if (equal) return &sub;
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindByFullName(std::string_view name) const {
  const size_t bar = name.find('|');
  const CommandSpec* row = Find(name.substr(0, bar));
  if (row == nullptr || bar == std::string_view::npos) return row;
  if (name.find('|', bar + 1) != std::string_view::npos) return nullptr;
  return FindSubcommand(*row, name.substr(bar + 1));
}

size_t CommandTable::IndexOf(const CommandSpec& spec) const {
  auto it = info_.find(&spec);
  return it == info_.end() ? info_.size() : it->second.index;
}

const CommandTable::RowInfo& CommandTable::InfoOf(const CommandSpec& spec) const {
  auto it = info_.find(&spec);
  assert(it != info_.end() && "the row is not in this table");
  return it->second;
}

std::string_view CommandTable::GroupOf(const CommandSpec& spec) const {
  return InfoOf(spec).family->group;
}

uint32_t CommandTable::AclCategoriesOf(const CommandSpec& spec) const {
  return DeriveAclCategories(spec, InfoOf(spec).family->acl_category);
}

const CommandDocs* CommandTable::FindDocs(std::string_view name) const {
  auto it = docs_.find(name);
  return it == docs_.end() ? nullptr : it->second;
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  std::array<char, 32> buffer;
  std::string_view lower = LowerInto(name, buffer);
  if (lower.empty()) return nullptr;
  auto it = by_name_.find(lower);
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace ember::server
