#include "server/http/http_endpoints.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "server/http/collection_json.h"
#include "server/http/text_encoding.h"

namespace ember::server::http {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;
using protocol::ReplyValue;

constexpr std::string_view kNotFound = "key not found";

Response Ok() {
  json::object body;
  body["result"] = "OK";
  return JsonResponse(200, body);
}

// "12" → 12; nullopt for anything but a positive decimal integer that fits in int64.
std::optional<int64_t> PositiveInteger(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// Reads a string member, base64-decoded when `encoding_field` says so. Sets `error`.
std::optional<std::string> StringMember(const json::object& body, std::string_view name,
                                        std::string_view encoding_field, std::string* error) {
  const json::value* member = body.if_contains(name);
  if (member == nullptr || !member->is_string()) {
    *error = fmt::format("\"{}\" is required and must be a string", name);
    return std::nullopt;
  }
  std::string_view text = member->get_string();
  const json::value* encoding = body.if_contains(encoding_field);
  if (encoding == nullptr) return std::string(text);
  if (!encoding->is_string() || encoding->get_string() != "base64") {
    *error = fmt::format("\"{}\" must be \"base64\"", encoding_field);
    return std::nullopt;
  }
  auto decoded = Base64Decode(text);
  if (!decoded) *error = fmt::format("\"{}\" is not valid base64", name);
  return decoded;
}

// The key's TTL in seconds (-1: none, -2: missing), or the error reply.
ReplyValue Ttl(CommandRunner& runner, std::string_view key) { return runner.Run({"TTL", key}); }

Response Deleted(const ReplyValue& reply) {
  if (reply.is_error()) return ErrorReplyResponse(reply.text);
  if (reply.integer == 0) return ErrorResponse(404, kNotFound);
  json::object body;
  body["deleted"] = reply.integer;
  return JsonResponse(200, body);
}

// A string's bytes; a hash or a set as JSON (collection_json.h); 409 for other types.
Response GetRaw(CommandRunner& runner, std::string_view key) {
  ReplyValue value = runner.Run({"GET", key});
  if (value.is_error()) {
    if (StatusForError(value.text) == 409) {
      if (auto collection = CollectionResponse(runner, key)) return std::move(*collection);
    }
    return ErrorReplyResponse(value.text);
  }
  if (value.type == ReplyValue::Type::kNull) return ErrorResponse(404, kNotFound);
  const ReplyValue ttl = Ttl(runner, key);
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type, "application/octet-stream");
  response.set(kTtlHeader, std::to_string(ttl.integer));
  response.body() = std::move(value.text);
  return response;
}

Response Head(CommandRunner& runner, std::string_view key) {
  const ReplyValue ttl = Ttl(runner, key);
  if (ttl.is_error()) return ErrorReplyResponse(ttl.text);
  if (ttl.integer == -2) return ErrorResponse(404, kNotFound);
  const ReplyValue length = runner.Run({"STRLEN", key});
  if (length.is_error()) return ErrorReplyResponse(length.text);
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type, "application/octet-stream");
  response.set(kTtlHeader, std::to_string(ttl.integer));
  // The length GET would send; the body stays empty (HttpService keeps this header).
  response.content_length(static_cast<uint64_t>(length.integer));
  return response;
}

Response Put(CommandRunner& runner, const Request& request, const RouteMatch& match) {
  std::vector<std::string_view> args = {"SET", match.key, request.body()};
  const QueryParam* ttl = match.Find("ttl");
  const QueryParam* px = match.Find("px");
  if (ttl != nullptr && px != nullptr) return ErrorResponse(400, "use either ttl or px, not both");
  if (ttl != nullptr || px != nullptr) {
    const QueryParam* given = ttl != nullptr ? ttl : px;
    if (!PositiveInteger(given->value)) {
      return ErrorResponse(400, fmt::format("{} must be a positive integer", given->name));
    }
    args.push_back(ttl != nullptr ? "EX" : "PX");
    args.push_back(given->value);
  }
  const bool nx = match.Find("nx") != nullptr;
  const bool xx = match.Find("xx") != nullptr;
  if (nx && xx) return ErrorResponse(400, "use either nx or xx, not both");
  if (nx) args.push_back("NX");
  if (xx) args.push_back("XX");
  const ReplyValue reply = runner.Run(args);
  if (reply.is_error()) return ErrorReplyResponse(reply.text);
  if (reply.type == ReplyValue::Type::kNull) {
    return ErrorResponse(412, nx ? "key already exists" : "key does not exist");
  }
  return Ok();
}

}  // namespace

Response HandleSet(CommandRunner& runner, const Request& request) {
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body(), ec);
  if (ec) return ErrorResponse(400, fmt::format("invalid JSON body: {}", ec.message()));
  if (!parsed.is_object()) return ErrorResponse(400, "the body must be a JSON object");
  const json::object& body = parsed.get_object();
  std::string error;
  auto key = StringMember(body, "key", "key_encoding", &error);
  if (!key) return ErrorResponse(400, error);
  auto value = StringMember(body, "value", "encoding", &error);
  if (!value) return ErrorResponse(400, error);
  std::vector<std::string_view> args = {"SET", *key, *value};
  std::string ttl_text;
  if (const json::value* ttl = body.if_contains("ttl")) {
    if (!ttl->is_int64() || ttl->get_int64() <= 0) {
      return ErrorResponse(400, "\"ttl\" must be a positive integer (seconds)");
    }
    ttl_text = std::to_string(ttl->get_int64());
    args.push_back("EX");
    args.push_back(ttl_text);
  }
  const ReplyValue reply = runner.Run(args);
  if (reply.is_error()) return ErrorReplyResponse(reply.text);
  return Ok();
}

Response HandleGet(CommandRunner& runner, const RouteMatch& match) {
  const QueryParam* key = match.Find("key");
  if (key == nullptr) return ErrorResponse(400, "missing query parameter \"key\"");
  ReplyValue value = runner.Run({"GET", key->value});
  if (value.is_error()) return ErrorReplyResponse(value.text);
  if (value.type == ReplyValue::Type::kNull) return ErrorResponse(404, kNotFound);
  const ReplyValue ttl = Ttl(runner, key->value);
  json::object body;
  PutBytes(body, "key", key->value, "key_encoding");
  PutBytes(body, "value", value.text, "encoding");
  body["ttl"] = ttl.integer;
  return JsonResponse(200, body);
}

Response HandleDelete(CommandRunner& runner, std::string_view key) {
  return Deleted(runner.Run({"DEL", key}));
}

Response HandleKey(CommandRunner& runner, const Request& request, const RouteMatch& match) {
  switch (request.method()) {
    case beast_http::verb::get:
      return GetRaw(runner, match.key);
    case beast_http::verb::head:
      return Head(runner, match.key);
    case beast_http::verb::put:
      return Put(runner, request, match);
    default:
      return HandleDelete(runner, match.key);
  }
}

Response HandleHealth(CommandRunner& runner) {
  const ReplyValue reply = runner.Run({"PING"});
  json::object body;
  if (!reply.is_error()) {
    body["status"] = "ok";
    return JsonResponse(200, body);
  }
  const bool loading = reply.text.rfind("LOADING", 0) == 0;
  body["status"] = loading ? "loading" : "unavailable";
  body["error"] = reply.text;
  return JsonResponse(503, body);
}

}  // namespace ember::server::http
