// The HTTP adapter's view of collections against the real binary: `GET /keys/{key}` returns
// a hash as a JSON object and a set as a JSON array with the type and TTL (base64 when the
// contents are not UTF-8), and the string endpoints answer 409 with Redis's WRONGTYPE text.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";

class HttpCollectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    http_port_ = ServerProcess::FreePort();
    server_ =
        new ServerProcess(ServerProcess::StartEmber({"--http-port", std::to_string(http_port_)}));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->running());
    resp_ = std::make_unique<RedisClient>(server_->port());
    ASSERT_EQ(resp_->Command({"FLUSHALL"}), Status("OK"));
    http_ = std::make_unique<HttpClient>(http_port_);
    ASSERT_TRUE(http_->connected());
  }

  static ServerProcess* server_;
  static int http_port_;
  std::unique_ptr<RedisClient> resp_;
  std::unique_ptr<HttpClient> http_;
};

ServerProcess* HttpCollectionsTest::server_ = nullptr;
int HttpCollectionsTest::http_port_ = 0;

// The "value" array of a set response, sorted (sets have no order).
std::vector<std::string> SortedMembers(const json::object& body) {
  std::vector<std::string> members;
  for (const json::value& member : body.at("value").as_array()) {
    members.emplace_back(member.as_string());
  }
  std::sort(members.begin(), members.end());
  return members;
}

TEST_F(HttpCollectionsTest, HashIsAJsonObjectWithTypeAndTtl) {
  ASSERT_EQ(resp_->Command({"HSET", "user:1", "name", "Ada", "visits", "3"}), Int(2));
  ASSERT_EQ(resp_->Command({"EXPIRE", "user:1", "100"}), Int(1));
  HttpResponse get = http_->Request("GET", "/keys/user:1");
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(get.Header("content-type"), "application/json");
  const json::object body = json::parse(get.body).as_object();
  EXPECT_EQ(body.at("key").as_string(), "user:1");
  EXPECT_EQ(body.at("type").as_string(), "hash");
  EXPECT_EQ(body.at("value"), json::parse(R"({"name":"Ada","visits":"3"})"));
  const int64_t ttl = body.at("ttl").as_int64();
  EXPECT_GT(ttl, 90);
  EXPECT_LE(ttl, 100);
  EXPECT_FALSE(body.contains("encoding"));
}

TEST_F(HttpCollectionsTest, SetIsAJsonArrayWithTypeAndTtl) {
  ASSERT_EQ(resp_->Command({"SADD", "tags", "red", "green", "42"}), Int(3));
  HttpResponse get = http_->Request("GET", "/keys/tags");
  ASSERT_EQ(get.status, 200) << get.body;
  const json::object body = json::parse(get.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "set");
  EXPECT_EQ(body.at("ttl").as_int64(), -1);
  EXPECT_EQ(SortedMembers(body), (std::vector<std::string>{"42", "green", "red"}));
}

TEST_F(HttpCollectionsTest, ListIsAJsonArrayInListOrder) {
  ASSERT_EQ(resp_->Command({"RPUSH", "queue", "b", "c", "7"}), Int(3));
  ASSERT_EQ(resp_->Command({"LPUSH", "queue", "a"}), Int(4));
  HttpResponse get = http_->Request("GET", "/keys/queue");
  ASSERT_EQ(get.status, 200) << get.body;
  const json::object body = json::parse(get.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "list");
  EXPECT_EQ(body.at("ttl").as_int64(), -1);
  EXPECT_EQ(body.at("value"), json::parse(R"(["a","b","c","7"])"));
  EXPECT_EQ(http_->Request("GET", "/get?key=queue").status, 409);
}

TEST_F(HttpCollectionsTest, SortedSetIsAnArrayOfMembersAndScoresInOrder) {
  ASSERT_EQ(
      resp_->Command({"ZADD", "board", "2.5", "bob", "-inf", "low", "10", "amy", "inf", "top"}),
      Int(4));
  ASSERT_EQ(resp_->Command({"EXPIRE", "board", "100"}), Int(1));
  HttpResponse get = http_->Request("GET", "/keys/board");
  ASSERT_EQ(get.status, 200) << get.body;
  const json::object body = json::parse(get.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "zset");
  EXPECT_GT(body.at("ttl").as_int64(), 0);
  EXPECT_EQ(body.at("value"), json::parse(R"([{"member":"low","score":"-inf"},
      {"member":"bob","score":2.5},{"member":"amy","score":10.0},
      {"member":"top","score":"inf"}])"));
  EXPECT_EQ(http_->Request("GET", "/get?key=board").status, 409);
}

TEST_F(HttpCollectionsTest, NonUtf8ContentsTravelAsBase64) {
  const std::string binary("\xff\x00\x01", 3);
  ASSERT_EQ(resp_->Command({"SADD", "raw", binary, "plain"}), Int(2));
  HttpResponse get = http_->Request("GET", "/keys/raw");
  ASSERT_EQ(get.status, 200) << get.body;
  const json::object body = json::parse(get.body).as_object();
  EXPECT_EQ(body.at("encoding").as_string(), "base64");
  // base64 of "\xff\x00\x01" and of "plain".
  EXPECT_EQ(SortedMembers(body), (std::vector<std::string>{"/wAB", "cGxhaW4="}));
}

TEST_F(HttpCollectionsTest, StringEndpointsOnACollectionAnswer409WithWrongType) {
  ASSERT_EQ(resp_->Command({"HSET", "h", "f", "v"}), Int(1));
  HttpResponse get = http_->Request("GET", "/get?key=h");
  EXPECT_EQ(get.status, 409);
  EXPECT_EQ(json::parse(get.body).at("error").as_string(), kWrongType);
  EXPECT_EQ(http_->Request("HEAD", "/keys/h").status, 409);
  // PUT is SET, which replaces a value of any type, as in Redis.
  EXPECT_EQ(http_->Request("PUT", "/keys/h", "now-a-string").status, 200);
  EXPECT_EQ(resp_->Command({"TYPE", "h"}), Status("string"));
}

TEST_F(HttpCollectionsTest, MissingKeyIs404) {
  EXPECT_EQ(http_->Request("GET", "/keys/none").status, 404);
}

}  // namespace
}  // namespace ember::test
