// ASCII case folding for names compared case-insensitively (commands, subcommands, script
// SHAs): what Redis's strcasecmp does in the C locale, inline, with no locale lookup per
// character (std::tolower is a libc call, measurable on the hot path).
#pragma once

namespace ember::server {

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

}  // namespace ember::server
