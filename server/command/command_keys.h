// Which arguments of a command are keys: Redis 7's key specifications when the command's
// docs have them (they reach keys after a keyword or a count, as ZUNION's or LMPOP's),
// otherwise the legacy first/last/step of its row. COMMAND GETKEYS and client-side caching
// (a tracking client remembers the keys its reads named) both read keys this way.
//
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "server/command/command_docs.h"
#include "server/command/command_spec.h"

namespace ember::server {

// Appends the positions in `argv` (argv[0] is the command name) of the keys one key
// specification finds; none when the arguments do not reach them.
void KeysOfSpec(const KeySpec& key_spec, std::span<const std::string_view> argv,
                std::vector<size_t>* out);

// Appends the positions of every key of `spec` in `argv`; `docs` is the command's docs or
// nullptr.
void KeyPositionsOf(const CommandSpec& spec, const CommandDocs* docs,
                    std::span<const std::string_view> argv, std::vector<size_t>* out);

}  // namespace ember::server
