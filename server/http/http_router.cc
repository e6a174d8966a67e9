#include "server/http/http_router.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>
#include <cstdint>
#include <optional>

namespace ember::server::http {
namespace {

namespace urls = boost::urls;
using Verb = boost::beast::http::verb;

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

// Routes whose path ends in a name: the prefix, then the percent-decoded rest.
struct NamedRoute {
  std::string_view prefix;  // ends in '/'
  Route route;
  uint64_t methods;  // MethodBit of each allowed method
  std::string_view allow;
  bool name_optional;  // the prefix without its '/' matches too, with no name
};

static_assert(static_cast<unsigned>(Verb::unlink) < 64, "Beast's verbs fit a 64-bit mask");
constexpr uint64_t MethodBit(Verb verb) { return uint64_t{1} << static_cast<unsigned>(verb); }

constexpr NamedRoute kNamedRoutes[] = {
    {"/keys/", Route::kKey,
     MethodBit(Verb::get) | MethodBit(Verb::head) | MethodBit(Verb::put) | MethodBit(Verb::delete_),
     "GET, HEAD, PUT, DELETE", false},
    {"/subscribe/", Route::kSubscribe, MethodBit(Verb::get), "GET", true},
    {"/publish/", Route::kPublish, MethodBit(Verb::post), "POST", false},
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
    case Route::kSubscribe:
      return "subscribe";
    case Route::kPublish:
      return "publish";
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
  for (const NamedRoute& named : kNamedRoutes) {
    const std::string_view bare = named.prefix.substr(0, named.prefix.size() - 1);
    const bool with_name = path.substr(0, named.prefix.size()) == named.prefix;
    if (!with_name && !(named.name_optional && path == bare)) continue;
    match.route = named.route;
    match.method_allowed = (named.methods & MethodBit(method)) != 0;
    match.allow = named.allow;
    if (with_name) {
      auto encoded = urls::make_pct_string_view(path.substr(named.prefix.size()));
      if (!encoded) {
        match.target_valid = false;
        return match;
      }
      match.key = encoded->decode();
    }
    DecodeQuery(url, &match);
    return match;
  }
  return match;
}

}  // namespace ember::server::http
