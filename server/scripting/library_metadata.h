// The first line of a function library, as FUNCTION LOAD takes it: `#!<engine> name=<lib>`.
// Redis 7.0 splits the line with its argument rules (quotes allowed: name="lib" is lib),
// takes the engine from the first word and accepts `name=` (any case) once and nothing
// else. The code that follows keeps the line's '\n', so Lua counts lines as the user wrote
// them. Function and library names share one rule: letters, digits and '_', at least one.
//
// Pure functions; no state.
#pragma once

#include <string>
#include <string_view>

namespace ember::server::scripting {

inline constexpr std::string_view kErrBadLibraryName =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least "
    "one character long";

struct LibraryMetadata {
  std::string engine;     // as written ("lua", "LUA"...); may be empty
  std::string name;       // not yet checked against the naming rule
  std::string_view code;  // the rest of the payload, from the shebang's '\n'
};

// Reads the shebang of `payload`. Returns false with Redis's error text (no "ERR " prefix):
// "Missing library metadata", "Invalid library metadata", "Invalid metadata value given:
// <word>", "Invalid metadata value, name argument was given multiple times", "Library name
// was not given". `out->code` views `payload`.
bool ParseLibraryMetadata(std::string_view payload, LibraryMetadata* out, std::string* error);

// Whether `name` follows the naming rule ([A-Za-z0-9_]+).
bool IsValidFunctionName(std::string_view name);

}  // namespace ember::server::scripting
