// Splits a line into arguments with Redis's inline-command rules (sdssplitargs): blanks
// separate arguments; "double quotes" allow \n \r \t \b \a \\ \" and \xHH escapes (any other
// escaped character stands for itself); 'single quotes' allow only \'; a closing quote must
// be followed by a blank or the end of the line. Quotes may start in the middle of an
// argument (`foo"bar"` is `foobar`). A NUL byte ends the line, as it ends Redis's C string.
//
// Used by the RESP parser for inline commands and by the server's config-file reader.
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::protocol {

// Returns the arguments (empty for a blank line), or nullopt when quotes are unbalanced
// (Redis: "unbalanced quotes").
std::optional<std::vector<std::string>> SplitInlineArgs(std::string_view line);

// Same rules, writing into `*args` and reusing its strings' capacity, so a caller that
// splits many lines does not allocate per line. On false (unbalanced quotes) `*args` holds
// unspecified contents.
bool SplitInlineArgsInto(std::string_view line, std::vector<std::string>* args);

}  // namespace ember::protocol
