// Text encodings the HTTP adapter needs to carry arbitrary bytes through JSON: a UTF-8
// validity check (JSON strings must be UTF-8) and standard base64 (RFC 4648, with padding)
// for values that are not.
//
// Threading: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ember::server::http {

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

std::string Base64Encode(std::string_view bytes);
// Decodes padded standard base64; nullopt for any other character, a bad length or
// misplaced padding. ASCII whitespace is not accepted.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace ember::server::http
