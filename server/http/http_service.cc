#include "server/http/http_service.h"

#include <boost/beast/http/field.hpp>
#include <cctype>

#include "server/core/secret_compare.h"
#include "server/http/command_runner.h"
#include "server/http/http_endpoints.h"
#include "server/http/http_router.h"
#include "server/http/pubsub_endpoints.h"

namespace ember::server::http {
namespace {

namespace beast_http = boost::beast::http;

constexpr std::string_view kBearer = "Bearer ";

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool HttpService::Authorized(const Request& request) const {
  const std::string& password = dispatcher_.server().config().requirepass;
  if (password.empty()) return true;
  auto it = request.find(beast_http::field::authorization);
  if (it == request.end()) return false;
  std::string_view value = it->value();
  if (!StartsWithIgnoreCase(value, kBearer)) return false;
  value.remove_prefix(kBearer.size());
  return SecretEquals(value, password);
}

Response HttpService::Metrics(CommandRunner& runner) {
  const protocol::ReplyValue info = runner.Run({"INFO"});
  if (info.is_error()) return ErrorReplyResponse(info.text);
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type, kMetricsContentType);
  response.body() = RenderMetrics(info.text, stats_);
  return response;
}

Response HttpService::Dispatch(const Request& request, ClientState& client, int64_t now_ms,
                               Route* route) {
  const RouteMatch match = MatchRoute(request.method(), request.target());
  *route = match.route;
  if (!match.target_valid) return ErrorResponse(400, "malformed request target");
  if (match.route == Route::kNotFound) return ErrorResponse(404, "no such endpoint");
  if (!match.method_allowed) {
    Response response = ErrorResponse(405, "method not allowed");
    response.set(beast_http::field::allow, match.allow);
    return response;
  }
  // /health answers probes that carry no credentials; it reveals nothing but liveness.
  client.authenticated = match.route == Route::kHealth || Authorized(request);
  if (!client.authenticated) {
    Response response = ErrorResponse(401, "authentication required");
    response.set(beast_http::field::www_authenticate, "Bearer realm=\"ember\"");
    return response;
  }
  CommandRunner runner(dispatcher_, client, now_ms);
  switch (match.route) {
    case Route::kSet:
      return HandleSet(runner, request);
    case Route::kGet:
      return HandleGet(runner, match);
    case Route::kDelete: {
      const QueryParam* key = match.Find("key");
      if (key == nullptr) return ErrorResponse(400, "missing query parameter \"key\"");
      return HandleDelete(runner, key->value);
    }
    case Route::kKey:
      return HandleKey(runner, request, match);
    case Route::kSubscribe:
      return HandleSubscribe(runner, match);
    case Route::kPublish:
      return HandlePublish(runner, request, match);
    case Route::kHealth:
      return HandleHealth(runner);
    case Route::kMetrics:
      return Metrics(runner);
    case Route::kNotFound:
      break;
  }
  return ErrorResponse(404, "no such endpoint");
}

Response HttpService::Handle(const Request& request, ClientState& client, int64_t now_ms) {
  Route route = Route::kNotFound;
  Response response = Dispatch(request, client, now_ms, &route);
  stats_.RecordRequest(route, response.result_int());
  response.version(request.version());
  const std::string& cors_origin = dispatcher_.server().config().http_cors_origin;
  if (!cors_origin.empty()) {
    response.set(beast_http::field::access_control_allow_origin, cors_origin);
  }
  if (IsEventStream(response)) {
    // The session writes the body as messages arrive, until the connection ends.
    response.keep_alive(false);
    return response;
  }
  response.keep_alive(request.keep_alive());
  if (request.method() == beast_http::verb::head) {
    // HEAD answers with GET's headers and no body.
    if (response.find(beast_http::field::content_length) == response.end()) {
      response.content_length(response.body().size());
    }
    response.body().clear();
  } else {
    response.prepare_payload();
  }
  return response;
}

}  // namespace ember::server::http
