// JSON responses of the HTTP adapter: the response type, the mapping from a Redis error
// reply to an HTTP status, `{"error": ...}` bodies, and string fields that carry bytes that
// are not UTF-8 as base64.
//
// Error mapping (by the error code, the first word of the reply):
//   WRONGTYPE → 409   OOM, MISCONF, LOADING, BUSY, MASTERDOWN, READONLY → 503
//   NOAUTH, WRONGPASS → 401   NOPERM → 403   ERR, anything else a client caused → 400
//
// Threading: pure functions.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace ember::server::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// The HTTP status for a Redis error reply's message ("WRONGTYPE Operation against...").
unsigned StatusForError(std::string_view message);

// A response with `body` serialized as JSON (application/json).
Response JsonResponse(unsigned status, const boost::json::value& body);
// `{"error": message}`; bytes of `message` that would not be valid UTF-8 become '?'.
Response ErrorResponse(unsigned status, std::string_view message);
// ErrorResponse(StatusForError(message), message).
Response ErrorReplyResponse(std::string_view message);

// Sets object[name] to `bytes` when it is valid UTF-8; otherwise to its base64 and
// object[encoding_field] to "base64".
void PutBytes(boost::json::object& object, std::string_view name, std::string_view bytes,
              std::string_view encoding_field);

}  // namespace ember::server::http
