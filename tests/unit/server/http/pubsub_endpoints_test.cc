// The pub/sub endpoints in-process, through HttpService: GET /subscribe answers an event
// stream's head and leaves the connection subscribed like a RESP client (pub/sub mode,
// PUBSUB counts), POST /publish reaches it through the registry, and auth and CORS apply as
// on the other routes.
#include "server/http/pubsub_endpoints.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "server/http/http_service.h"
#include "server/http/sse_framing.h"

namespace ember::server::http {
namespace {

using Verb = boost::beast::http::verb;
namespace beast_http = boost::beast::http;

class PubSubEndpointsTest : public ::testing::Test {
 protected:
  PubSubEndpointsTest()
      : state_(ServerConfig{}),
        dispatcher_(CommandTable::Default(), state_),
        service_(dispatcher_) {}
  ~PubSubEndpointsTest() override {
    state_.pubsub().UnsubscribeAll(subscriber_);
    state_.pubsub().UnsubscribeAll(publisher_);
  }

  Response Send(ClientState& client, Verb method, const std::string& target, std::string body = "",
                const std::string& authorization = "") {
    Request request(method, target, 11);
    request.body() = std::move(body);
    if (!authorization.empty()) request.set(beast_http::field::authorization, authorization);
    request.prepare_payload();
    return service_.Handle(request, client, now_ms_);
  }

  size_t NumSub(std::string_view channel) {
    return state_.pubsub().SubscriberCount(ChannelKind::kGlobal, channel);
  }

  ServerState state_;
  Dispatcher dispatcher_;
  HttpService service_;
  ClientState subscriber_;
  ClientState publisher_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(PubSubEndpointsTest, SubscribeAnswersAStreamHeadAndSubscribesLikeARespClient) {
  Response head = Send(subscriber_, Verb::get, "/subscribe/news?pattern=n*&pattern=x*");
  ASSERT_EQ(head.result_int(), 200u) << head.body();
  EXPECT_TRUE(IsEventStream(head));
  EXPECT_EQ(head[beast_http::field::content_type], "text/event-stream");
  EXPECT_EQ(head[beast_http::field::cache_control], "no-cache");
  EXPECT_EQ(head.find(beast_http::field::content_length), head.end());
  EXPECT_FALSE(head.keep_alive());
  EXPECT_TRUE(subscriber_.pubsub_mode);
  EXPECT_EQ(NumSub("news"), 1u);
  EXPECT_EQ(state_.pubsub().pattern_count(), 2u);
  EXPECT_TRUE(subscriber_.outbox.empty()) << "confirmations belong to the command's reply";
}

TEST_F(PubSubEndpointsTest, PublishReportsReceiversAndTheMessagesFrameAsEvents) {
  ASSERT_EQ(Send(subscriber_, Verb::get, "/subscribe/news?pattern=n*").result_int(), 200u);
  Response published = Send(publisher_, Verb::post, "/publish/news", "line1\nline2");
  ASSERT_EQ(published.result_int(), 200u) << published.body();
  EXPECT_EQ(boost::json::parse(published.body()), boost::json::parse(R"({"receivers":2})"));
  EXPECT_EQ(published[beast_http::field::content_type], "application/json");
  std::string sse;
  ASSERT_TRUE(AppendEvents(subscriber_.outbox, &sse));
  EXPECT_EQ(sse,
            "event: message\ndata: line1\ndata: line2\n\n"
            "event: pmessage\ndata: n*\ndata: news\ndata: line1\ndata: line2\n\n");
  EXPECT_EQ(subscriber_.output_pending, subscriber_.outbox.size());
  Response nobody = Send(publisher_, Verb::post, "/publish/empty", "x");
  EXPECT_EQ(boost::json::parse(nobody.body()), boost::json::parse(R"({"receivers":0})"));
}

TEST_F(PubSubEndpointsTest, SubscribeNeedsAChannelOrAPatternAndPublishAChannel) {
  EXPECT_EQ(Send(subscriber_, Verb::get, "/subscribe").result_int(), 400u);
  EXPECT_EQ(Send(subscriber_, Verb::get, "/subscribe/?other=1").result_int(), 400u);
  EXPECT_EQ(Send(publisher_, Verb::post, "/publish/", "x").result_int(), 400u);
  EXPECT_FALSE(subscriber_.pubsub_mode);
  Response patterns_only = Send(subscriber_, Verb::get, "/subscribe?pattern=a*");
  EXPECT_TRUE(IsEventStream(patterns_only));
  EXPECT_EQ(state_.pubsub().pattern_count(), 1u);
}

TEST_F(PubSubEndpointsTest, RequirePassRefusesBothRoutesWithoutSubscribing) {
  state_.config().requirepass = "s3cret";
  EXPECT_EQ(Send(subscriber_, Verb::get, "/subscribe/c").result_int(), 401u);
  EXPECT_EQ(Send(publisher_, Verb::post, "/publish/c", "x").result_int(), 401u);
  EXPECT_EQ(NumSub("c"), 0u);
  EXPECT_FALSE(subscriber_.pubsub_mode);
  EXPECT_TRUE(IsEventStream(Send(subscriber_, Verb::get, "/subscribe/c", "", "Bearer s3cret")));
  EXPECT_EQ(NumSub("c"), 1u);
}

TEST_F(PubSubEndpointsTest, CorsOriginIsSentOnlyWhenConfigured) {
  Response plain = Send(publisher_, Verb::post, "/publish/c", "x");
  EXPECT_EQ(plain.find(beast_http::field::access_control_allow_origin), plain.end());
  state_.config().http_cors_origin = "*";
  EXPECT_EQ(
      Send(subscriber_, Verb::get, "/subscribe/c")[beast_http::field::access_control_allow_origin],
      "*");
  EXPECT_EQ(Send(publisher_, Verb::get, "/health")[beast_http::field::access_control_allow_origin],
            "*");
}

}  // namespace
}  // namespace ember::server::http
