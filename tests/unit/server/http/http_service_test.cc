// HttpService in-process: every endpoint and error status against a real ServerState and
// Dispatcher, with hand-built requests and a hand-set clock. RESP commands run through
// the same dispatcher check that HTTP and RESP share one keyspace.
#include "server/http/http_service.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "server/http/http_endpoints.h"

namespace ember::server::http {
namespace {

using Verb = boost::beast::http::verb;
namespace json = boost::json;

class HttpServiceTest : public ::testing::Test {
 protected:
  HttpServiceTest()
      : state_(ServerConfig{}),
        dispatcher_(CommandTable::Default(), state_),
        service_(dispatcher_) {}

  Response Send(Verb method, std::string target, std::string body = "",
                std::string authorization = "") {
    Request request(method, target, 11);
    request.body() = std::move(body);
    if (!authorization.empty())
      request.set(boost::beast::http::field::authorization, authorization);
    request.prepare_payload();
    return service_.Handle(request, client_, now_ms_);
  }

  // Runs a command as a RESP client would and returns the raw RESP2 reply.
  std::string Resp(std::vector<std::string> args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    std::string out;
    protocol::ReplyWriter writer(&out, 2);
    ClientState resp_client;
    dispatcher_.Execute(views, resp_client, writer, now_ms_);
    return out;
  }

  static json::value Json(const Response& response) { return json::parse(response.body()); }

  ServerState state_;
  Dispatcher dispatcher_;
  HttpService service_;
  ClientState client_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(HttpServiceTest, SetThenGetRoundTripsWithTtl) {
  Response set = Send(Verb::post, "/set", R"({"key":"k","value":"v","ttl":100})");
  EXPECT_EQ(set.result_int(), 200u);
  EXPECT_EQ(Json(set).at("result").as_string(), "OK");
  EXPECT_EQ(Resp({"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(Resp({"PTTL", "k"}), ":100000\r\n");
  now_ms_ += 30'000;
  Response get = Send(Verb::get, "/get?key=k");
  EXPECT_EQ(get.result_int(), 200u);
  EXPECT_EQ(get[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(Json(get), json::parse(R"({"key":"k","value":"v","ttl":70})"));
}

TEST_F(HttpServiceTest, GetWithoutTtlReportsMinusOneAndMissingKeyIs404) {
  Resp({"SET", "plain", "x"});
  EXPECT_EQ(Json(Send(Verb::get, "/get?key=plain")).at("ttl").as_int64(), -1);
  Response missing = Send(Verb::get, "/get?key=nope");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_TRUE(Json(missing).at("error").is_string());
}

TEST_F(HttpServiceTest, BinaryValuesTravelAsBase64BothWays) {
  Resp({"SET", "bin", std::string("\x00\xFF", 2)});
  json::value got = Json(Send(Verb::get, "/get?key=bin"));
  EXPECT_EQ(got.at("value").as_string(), "AP8=");
  EXPECT_EQ(got.at("encoding").as_string(), "base64");
  EXPECT_EQ(
      Send(Verb::post, "/set", R"({"key":"b2","value":"AAEC","encoding":"base64"})").result_int(),
      200u);
  EXPECT_EQ(Resp({"GET", "b2"}), std::string("$3\r\n\x00\x01\x02\r\n", 9));
  EXPECT_EQ(
      Send(Verb::post, "/set", R"({"key":"b3","value":"!!","encoding":"base64"})").result_int(),
      400u);
}

TEST_F(HttpServiceTest, SetRejectsBadBodiesWith400) {
  for (const char* body :
       {"{", "[1]", R"({"value":"v"})", R"({"key":1,"value":"v"})", R"({"key":"k"})",
        R"({"key":"k","value":"v","ttl":0})", R"({"key":"k","value":"v","ttl":-5})",
        R"({"key":"k","value":"v","ttl":1.5})", R"({"key":"k","value":"v","ttl":"10"})",
        R"({"key":"k","value":"v","encoding":"hex"})"}) {
    Response response = Send(Verb::post, "/set", body);
    EXPECT_EQ(response.result_int(), 400u) << body;
    EXPECT_TRUE(Json(response).at("error").is_string()) << body;
  }
  EXPECT_EQ(Resp({"DBSIZE"}), ":0\r\n");
}

TEST_F(HttpServiceTest, TtlTheEngineRefusesIsA400WithRedisText) {
  Response response =
      Send(Verb::post, "/set", R"({"key":"k","value":"v","ttl":9223372036854775807})");
  EXPECT_EQ(response.result_int(), 400u);
  EXPECT_EQ(Json(response).at("error").as_string(), "ERR invalid expire time in 'set' command");
}

TEST_F(HttpServiceTest, DeleteEndpointsReport404WhenMissing) {
  Resp({"SET", "a", "1"});
  Response deleted = Send(Verb::delete_, "/delete?key=a");
  EXPECT_EQ(deleted.result_int(), 200u);
  EXPECT_EQ(Json(deleted), json::parse(R"({"deleted":1})"));
  EXPECT_EQ(Send(Verb::delete_, "/delete?key=a").result_int(), 404u);
  EXPECT_EQ(Send(Verb::delete_, "/delete").result_int(), 400u);
  EXPECT_EQ(Send(Verb::get, "/get").result_int(), 400u);
  Resp({"SET", "x/y", "1"});
  EXPECT_EQ(Send(Verb::delete_, "/keys/x%2Fy").result_int(), 200u);
  EXPECT_EQ(Send(Verb::delete_, "/keys/x/y").result_int(), 404u);
}

TEST_F(HttpServiceTest, KeyResourceServesRawBytesWithTtlHeader) {
  Response put = Send(Verb::put, "/keys/dir/file%20name?ttl=50", std::string("\x00raw", 4));
  EXPECT_EQ(put.result_int(), 200u);
  EXPECT_EQ(Resp({"TTL", "dir/file name"}), ":50\r\n");
  Response get = Send(Verb::get, "/keys/dir/file%20name");
  EXPECT_EQ(get.result_int(), 200u);
  EXPECT_EQ(get.body(), std::string("\x00raw", 4));
  EXPECT_EQ(get[boost::beast::http::field::content_type], "application/octet-stream");
  EXPECT_EQ(get[kTtlHeader], "50");
  EXPECT_EQ(Send(Verb::get, "/keys/none").result_int(), 404u);
}

TEST_F(HttpServiceTest, HeadAnswersExistenceWithLengthAndNoBody) {
  Resp({"SET", "h", "hello"});
  Response head = Send(Verb::head, "/keys/h");
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(head[boost::beast::http::field::content_length], "5");
  EXPECT_EQ(head[kTtlHeader], "-1");
  Response missing = Send(Verb::head, "/keys/nope");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_TRUE(missing.body().empty());
}

TEST_F(HttpServiceTest, PutHonoursPxNxAndXx) {
  EXPECT_EQ(Send(Verb::put, "/keys/p?px=1500", "v").result_int(), 200u);
  EXPECT_EQ(Resp({"PTTL", "p"}), ":1500\r\n");
  EXPECT_EQ(Send(Verb::put, "/keys/p?nx", "w").result_int(), 412u);
  EXPECT_EQ(Send(Verb::put, "/keys/q?xx", "w").result_int(), 412u);
  EXPECT_EQ(Send(Verb::put, "/keys/p?xx", "w").result_int(), 200u);
  EXPECT_EQ(Resp({"GET", "p"}), "$1\r\nw\r\n");
  EXPECT_EQ(Resp({"TTL", "p"}), ":-1\r\n");
  for (const char* bad : {"/keys/p?ttl=0", "/keys/p?ttl=abc", "/keys/p?px=-1", "/keys/p?ttl",
                          "/keys/p?ttl=1&px=1", "/keys/p?nx&xx"}) {
    EXPECT_EQ(Send(Verb::put, bad, "v").result_int(), 400u) << bad;
  }
}

TEST_F(HttpServiceTest, UnknownRoutesAndWrongMethods) {
  EXPECT_EQ(Send(Verb::get, "/nope").result_int(), 404u);
  Response wrong = Send(Verb::get, "/set");
  EXPECT_EQ(wrong.result_int(), 405u);
  EXPECT_EQ(wrong[boost::beast::http::field::allow], "POST");
  EXPECT_EQ(Send(Verb::post, "/keys/k").result_int(), 405u);
  EXPECT_EQ(Send(Verb::get, "/keys/%zz").result_int(), 400u);
}

TEST_F(HttpServiceTest, RequirePassNeedsTheBearerTokenExceptForHealth) {
  state_.config().requirepass = "s3cret";
  Response denied = Send(Verb::get, "/get?key=k");
  EXPECT_EQ(denied.result_int(), 401u);
  EXPECT_EQ(denied[boost::beast::http::field::www_authenticate], "Bearer realm=\"ember\"");
  EXPECT_EQ(Send(Verb::get, "/get?key=k", "", "Bearer wrong").result_int(), 401u);
  EXPECT_EQ(Send(Verb::get, "/metrics", "", "Basic czNjcmV0").result_int(), 401u);
  EXPECT_EQ(Send(Verb::post, "/set", R"({"key":"k","value":"v"})", "Bearer s3cret").result_int(),
            200u);
  EXPECT_EQ(Send(Verb::get, "/get?key=k", "", "bearer s3cret").result_int(), 200u);
  EXPECT_EQ(Send(Verb::get, "/health").result_int(), 200u);
  EXPECT_EQ(Send(Verb::get, "/get?key=k").result_int(), 401u);  // per request, not sticky
}

TEST_F(HttpServiceTest, HealthIsOkWhenServing) {
  Response health = Send(Verb::get, "/health");
  EXPECT_EQ(health.result_int(), 200u);
  EXPECT_EQ(Json(health).at("status").as_string(), "ok");
}

TEST_F(HttpServiceTest, WhileLoadingHealthAndDataAre503ButMetricsServe) {
  state_.persistence().loading = true;
  Response health = Send(Verb::get, "/health");
  EXPECT_EQ(health.result_int(), 503u);
  EXPECT_EQ(Json(health).at("status").as_string(), "loading");
  Response get = Send(Verb::get, "/get?key=k");
  EXPECT_EQ(get.result_int(), 503u);
  EXPECT_EQ(Json(get).at("error").as_string(), "LOADING Redis is loading the dataset in memory");
  EXPECT_EQ(Send(Verb::put, "/keys/k", "v").result_int(), 503u);
  Response metrics = Send(Verb::get, "/metrics");
  EXPECT_EQ(metrics.result_int(), 200u);
  EXPECT_NE(metrics.body().find("\nember_loading 1\n"), std::string::npos) << metrics.body();
  state_.persistence().loading = false;
  EXPECT_EQ(Send(Verb::get, "/health").result_int(), 200u);
}

TEST_F(HttpServiceTest, CommandsCountInServerStatsAndKeepAliveFollowsTheRequest) {
  const uint64_t before = state_.stats().total_commands_processed;
  Send(Verb::post, "/set", R"({"key":"k","value":"v"})");
  EXPECT_EQ(state_.stats().total_commands_processed, before + 1);
  Request request(Verb::get, "/health", 10);
  EXPECT_FALSE(service_.Handle(request, client_, now_ms_).keep_alive());
  Request keep(Verb::get, "/health", 11);
  EXPECT_TRUE(service_.Handle(keep, client_, now_ms_).keep_alive());
}

}  // namespace
}  // namespace ember::server::http
