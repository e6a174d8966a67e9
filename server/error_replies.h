// Redis's error texts, in one place. Client libraries parse these strings (the prefix
// before the first space, and often the whole text), so each must match Redis 7.0 byte for
// byte. Texts are without the leading '-' and CRLF; ReplyWriter::Error adds them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "storage/op_status.h"

namespace ember::server {

inline constexpr std::string_view kErrSyntax = "ERR syntax error";
inline constexpr std::string_view kErrNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kErrNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kErrOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kErrNanOrInfinity = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kErrWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kErrNoSuchKey = "ERR no such key";
inline constexpr std::string_view kErrDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kErrInvalidDbIndex = "ERR invalid DB index";
inline constexpr std::string_view kErrStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kErrOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kErrSameObject =
    "ERR source and destination objects are the same";
inline constexpr std::string_view kErrNotInt32 =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr std::string_view kErrNxWithOthers =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kErrGtWithLt =
    "ERR GT and LT options at the same time are not compatible";
inline constexpr std::string_view kErrUnsupportedOptionPrefix = "ERR Unsupported option ";
inline constexpr std::string_view kErrInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kErrInvalidFirstDb = "ERR invalid first DB index";
inline constexpr std::string_view kErrInvalidSecondDb = "ERR invalid second DB index";
inline constexpr std::string_view kErrDecrementOverflow = "ERR decrement would overflow";

// The text for a storage outcome. Requires: status != kOk and != kSkipped.
std::string_view ErrorText(storage::OpStatus status);

// "ERR wrong number of arguments for 'get' command" (name lowercased as in Redis).
std::string WrongArityError(std::string_view command_name);
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string UnknownCommandError(std::string_view name, std::span<const std::string_view> args);
// "ERR invalid expire time in 'set' command"
std::string InvalidExpireError(std::string_view command_name);

}  // namespace ember::server
