#include "server/http/http_router.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>
#include <optional>

namespace ember::server::http {
namespace {

namespace urls = boost::urls;
using Verb = boost::beast::http::verb;

constexpr std::string_view kKeysPrefix = "/keys/";

struct FixedRoute {
  std::string_view path;
  Route route;
  Verb method;
  std::string_view allow;
};

constexpr FixedRoute kFixedRoutes[] = {
    {"/set", Route::kSet, Verb::post, "POST"},
    {"/get", Route::kGet, Verb::get, "GET"},
    {"/delete", Route::kDelete, Verb::delete_, "DELETE"},
    {"/health", Route::kHealth, Verb::get, "GET"},
    {"/metrics", Route::kMetrics, Verb::get, "GET"},
};

void DecodeQuery(const urls::url_view& url, RouteMatch* match) {
  if (!url.has_query()) return;
  // space_as_plus: curl --data-urlencode, browsers and form libraries send ' ' as '+'.
  for (const auto& param : url.params(urls::encoding_opts(true, false, false))) {
    match->params.push_back({param.key, param.value, param.has_value});
  }
}

// The request target as a URL: origin-form ("/get?key=k"), or absolute-form
// ("http://host/get?key=k"), which RFC 9112 (section 3.2.2) requires servers to accept; the
// scheme and authority of the latter are ignored.
std::optional<urls::url_view> ParseTarget(std::string_view target) {
  const bool origin_form = !target.empty() && target.front() == '/';
  auto parsed = origin_form ? urls::parse_origin_form(target) : urls::parse_absolute_uri(target);
  if (!parsed) return std::nullopt;
  if (!origin_form && parsed->scheme_id() != urls::scheme::http &&
      parsed->scheme_id() != urls::scheme::https) {
    return std::nullopt;
  }
  return *parsed;
}

}  // namespace

std::string_view RouteLabel(Route route) {
  switch (route) {
    case Route::kSet:
      return "set";
    case Route::kGet:
      return "get";
    case Route::kDelete:
      return "delete";
    case Route::kKey:
      return "keys";
    case Route::kHealth:
      return "health";
    case Route::kMetrics:
      return "metrics";
    case Route::kNotFound:
      break;
  }
  return "unknown";
}

const QueryParam* RouteMatch::Find(std::string_view name) const {
  for (const QueryParam& param : params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

RouteMatch MatchRoute(Verb method, std::string_view target) {
  RouteMatch match;
  auto parsed = ParseTarget(target);
  if (!parsed) {
    match.target_valid = false;
    return match;
  }
  const urls::url_view& url = *parsed;
  const std::string_view path = url.encoded_path().empty() ? "/" : url.encoded_path();
  for (const FixedRoute& fixed : kFixedRoutes) {
    if (path != fixed.path) continue;
    match.route = fixed.route;
    match.method_allowed = method == fixed.method;
    match.allow = fixed.allow;
    DecodeQuery(url, &match);
    return match;
  }
  if (path.substr(0, kKeysPrefix.size()) == kKeysPrefix) {
    match.route = Route::kKey;
    match.method_allowed = method == Verb::get || method == Verb::head || method == Verb::put ||
                           method == Verb::delete_;
    match.allow = "GET, HEAD, PUT, DELETE";
    auto encoded = urls::make_pct_string_view(path.substr(kKeysPrefix.size()));
    if (!encoded) {
      match.target_valid = false;
      return match;
    }
    match.key = encoded->decode();
    DecodeQuery(url, &match);
  }
  return match;
}

}  // namespace ember::server::http
