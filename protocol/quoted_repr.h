// Redis's sdscatrepr: bytes in double quotes with \\ \" \n \r \t \a \b escaped and any other
// byte outside printable ASCII as \xHH. What MONITOR lines and AOF manifest names show, and
// what SplitInlineArgs (inline_splitter.h) reads back.
#pragma once

#include <string>
#include <string_view>

namespace ember::protocol {

// Appends `bytes`, quoted and escaped, to `out`.
void AppendQuotedRepr(std::string& out, std::string_view bytes);

}  // namespace ember::protocol
