// The HTTP adapter against the real binary with a Beast client: every endpoint and error
// status over a socket, HTTP/1.1 connection handling (keep-alive, pipelining, chunked
// bodies, body and header limits, the header-read timeout), and HTTP and RESP clients
// sharing one keyspace.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/http_server.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace ember::test {
namespace {

namespace json = boost::json;

class HttpAdapterTest : public HttpServerSuite<HttpAdapterTest> {
 public:
  static std::vector<std::string> ServerArgs() { return {"--http-max-body", "4096"}; }

 protected:
  void SetUp() override {
    HttpServerSuite::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(resp_->Command({"FLUSHALL"}), Status("OK"));
    http_ = std::make_unique<HttpClient>(server_->http_port);
    ASSERT_TRUE(http_->connected());
  }

  std::unique_ptr<HttpClient> http_;
};

json::value Json(const HttpResponse& response) { return json::parse(response.body); }

TEST_F(HttpAdapterTest, HttpWritesAreVisibleOverRespAndTheReverse) {
  HttpResponse set = http_->Request("POST", "/set", R"({"key":"from-http","value":"v1"})");
  ASSERT_EQ(set.status, 200) << set.body << set.error;
  EXPECT_EQ(resp_->Command({"GET", "from-http"}), Bulk("v1"));
  ASSERT_EQ(resp_->Command({"SET", "from-resp", "v2"}), Status("OK"));
  HttpResponse get = http_->Request("GET", "/get?key=from-resp");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(Json(get), json::parse(R"({"key":"from-resp","value":"v2","ttl":-1})"));
  EXPECT_EQ(get.Header("content-type"), "application/json");
}

TEST_F(HttpAdapterTest, TtlSetOverHttpIsVisibleToRespTtl) {
  ASSERT_EQ(http_->Request("POST", "/set", R"({"key":"t","value":"v","ttl":100})").status, 200);
  Reply ttl = resp_->Command({"TTL", "t"});
  ASSERT_EQ(ttl.type, Reply::Type::kInteger);
  EXPECT_GE(ttl.integer, 99);
  EXPECT_LE(ttl.integer, 100);
  ASSERT_EQ(http_->Request("PUT", "/keys/p?px=50000", "v").status, 200);
  Reply pttl = resp_->Command({"PTTL", "p"});
  EXPECT_GT(pttl.integer, 40000);
  EXPECT_LE(pttl.integer, 50000);
  ASSERT_EQ(resp_->Command({"EXPIRE", "t", "500"}), Int(1));
  const int64_t seen = Json(http_->Request("GET", "/get?key=t")).at("ttl").as_int64();
  EXPECT_GE(seen, 499);
  EXPECT_LE(seen, 500);
}

TEST_F(HttpAdapterTest, KeyResourceRoundTripsBinaryValuesAndSlashedKeys) {
  const std::string value("\x00\x01\xFFraw\r\n", 8);
  HttpResponse put = http_->Request("PUT", "/keys/a/b%2Fc%20d?ttl=60", value);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(resp_->Command({"GET", "a/b/c d"}), Bulk(value));
  HttpResponse get = http_->Request("GET", "/keys/a%2Fb/c%20d");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, value);
  EXPECT_EQ(get.Header("content-type"), "application/octet-stream");
  EXPECT_EQ(get.Header("x-ember-ttl"), "60");
  HttpResponse json_get = http_->Request("GET", "/get?key=a%2Fb%2Fc+d");
  EXPECT_EQ(Json(json_get).at("encoding").as_string(), "base64");
  EXPECT_EQ(Json(json_get).at("value").as_string(), "AAH/cmF3DQo=");
  HttpResponse head = http_->Request("HEAD", "/keys/a/b/c%20d");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "8");
  EXPECT_EQ(http_->Request("HEAD", "/keys/none").status, 404);
  EXPECT_EQ(http_->Request("DELETE", "/keys/a/b/c%20d").status, 200);
  EXPECT_EQ(resp_->Command({"EXISTS", "a/b/c d"}), Int(0));
}

TEST_F(HttpAdapterTest, NxAndXxPreconditionsFailWith412) {
  ASSERT_EQ(http_->Request("PUT", "/keys/n?nx", "1").status, 200);
  EXPECT_EQ(http_->Request("PUT", "/keys/n?nx", "2").status, 412);
  EXPECT_EQ(http_->Request("PUT", "/keys/other?xx", "2").status, 412);
  EXPECT_EQ(resp_->Command({"GET", "n"}), Bulk("1"));
}

TEST_F(HttpAdapterTest, DeleteAnswers200ThenNotFound) {
  ASSERT_EQ(resp_->Command({"SET", "d", "1"}), Status("OK"));
  HttpResponse deleted = http_->Request("DELETE", "/delete?key=d");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(Json(deleted), json::parse(R"({"deleted":1})"));
  EXPECT_EQ(http_->Request("DELETE", "/delete?key=d").status, 404);
  EXPECT_EQ(http_->Request("GET", "/get?key=d").status, 404);
  EXPECT_EQ(http_->Request("GET", "/keys/d").status, 404);
}

TEST_F(HttpAdapterTest, ErrorStatusesCarryJsonErrors) {
  struct Case {
    const char* method;
    const char* target;
    const char* body;
    int status;
  };
  const Case cases[] = {
      {"POST", "/set", "{not json", 400},
      {"POST", "/set", R"({"value":"v"})", 400},
      {"POST", "/set", R"({"key":"k","value":"v","ttl":0})", 400},
      {"GET", "/get", "", 400},
      {"GET", "/nowhere", "", 404},
      {"GET", "/get?key=missing", "", 404},
      {"GET", "/set", "", 405},
      {"PATCH", "/keys/k", "x", 405},
  };
  for (const Case& c : cases) {
    HttpResponse response = http_->Request(c.method, c.target, c.body);
    EXPECT_EQ(response.status, c.status) << c.method << " " << c.target;
    EXPECT_TRUE(Json(response).at("error").is_string()) << response.body;
  }
  EXPECT_EQ(http_->Request("DELETE", "/set").Header("allow"), "POST");
  EXPECT_EQ(http_->Request("POST", "/keys/k").Header("allow"), "GET, HEAD, PUT, DELETE");
}

TEST_F(HttpAdapterTest, OversizedBodyGets413AndTheConnectionCloses) {
  HttpResponse response = http_->Request("PUT", "/keys/big", std::string(5000, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_FALSE(response.keep_alive);
  EXPECT_TRUE(http_->PeerClosed(std::chrono::seconds(5)));
  HttpClient chunked(server_->http_port);
  std::string request = "PUT /keys/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) request += "3e8\r\n" + std::string(1000, 'y') + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(chunked.SendRaw(request));
  EXPECT_EQ(chunked.ReadResponse().status, 413);
  EXPECT_EQ(resp_->Command({"EXISTS", "big"}), Int(0));
}

TEST_F(HttpAdapterTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 20; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_EQ(http_->Request("PUT", "/keys/" + key, std::to_string(i)).status, 200);
    HttpResponse get = http_->Request("GET", "/keys/" + key);
    ASSERT_EQ(get.body, std::to_string(i));
    EXPECT_TRUE(get.keep_alive);
  }
  EXPECT_EQ(resp_->Command({"DBSIZE"}), Int(20));
}

TEST_F(HttpAdapterTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string batch;
  for (int i = 0; i < 3; ++i) {
    const std::string body = "v" + std::to_string(i);
    batch += "PUT /keys/p" + std::to_string(i) +
             " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
             body;
  }
  batch += "GET /keys/p2 HTTP/1.1\r\nHost: x\r\n\r\nGET /get?key=p0 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(http_->SendRaw(batch));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_->ReadResponse().status, 200) << i;
  EXPECT_EQ(http_->ReadResponse().body, "v2");
  EXPECT_EQ(Json(http_->ReadResponse()).at("value").as_string(), "v0");
}

TEST_F(HttpAdapterTest, ChunkedRequestBodiesAreReassembled) {
  const std::string request =
      "POST /set HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n{\"key\":\"\r\n"
      "2\r\nc\"\r\n"
      "f\r\n,\"value\":\"chunk\r\n"
      "3\r\ny\"}\r\n"
      "0\r\n\r\n";
  ASSERT_TRUE(http_->SendRaw(request));
  HttpResponse response = http_->ReadResponse();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(resp_->Command({"GET", "c"}), Bulk("chunky"));
}

TEST_F(HttpAdapterTest, ExpectContinueIsHonoured) {
  ASSERT_TRUE(http_->SendRaw(
      "PUT /keys/e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  HttpResponse go_on = http_->ReadResponse();
  EXPECT_EQ(go_on.status, 100);
  ASSERT_TRUE(http_->SendRaw("ok"));
  EXPECT_EQ(http_->ReadResponse().status, 200);
  EXPECT_EQ(resp_->Command({"GET", "e"}), Bulk("ok"));
}

TEST_F(HttpAdapterTest, MalformedRequestGets400AndClose) {
  ASSERT_TRUE(http_->SendRaw("GET /health HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  HttpResponse response = http_->ReadResponse();
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(http_->PeerClosed(std::chrono::seconds(5)));
}

TEST_F(HttpAdapterTest, HealthAndMetricsDescribeTheLiveServer) {
  HttpResponse health = http_->Request("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Json(health).at("status").as_string(), "ok");
  ASSERT_EQ(resp_->Command({"SET", "a", "1"}), Status("OK"));
  ASSERT_EQ(resp_->Command({"SET", "b", "1", "EX", "100"}), Status("OK"));
  HttpResponse metrics = http_->Request("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  std::map<std::string, std::string> samples;
  ASSERT_EQ(ValidatePrometheusText(metrics.body, &samples), "") << metrics.body;
  EXPECT_EQ(samples["ember_db_keys{db=\"0\"}"], "2");
  EXPECT_EQ(samples["ember_db_expiring_keys{db=\"0\"}"], "1");
  EXPECT_EQ(samples["ember_http_requests_total{route=\"health\",status=\"200\"}"], "1");
  EXPECT_GE(std::stoll(samples["ember_connected_clients"]), 2);  // this RESP and HTTP client
  EXPECT_GE(std::stoll(samples["ember_http_connections"]), 1);
  EXPECT_GT(std::stoll(samples["ember_commands_processed_total"]), 0);
}

TEST(HttpAdapterConfigTest, RequirePassNeedsBearerToken) {
  // PING-based readiness cannot pass requirepass, so wait for /health, which needs no token.
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.port = ServerProcess::FreePort();
  const int http_port = ServerProcess::FreePort();
  options.args = {"--port",        std::to_string(options.port),
                  "--http-port",   std::to_string(http_port),
                  "--requirepass", "pw"};
  HttpServer server{ServerProcess::Spawn(options), http_port};
  bool ready = false;
  for (int i = 0; i < 500 && !ready && server.process.running(); ++i) {
    HttpClient probe(http_port);
    ready = probe.connected() && probe.Request("GET", "/health").status == 200;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(ready) << server.process.ReadLog();
  HttpClient http(server.http_port);
  HttpResponse denied = http.Request("POST", "/set", R"({"key":"k","value":"v"})");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Header("www-authenticate"), "Bearer realm=\"ember\"");
  EXPECT_EQ(http.Request("GET", "/metrics").status, 401);
  EXPECT_EQ(http.Request("GET", "/health").status, 200);
  EXPECT_EQ(
      http.Request("POST", "/set", R"({"key":"k","value":"v"})", {{"Authorization", "Bearer pw"}})
          .status,
      200);
  RedisClient resp(server.process.port());
  EXPECT_EQ(resp.Command({"AUTH", "pw"}), Status("OK"));
  EXPECT_EQ(resp.Command({"GET", "k"}), Bulk("v"));
}

TEST(HttpAdapterConfigTest, SlowHeaderIsCutOffButAFastClientIsServed) {
  HttpServer server = StartHttpServer({"--http-header-timeout", "200"});
  ASSERT_TRUE(server.process.running());
  HttpClient slow(server.http_port);
  ASSERT_TRUE(slow.SendRaw("GET /health HTTP/1.1\r\nHost: x\r\n"));  // never finishes
  EXPECT_TRUE(slow.PeerClosed(std::chrono::seconds(5)));
  HttpClient fast(server.http_port);
  EXPECT_EQ(fast.Request("GET", "/health").status, 200);
}

// Durability is the engine's: HTTP writes go through the one write path, so a snapshot
// taken by SAVE carries them (and their TTLs) across a restart. (The AOF variant of this
// test waits for the AOF.)
TEST(HttpAdapterConfigTest, HttpWritesSurviveARestartThroughTheSnapshot) {
  TempDir temp("ember-http");
  const std::string& dir = temp.path();
  ASSERT_FALSE(dir.empty());
  {
    HttpServer server = StartHttpServer({"--dir", dir});
    ASSERT_TRUE(server.process.running());
    HttpClient http(server.http_port);
    ASSERT_EQ(http.Request("POST", "/set", R"({"key":"j","value":"json","ttl":1000})").status, 200);
    ASSERT_EQ(http.Request("PUT", "/keys/raw/1", std::string("\x00\xFF", 2)).status, 200);
    RedisClient resp(server.process.port());
    ASSERT_EQ(resp.Command({"SAVE"}), Status("OK"));
    resp.Command({"SHUTDOWN", "NOSAVE"});
    ASSERT_TRUE(server.process.WaitForExit(std::chrono::seconds(10)).has_value());
  }
  HttpServer server = StartHttpServer({"--dir", dir});
  ASSERT_TRUE(server.process.running());
  HttpClient http(server.http_port);
  HttpResponse json_key = http.Request("GET", "/get?key=j");
  ASSERT_EQ(json_key.status, 200);
  EXPECT_EQ(Json(json_key).at("value").as_string(), "json");
  EXPECT_GE(Json(json_key).at("ttl").as_int64(), 990);
  EXPECT_EQ(http.Request("GET", "/keys/raw/1").body, std::string("\x00\xFF", 2));
  server.process.Stop();
}

TEST(HttpAdapterConfigTest, HttpWritesSurviveARestartThroughTheAof) {
  TempDir temp("ember-http");
  const std::string& dir = temp.path();
  ASSERT_FALSE(dir.empty());
  // Under always a reply leaves only after its write is fdatasync'ed, so a SIGKILL right
  // after the last reply loses nothing.
  const std::vector<std::string> args = {"--dir",         dir,      "--appendonly", "yes",
                                         "--appendfsync", "always", "--save",       ""};
  {
    HttpServer server = StartHttpServer(args);
    ASSERT_TRUE(server.process.running());
    HttpClient http(server.http_port);
    ASSERT_EQ(http.Request("POST", "/set", R"({"key":"j","value":"json","ttl":1000})").status, 200);
    ASSERT_EQ(http.Request("PUT", "/keys/raw/1", std::string("\x00\xFF", 2)).status, 200);
    ASSERT_EQ(http.Request("PUT", "/keys/gone", "v").status, 200);
    ASSERT_EQ(http.Request("DELETE", "/keys/gone").status, 200);
    server.process.Kill();  // no SAVE, no clean shutdown: only the AOF can bring them back
  }
  HttpServer server = StartHttpServer(args);
  ASSERT_TRUE(server.process.running());
  HttpClient http(server.http_port);
  HttpResponse json_key = http.Request("GET", "/get?key=j");
  ASSERT_EQ(json_key.status, 200) << server.process.ReadLog();
  EXPECT_EQ(Json(json_key).at("value").as_string(), "json");
  EXPECT_GE(Json(json_key).at("ttl").as_int64(), 990);
  EXPECT_EQ(http.Request("GET", "/keys/raw/1").body, std::string("\x00\xFF", 2));
  EXPECT_EQ(http.Request("GET", "/keys/gone").status, 404);
  server.process.Stop();
}

TEST(HttpAdapterConfigTest, HttpPortZeroDisablesTheAdapter) {
  const int http_port = ServerProcess::FreePort();
  ServerProcess server = ServerProcess::StartEmber({"--http-port", "0"});
  ASSERT_TRUE(server.running());
  HttpClient http(http_port);
  EXPECT_FALSE(http.connected());
  EXPECT_EQ(server.ReadLog().find("HTTP adapter listening"), std::string::npos);
}

TEST(HttpAdapterConfigTest, HttpPortInUseIsFatal) {
  HttpServer first = StartHttpServer();
  ASSERT_TRUE(first.process.running());
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.port = ServerProcess::FreePort();
  options.args = {"--port", std::to_string(options.port), "--http-port",
                  std::to_string(first.http_port)};
  ServerProcess second = ServerProcess::Spawn(options);
  auto status = second.WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 1);
  EXPECT_NE(second.ReadLog().find("Could not create HTTP listening socket"), std::string::npos);
}

}  // namespace
}  // namespace ember::test
