// The HTTP adapter with curl, the client scripts use: every endpoint as the README shows
// it, binary bodies, chunked uploads, error statuses, and /metrics read by the Prometheus
// project's own text parser (Debian's python3-prometheus-client). Values written with curl
// are checked over RESP, and the reverse.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/compat/client_process.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

// Prints one "name{labels} value" line per sample, as the Prometheus parser understood it.
constexpr char kParseMetrics[] = R"(
import sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join('%s="%s"' % kv for kv in sorted(s.labels.items()))
        print("%s %s{%s} %r" % (family.type, s.name, labels, s.value))
)";

class HttpCurlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    http_port_ = ServerProcess::FreePort();
    server_ = new ServerProcess(ServerProcess::StartEmber(
        {"--http-port", std::to_string(http_port_), "--http-max-body", "1kb"}));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(HaveProgram("curl")) << "curl is missing: run tools/test (Debian package curl)";
    ASSERT_TRUE(server_->running());
    resp_ = std::make_unique<RedisClient>(server_->port());
    ASSERT_EQ(resp_->Command({"FLUSHALL"}), Status("OK"));
  }

  static std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(http_port_) + path;
  }

  // Runs curl with `args`; stdout is the body followed by "\n<status>".
  static ClientResult Curl(std::vector<std::string> args, std::string stdin_data = "") {
    ClientRun run;
    run.argv = {"curl", "--silent", "--show-error", "--write-out", "\n%{http_code}"};
    run.argv.insert(run.argv.end(), args.begin(), args.end());
    run.stdin_data = std::move(stdin_data);
    run.timeout = std::chrono::seconds(20);
    return RunClient(run);
  }

  // Splits Curl()'s output into the body and the status code.
  static std::pair<std::string, int> BodyAndStatus(const ClientResult& result) {
    const size_t newline = result.out.rfind('\n');
    if (newline == std::string::npos) return {"", 0};
    return {result.out.substr(0, newline), std::atoi(result.out.c_str() + newline + 1)};
  }

  static ServerProcess* server_;
  static int http_port_;
  std::unique_ptr<RedisClient> resp_;
};

ServerProcess* HttpCurlTest::server_ = nullptr;
int HttpCurlTest::http_port_ = 0;

TEST_F(HttpCurlTest, JsonEndpointsAsInTheReadme) {
  auto set = BodyAndStatus(Curl({"-X", "POST", "-H", "Content-Type: application/json", "-d",
                                 R"({"key":"greeting","value":"hello","ttl":60})", Url("/set")}));
  EXPECT_EQ(set, std::make_pair(std::string(R"({"result":"OK"})"
                                            "\n"),
                                200));
  Reply ttl = resp_->Command({"TTL", "greeting"});
  EXPECT_GE(ttl.integer, 59);
  EXPECT_LE(ttl.integer, 60);
  auto get = BodyAndStatus(Curl({"-G", "--data-urlencode", "key=greeting", Url("/get")}));
  EXPECT_EQ(get.second, 200);
  EXPECT_NE(get.first.find(R"("key":"greeting","value":"hello","ttl":)"), std::string::npos)
      << get.first;
  auto del = BodyAndStatus(Curl({"-X", "DELETE", Url("/delete?key=greeting")}));
  EXPECT_EQ(del, std::make_pair(std::string(R"({"deleted":1})"
                                            "\n"),
                                200));
  EXPECT_EQ(resp_->Command({"EXISTS", "greeting"}), Int(0));
}

TEST_F(HttpCurlTest, KeyResourceCarriesBinaryBodiesBothWays) {
  const std::string value("\x00\x01\x02\xFF binary\r\n", 13);
  auto put = BodyAndStatus(
      Curl({"-X", "PUT", "--data-binary", "@-", Url("/keys/files/a%20b?px=90000")}, value));
  EXPECT_EQ(put.second, 200) << put.first;
  EXPECT_EQ(resp_->Command({"GET", "files/a b"}), Bulk(value));
  ASSERT_EQ(resp_->Command({"SET", "from-resp", value}), Status("OK"));
  ClientRun run;
  run.argv = {"curl", "--silent", "--show-error", "--fail", Url("/keys/from-resp")};
  ClientResult get = RunClient(run);
  EXPECT_EQ(get.exit_code, 0) << get.Describe();
  EXPECT_EQ(get.out, value);
  auto head = Curl({"--head", Url("/keys/from-resp")});
  EXPECT_EQ(head.exit_code, 0) << head.Describe();
  EXPECT_NE(head.out.find("Content-Length: 13\r\n"), std::string::npos) << head.out;
  EXPECT_NE(head.out.find("X-Ember-TTL: -1\r\n"), std::string::npos) << head.out;
  EXPECT_EQ(BodyAndStatus(Curl({"-X", "DELETE", Url("/keys/from-resp")})).second, 200);
  EXPECT_EQ(BodyAndStatus(Curl({"--head", Url("/keys/from-resp")})).second, 404);
}

TEST_F(HttpCurlTest, ChunkedUploadIsAccepted) {
  auto put = BodyAndStatus(Curl({"-X", "PUT", "-H", "Transfer-Encoding: chunked", "--data-binary",
                                 "@-", Url("/keys/chunked")},
                                "streamed body"));
  EXPECT_EQ(put.second, 200) << put.first;
  EXPECT_EQ(resp_->Command({"GET", "chunked"}), Bulk("streamed body"));
}

TEST_F(HttpCurlTest, ErrorStatusesAsCurlSeesThem) {
  EXPECT_EQ(BodyAndStatus(Curl({"-d", "{oops", Url("/set")})).second, 400);
  EXPECT_EQ(BodyAndStatus(Curl({"-d", R"({"key":"k","value":"v","ttl":-1})", Url("/set")})).second,
            400);
  EXPECT_EQ(BodyAndStatus(Curl({Url("/get")})).second, 400);
  EXPECT_EQ(BodyAndStatus(Curl({Url("/get?key=absent")})).second, 404);
  EXPECT_EQ(BodyAndStatus(Curl({Url("/no/such/route")})).second, 404);
  auto wrong = Curl({"--include", "-X", "PUT", Url("/set")});
  EXPECT_EQ(BodyAndStatus(wrong).second, 405);
  EXPECT_NE(wrong.out.find("Allow: POST\r\n"), std::string::npos) << wrong.out;
  auto big = BodyAndStatus(
      Curl({"-X", "PUT", "--data-binary", "@-", Url("/keys/big")}, std::string(2000, 'x')));
  EXPECT_EQ(big.second, 413) << big.first;
  EXPECT_EQ(resp_->Command({"EXISTS", "big"}), Int(0));
}

TEST_F(HttpCurlTest, MetricsParseWithThePrometheusParser) {
  ASSERT_EQ(resp_->Command({"SET", "a", "1", "EX", "100"}), Status("OK"));
  EXPECT_EQ(BodyAndStatus(Curl({Url("/health")})).second, 200);
  ClientRun fetch;
  fetch.argv = {"curl", "--silent", "--show-error", "--fail", Url("/metrics")};
  ClientResult metrics = RunClient(fetch);
  ASSERT_EQ(metrics.exit_code, 0) << metrics.Describe();
  EXPECT_EQ(ValidatePrometheusText(metrics.out), "");
  ClientRun parse;
  // Debian's interpreter: the parser is a Debian package, and PATH may hold another python3.
  parse.argv = {"/usr/bin/python3", "-c", kParseMetrics};
  parse.stdin_data = metrics.out;
  ClientResult parsed = RunClient(parse);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.Describe()
                                 << "\n(needs Debian's python3-prometheus-client; run tools/test)";
  EXPECT_NE(parsed.out.find("gauge ember_db_keys{db=\"0\"} 1.0\n"), std::string::npos)
      << parsed.out;
  EXPECT_NE(parsed.out.find("gauge ember_db_expiring_keys{db=\"0\"} 1.0\n"), std::string::npos);
  EXPECT_NE(parsed.out.find("counter ember_http_requests_total{route=\"health\",status=\"200\"} "),
            std::string::npos)
      << parsed.out;
  EXPECT_NE(parsed.out.find("counter ember_commands_processed_total{} "), std::string::npos);
  EXPECT_NE(parsed.out.find("gauge ember_memory_used_bytes{} "), std::string::npos);
}

}  // namespace
}  // namespace ember::test
