// Script flags: what a script declares about itself in its `#!lua flags=...` shebang (and,
// with functions, in redis.register_function), and how an EVAL body's shebang is read.
// A body without a shebang runs in compatibility mode: Redis 7.0's pre-7 rules, where the
// flags come from the commands the script calls rather than from a declaration.
//
// Pure functions; no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::server::scripting {

enum ScriptFlag : uint32_t {
  kScriptNoWrites = 1u << 0,
  kScriptAllowOom = 1u << 1,
  kScriptAllowStale = 1u << 2,
  kScriptNoCluster = 1u << 3,
  kScriptAllowCrossSlot = 1u << 4,
  kScriptEvalCompatMode = 1u << 5,  // no shebang: not a declared flag
};

// The flag named `name` as Redis spells it ("no-writes"...), or 0 when unknown.
uint32_t ScriptFlagNamed(std::string_view name);

struct Shebang {
  uint32_t flags = kScriptEvalCompatMode;
  // Bytes before the body's code: the shebang line without its '\n', which stays so that
  // line numbers in errors count as the user wrote them.
  size_t length = 0;
};

// Reads the shebang at the start of `body`, if any. Returns false with Redis's error text
// in `error` (without the "ERR " prefix) when it is malformed.
bool ParseShebang(std::string_view body, Shebang* out, std::string* error);

}  // namespace ember::server::scripting
