// HttpRouter: which endpoint a method and target reach, with keys and query parameters
// decoded as clients send them.
#include "server/http/http_router.h"

#include <gtest/gtest.h>

namespace ember::server::http {
namespace {

using Verb = boost::beast::http::verb;

TEST(HttpRouterTest, FixedRoutesMatchTheirMethodOnly) {
  EXPECT_EQ(MatchRoute(Verb::post, "/set").route, Route::kSet);
  EXPECT_TRUE(MatchRoute(Verb::post, "/set").method_allowed);
  RouteMatch wrong = MatchRoute(Verb::get, "/set");
  EXPECT_EQ(wrong.route, Route::kSet);
  EXPECT_FALSE(wrong.method_allowed);
  EXPECT_EQ(wrong.allow, "POST");
  EXPECT_TRUE(MatchRoute(Verb::get, "/get?key=a").method_allowed);
  EXPECT_TRUE(MatchRoute(Verb::delete_, "/delete?key=a").method_allowed);
  EXPECT_EQ(MatchRoute(Verb::post, "/health").allow, "GET");
  EXPECT_TRUE(MatchRoute(Verb::get, "/metrics").method_allowed);
}

TEST(HttpRouterTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(MatchRoute(Verb::get, "/").route, Route::kNotFound);
  EXPECT_EQ(MatchRoute(Verb::get, "/gets").route, Route::kNotFound);
  EXPECT_EQ(MatchRoute(Verb::get, "/keys").route, Route::kNotFound);
  EXPECT_EQ(MatchRoute(Verb::get, "/set/").route, Route::kNotFound);
}

TEST(HttpRouterTest, KeyResourceIsPercentDecodedAndMayContainSlashes) {
  RouteMatch match = MatchRoute(Verb::get, "/keys/user%3A1/profile%2Fx%20y");
  EXPECT_EQ(match.route, Route::kKey);
  EXPECT_EQ(match.key, "user:1/profile/x y");
  EXPECT_EQ(MatchRoute(Verb::get, "/keys/a+b").key, "a+b");  // '+' is literal in paths
  EXPECT_EQ(MatchRoute(Verb::get, "/keys/%00%FF").key, std::string("\0\xFF", 2));
  for (Verb verb : {Verb::get, Verb::head, Verb::put, Verb::delete_}) {
    EXPECT_TRUE(MatchRoute(verb, "/keys/k").method_allowed);
  }
  RouteMatch post = MatchRoute(Verb::post, "/keys/k");
  EXPECT_FALSE(post.method_allowed);
  EXPECT_EQ(post.allow, "GET, HEAD, PUT, DELETE");
}

TEST(HttpRouterTest, QueryParametersDecodeLikeForms) {
  RouteMatch match = MatchRoute(Verb::put, "/keys/k?ttl=10&nx&px=&name=a+b%2Bc");
  ASSERT_NE(match.Find("ttl"), nullptr);
  EXPECT_EQ(match.Find("ttl")->value, "10");
  ASSERT_NE(match.Find("nx"), nullptr);
  EXPECT_FALSE(match.Find("nx")->has_value);
  ASSERT_NE(match.Find("px"), nullptr);
  EXPECT_TRUE(match.Find("px")->has_value);
  EXPECT_EQ(match.Find("name")->value, "a b+c");
  EXPECT_EQ(match.Find("xx"), nullptr);
  EXPECT_EQ(MatchRoute(Verb::get, "/get?key=first&key=second").Find("key")->value, "first");
}

TEST(HttpRouterTest, MalformedTargetsAreFlagged) {
  EXPECT_FALSE(MatchRoute(Verb::get, "/keys/%zz").target_valid);
  EXPECT_FALSE(MatchRoute(Verb::get, "ftp://host/get").target_valid);
  EXPECT_FALSE(MatchRoute(Verb::get, "host/get").target_valid);
  EXPECT_FALSE(MatchRoute(Verb::get, "/get?key=a b").target_valid);
}

// RFC 9112 section 3.2.2: servers accept absolute-form targets (what proxies send).
TEST(HttpRouterTest, AbsoluteFormTargetsRouteByTheirPath) {
  const RouteMatch get = MatchRoute(Verb::get, "http://127.0.0.1:8080/get?key=k");
  EXPECT_TRUE(get.target_valid);
  EXPECT_EQ(get.route, Route::kGet);
  EXPECT_EQ(get.Find("key")->value, "k");
  EXPECT_EQ(MatchRoute(Verb::get, "https://host/keys/a%2Fb").key, "a/b");
  EXPECT_EQ(MatchRoute(Verb::get, "HTTP://host/health").route, Route::kHealth);
  EXPECT_EQ(MatchRoute(Verb::get, "http://host").route, Route::kNotFound);
}

TEST(HttpRouterTest, PubSubRoutesTakeAChannelFromThePath) {
  const RouteMatch subscribe =
      MatchRoute(Verb::get, "/subscribe/news%2Fsport?pattern=a*&pattern=b?");
  EXPECT_EQ(subscribe.route, Route::kSubscribe);
  EXPECT_TRUE(subscribe.method_allowed);
  EXPECT_EQ(subscribe.key, "news/sport");
  ASSERT_EQ(subscribe.params.size(), 2u);
  EXPECT_EQ(subscribe.params[1].value, "b?");
  const RouteMatch patterns_only = MatchRoute(Verb::get, "/subscribe?pattern=news.*");
  EXPECT_EQ(patterns_only.route, Route::kSubscribe);
  EXPECT_EQ(patterns_only.key, "");
  EXPECT_EQ(patterns_only.Find("pattern")->value, "news.*");
  const RouteMatch publish = MatchRoute(Verb::post, "/publish/a%20b");
  EXPECT_EQ(publish.route, Route::kPublish);
  EXPECT_TRUE(publish.method_allowed);
  EXPECT_EQ(publish.key, "a b");
  // /publish needs a channel; /subscribes is another path.
  EXPECT_EQ(MatchRoute(Verb::post, "/publish").route, Route::kNotFound);
  EXPECT_EQ(MatchRoute(Verb::get, "/subscribes").route, Route::kNotFound);
  EXPECT_FALSE(MatchRoute(Verb::get, "/subscribe/%zz").target_valid);
}

TEST(HttpRouterTest, PubSubRoutesAllowOneMethodEach) {
  const RouteMatch post_subscribe = MatchRoute(Verb::post, "/subscribe/c");
  EXPECT_FALSE(post_subscribe.method_allowed);
  EXPECT_EQ(post_subscribe.allow, "GET");
  EXPECT_FALSE(MatchRoute(Verb::head, "/subscribe/c").method_allowed);
  const RouteMatch get_publish = MatchRoute(Verb::get, "/publish/c");
  EXPECT_FALSE(get_publish.method_allowed);
  EXPECT_EQ(get_publish.allow, "POST");
  EXPECT_FALSE(MatchRoute(Verb::unknown, "/publish/c").method_allowed);
}

TEST(HttpRouterTest, RouteLabelsAreStable) {
  EXPECT_EQ(RouteLabel(Route::kKey), "keys");
  EXPECT_EQ(RouteLabel(Route::kSubscribe), "subscribe");
  EXPECT_EQ(RouteLabel(Route::kPublish), "publish");
  EXPECT_EQ(RouteLabel(Route::kNotFound), "unknown");
}

}  // namespace
}  // namespace ember::server::http
