// CommandFamily: a group of commands as Redis groups them ("string", "generic", "server"...),
// declared in its own folder, server/families/<group>/. A family owns its rows (each command
// file ends with the rows of the commands it handles) and its docs (generated into
// <group>_docs.cc by tools/gen_command_docs.py); CommandTable joins every family listed in
// server/families/families.cc.
//
// Adding a command to a family is one file with its handler and rows, and one
// EMBER_COMMAND_FILE line in the family's <group>_family.cc (see docs/architecture.md).
// Families are constant data; safe to share across threads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "server/command/command_docs.h"
#include "server/command/command_spec.h"

namespace ember::server {

// The rows one command file declares, in the order COMMAND lists them.
using CommandRowsSource = std::span<const CommandSpec> (*)();
using CommandDocsSource = std::span<const CommandDocs> (*)();

struct CommandFamily {
  std::string_view group;  // Redis's group name, as COMMAND DOCS reports it
  // The ACL category every command of the family is in (AclCategory bit; 0 for none, as
  // for Redis's "server" group); see acl_categories.h for how categories are derived.
  uint32_t acl_category;
  std::span<const CommandRowsSource> files;
  CommandDocsSource docs;
};

}  // namespace ember::server

// Names the rows function `rows` of one command file in a family's file list. It declares
// the function in place (std::span<const CommandSpec> rows(), defined in that file, in the
// namespace where the list is written — not an anonymous one), so a new file needs only
// this one line: the declaration and the registration cannot drift apart.
#define EMBER_COMMAND_FILE(rows)                                 \
  []() -> std::span<const ::ember::server::CommandSpec> {        \
    extern std::span<const ::ember::server::CommandSpec> rows(); \
    return rows();                                               \
  }
