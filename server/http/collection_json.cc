#include "server/http/collection_json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "server/http/text_encoding.h"

namespace ember::server::http {
namespace {

namespace json = boost::json;
using protocol::ReplyValue;

// Whether every element's text is valid UTF-8, so the JSON can carry it as is.
bool AllUtf8(const std::vector<ReplyValue>& elements) {
  for (const ReplyValue& element : elements) {
    if (!IsValidUtf8(element.text)) return false;
  }
  return true;
}

json::string Text(const ReplyValue& element, bool base64) {
  return json::string(base64 ? Base64Encode(element.text) : element.text);
}

// HGETALL's map (fields and values alternate) as a JSON object.
json::value HashJson(const std::vector<ReplyValue>& elements, bool base64) {
  json::object object;
  for (size_t i = 0; i + 1 < elements.size(); i += 2) {
    object[Text(elements[i], base64)] = Text(elements[i + 1], base64);
  }
  return object;
}

// SMEMBERS's members or LRANGE's elements (in list order) as a JSON array.
json::value ArrayJson(const std::vector<ReplyValue>& elements, bool base64) {
  json::array array;
  array.reserve(elements.size());
  for (const ReplyValue& element : elements) array.emplace_back(Text(element, base64));
  return array;
}

// ZRANGE ... WITHSCORES's [member, score] pairs (the runner speaks RESP3), in order, as an
// array of {"member": m, "score": s}. A score is a JSON number, or the string "inf" /
// "-inf", which JSON numbers cannot express. Only members are base64 when `base64`.
json::value ZSetJson(const std::vector<ReplyValue>& pairs, bool base64) {
  json::array array;
  array.reserve(pairs.size());
  for (const ReplyValue& pair : pairs) {
    if (pair.elements.size() != 2) continue;
    json::object entry;
    entry["member"] = Text(pair.elements[0], base64);
    const std::string& score = pair.elements[1].text;
    if (score == "inf" || score == "-inf") {
      entry["score"] = score;
    } else {
      entry["score"] = std::strtod(score.c_str(), nullptr);
    }
    array.emplace_back(std::move(entry));
  }
  return array;
}

// The members of ZSetJson's pairs, for the UTF-8 check.
std::vector<ReplyValue> MembersOf(const std::vector<ReplyValue>& pairs) {
  std::vector<ReplyValue> members;
  for (const ReplyValue& pair : pairs) {
    if (!pair.elements.empty()) members.push_back(pair.elements.front());
  }
  return members;
}

}  // namespace

std::optional<Response> CollectionResponse(CommandRunner& runner, std::string_view key) {
  const ReplyValue type = runner.Run({"TYPE", key});
  const bool is_hash = type.text == "hash";
  ReplyValue contents;
  if (is_hash) {
    contents = runner.Run({"HGETALL", key});
  } else if (type.text == "set") {
    contents = runner.Run({"SMEMBERS", key});
  } else if (type.text == "list") {
    contents = runner.Run({"LRANGE", key, "0", "-1"});
  } else if (type.text == "zset") {
    contents = runner.Run({"ZRANGE", key, "0", "-1", "WITHSCORES"});
  } else {
    return std::nullopt;
  }
  if (contents.is_error()) return ErrorReplyResponse(contents.text);
  const ReplyValue ttl = runner.Run({"TTL", key});
  const bool base64 =
      !AllUtf8(type.text == "zset" ? MembersOf(contents.elements) : contents.elements);
  json::object body;
  PutBytes(body, "key", key, "key_encoding");
  body["type"] = type.text;
  if (is_hash) {
    body["value"] = HashJson(contents.elements, base64);
  } else if (type.text == "zset") {
    body["value"] = ZSetJson(contents.elements, base64);
  } else {
    body["value"] = ArrayJson(contents.elements, base64);
  }
  if (base64) body["encoding"] = "base64";
  body["ttl"] = ttl.integer;
  return JsonResponse(200, body);
}

}  // namespace ember::server::http
