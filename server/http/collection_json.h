// The JSON form of a collection for `GET /keys/{key}`: a hash as a JSON object, a set as a
// JSON array, a list as a JSON array in list order, a sorted set as an array of member and
// score objects, with the key's type and TTL:
//   {"key": "k", "type": "hash", "value": {"field": "value", ...}, "ttl": -1}
//   {"key": "k", "type": "set", "value": ["member", ...], "ttl": 30}
//   {"key": "k", "type": "list", "value": ["first", ..., "last"], "ttl": -1}
//   {"key": "k", "type": "zset", "value": [{"member": "m", "score": 1.5}, ...], "ttl": -1}
// (a sorted set in score order; an infinite score is the string "inf" or "-inf").
// When any field, value or member is not valid UTF-8, every one of them is sent as base64
// and the body says "encoding": "base64" (the key follows PutBytes's "key_encoding" rule).
//
// Threading: engine thread, like the CommandRunner it uses.
#pragma once

#include <optional>
#include <string_view>

#include "server/http/command_runner.h"
#include "server/http/json_replies.h"

namespace ember::server::http {

// The response for `key` when it holds a type with a JSON form (hash, set, list, zset); nullopt
// when it holds another type or nothing, for the caller to answer as it would for a string.
std::optional<Response> CollectionResponse(CommandRunner& runner, std::string_view key);

}  // namespace ember::server::http
