// HttpRouter: turns an HTTP method and request target into the endpoint to run and its
// decoded parameters. It knows the URL shapes and which methods each endpoint takes; it
// neither executes commands nor renders responses (http_endpoints.h does).
//
//   POST   /set                  JSON body
//   GET    /get?key=K
//   DELETE /delete?key=K
//   GET|HEAD|PUT|DELETE /keys/{K} (K percent-decoded, may contain '/')
//   GET    /subscribe/{C}[?pattern=P...], GET /subscribe?pattern=P...   Server-Sent Events
//   POST   /publish/{C}          raw body
//   GET    /health
//   GET    /metrics
//
// {K} and {C} are percent-decoded and may contain '/'; /subscribe without a channel is
// matched too (its patterns come from the query).
//
// Query strings are decoded as HTML forms send them ('+' is a space); paths are not.
// Threading: pure functions.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::server::http {

enum class Route { kSet, kGet, kDelete, kKey, kSubscribe, kPublish, kHealth, kMetrics, kNotFound };

// A short, stable name per route, used as the `route` label in /metrics.
std::string_view RouteLabel(Route route);

struct QueryParam {
  std::string name;
  std::string value;
  bool has_value = false;  // "?nx" has none; "?nx=" has an empty one
};

struct RouteMatch {
  Route route = Route::kNotFound;
  // False with a known route: answer 405 with `allow` as the Allow header.
  bool method_allowed = false;
  std::string_view allow;
  // False when the target is neither a valid origin-form URL nor an http(s) absolute-form
  // one (answer 400).
  bool target_valid = true;
  // The path's name: {K} of /keys/{K}, {C} of /subscribe/{C} and /publish/{C}; empty for
  // /subscribe alone.
  std::string key;
  std::vector<QueryParam> params;

  // The first parameter named `name`, or nullptr.
  const QueryParam* Find(std::string_view name) const;
};

RouteMatch MatchRoute(boost::beast::http::verb method, std::string_view target);

}  // namespace ember::server::http
