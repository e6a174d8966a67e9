#include "server/http/json_replies.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "server/http/text_encoding.h"

namespace ember::server::http {
namespace {

namespace beast_http = boost::beast::http;

struct ErrorCodeStatus {
  std::string_view code;
  unsigned status;
};

// Errors that say "the server cannot do this now" are 503 so that clients retry; errors
// about the request itself are 4xx.
constexpr ErrorCodeStatus kErrorStatuses[] = {
    {"WRONGTYPE", 409},  {"OOM", 503},      {"MISCONF", 503}, {"LOADING", 503},   {"BUSY", 503},
    {"MASTERDOWN", 503}, {"READONLY", 503}, {"NOAUTH", 401},  {"WRONGPASS", 401}, {"NOPERM", 403},
};

std::string ValidUtf8OrMasked(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string masked(text);
  for (char& c : masked) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  }
  return masked;
}

}  // namespace

unsigned StatusForError(std::string_view message) {
  if (!message.empty() && message.front() == '-') message.remove_prefix(1);
  const std::string_view code = message.substr(0, message.find(' '));
  for (const ErrorCodeStatus& entry : kErrorStatuses) {
    if (code == entry.code) return entry.status;
  }
  return 400;
}

Response JsonResponse(unsigned status, const boost::json::value& body) {
  Response response(static_cast<beast_http::status>(status), 11);
  response.set(beast_http::field::content_type, "application/json");
  response.body() = boost::json::serialize(body);
  response.body() += '\n';
  return response;
}

Response ErrorResponse(unsigned status, std::string_view message) {
  boost::json::object body;
  body["error"] = ValidUtf8OrMasked(message);
  return JsonResponse(status, body);
}

Response ErrorReplyResponse(std::string_view message) {
  return ErrorResponse(StatusForError(message), message);
}

void PutBytes(boost::json::object& object, std::string_view name, std::string_view bytes,
              std::string_view encoding_field) {
  if (IsValidUtf8(bytes)) {
    object[name] = bytes;
    return;
  }
  object[name] = Base64Encode(bytes);
  object[encoding_field] = "base64";
}

}  // namespace ember::server::http
