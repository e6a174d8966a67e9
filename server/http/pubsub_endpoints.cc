#include "server/http/pubsub_endpoints.h"

#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

namespace ember::server::http {
namespace {

namespace beast_http = boost::beast::http;
using protocol::ReplyValue;

constexpr std::string_view kEventStreamType = "text/event-stream";

// Undoes a partial subscription (a channel subscribed before the patterns were refused).
void UnsubscribeAll(CommandRunner& runner) {
  runner.Run({"UNSUBSCRIBE"});
  runner.Run({"PUNSUBSCRIBE"});
}

}  // namespace

Response HandleSubscribe(CommandRunner& runner, const RouteMatch& match) {
  std::vector<std::string_view> psubscribe = {"PSUBSCRIBE"};
  for (const QueryParam& param : match.params) {
    if (param.name == "pattern" && param.has_value) psubscribe.push_back(param.value);
  }
  if (match.key.empty() && psubscribe.size() == 1) {
    return ErrorResponse(400, "name a channel (/subscribe/{channel}) or a ?pattern=");
  }
  if (!match.key.empty()) {
    const ReplyValue reply = runner.Run({"SUBSCRIBE", match.key});
    if (reply.is_error()) return ErrorReplyResponse(reply.text);
  }
  if (psubscribe.size() > 1) {
    const ReplyValue reply = runner.Run(psubscribe);
    if (reply.is_error()) {
      UnsubscribeAll(runner);
      return ErrorReplyResponse(reply.text);
    }
  }
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type, kEventStreamType);
  // Intermediaries must neither cache nor buffer a stream.
  response.set(beast_http::field::cache_control, "no-cache");
  return response;
}

Response HandlePublish(CommandRunner& runner, const Request& request, const RouteMatch& match) {
  if (match.key.empty()) return ErrorResponse(400, "name a channel: /publish/{channel}");
  const ReplyValue reply = runner.Run({"PUBLISH", match.key, request.body()});
  if (reply.is_error()) return ErrorReplyResponse(reply.text);
  boost::json::object body;
  body["receivers"] = reply.integer;
  return JsonResponse(200, body);
}

bool IsEventStream(const Response& response) {
  if (response.result() != beast_http::status::ok) return false;
  auto it = response.find(beast_http::field::content_type);
  return it != response.end() && it->value() == kEventStreamType;
}

}  // namespace ember::server::http
