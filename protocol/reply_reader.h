// ReplyReader: decodes one RESP2 or RESP3 reply into a small tree. It is the inverse of
// ReplyWriter, for callers that run commands in-process and need the reply as data (the
// HTTP adapter renders it as JSON) rather than as bytes for a socket.
//
// Every RESP3 type is understood; RESP2 nulls ($-1, *-1) decode as kNull. Values own their
// bytes (no views into the input). Not a hot path for RESP clients.
//
// Threading: a pure function; no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::protocol {

struct ReplyValue {
  enum class Type {
    kSimpleString,  // +
    kError,         // -  (text holds the whole message, "WRONGTYPE ...")
    kInteger,       // :
    kBulk,          // $  (also = verbatim, whose text is the payload without "txt:")
    kNull,          // _  $-1  *-1
    kDouble,        // ,  (text holds the rendering)
    kBoolean,       // #  (integer is 0 or 1)
    kBigNumber,     // (  (text holds the digits)
    kArray,         // *  ~ (set) > (push)
    kMap,           // %  (elements alternate key, value)
  };
  Type type = Type::kNull;
  std::string text;
  int64_t integer = 0;
  std::vector<ReplyValue> elements;
  // The type byte as received, for callers that must tell what the merged types hide: '~'
  // set or '>' push from '*' array, '=' verbatim from '$' bulk, and '_' from the RESP2
  // nulls '$' / '*'. 0 in values built by hand.
  char wire = 0;
  // A RESP3 attribute map ('|') received before this value: key, value, key, value...
  std::vector<ReplyValue> attributes;

  bool is_error() const { return type == Type::kError; }
};

struct ReplyReadResult {
  ReplyValue value;
  size_t consumed = 0;
};

// Decodes the first reply in `bytes`. Returns nullopt when `bytes` does not start with a
// complete, well-formed reply (the writer never produces one, so callers treat it as a bug).
std::optional<ReplyReadResult> ReadReply(std::string_view bytes);

}  // namespace ember::protocol
