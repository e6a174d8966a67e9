// GET /metrics: the exposition text passes a strict validator and reports the engine's
// figures (from INFO) and the adapter's request counts.
#include <gtest/gtest.h>

#include "server/http/http_service.h"
#include "server/http/metrics.h"
#include "tests/support/prometheus_text.h"

namespace ember::server::http {
namespace {

using Verb = boost::beast::http::verb;

TEST(HttpMetricsTest, RendersInfoFieldsKeyspaceAndRequestCounts) {
  HttpStats stats;
  stats.RecordRequest(Route::kGet, 200);
  stats.RecordRequest(Route::kGet, 200);
  stats.RecordRequest(Route::kNotFound, 404);
  stats.ConnectionOpened();
  const std::string info =
      "# Clients\r\nconnected_clients:3\r\n\r\n# Persistence\r\nloading:0\r\n"
      "rdb_last_bgsave_status:err\r\n# Stats\r\ntotal_commands_processed:17\r\n"
      "mem_allocator:libc\r\n# Keyspace\r\ndb0:keys=5,expires=2,avg_ttl=0\r\n"
      "db3:keys=1,expires=0,avg_ttl=0\r\n";
  const std::string text = RenderMetrics(info, stats);
  std::map<std::string, std::string> samples;
  ASSERT_EQ(ember::test::ValidatePrometheusText(text, &samples), "") << text;
  EXPECT_EQ(samples["ember_connected_clients"], "3");
  EXPECT_EQ(samples["ember_loading"], "0");
  EXPECT_EQ(samples["ember_rdb_last_bgsave_ok"], "0");
  EXPECT_EQ(samples["ember_commands_processed_total"], "17");
  EXPECT_EQ(samples["ember_db_keys{db=\"0\"}"], "5");
  EXPECT_EQ(samples["ember_db_expiring_keys{db=\"0\"}"], "2");
  EXPECT_EQ(samples["ember_db_keys{db=\"3\"}"], "1");
  EXPECT_EQ(samples["ember_http_requests_total{route=\"get\",status=\"200\"}"], "2");
  EXPECT_EQ(samples["ember_http_requests_total{route=\"unknown\",status=\"404\"}"], "1");
  EXPECT_EQ(samples["ember_http_connections"], "1");
  EXPECT_EQ(samples.count("ember_memory_used_bytes"), 0u);  // absent from INFO: left out
}

TEST(HttpMetricsTest, EndpointServesTheLiveServer) {
  ServerState state{ServerConfig{}};
  Dispatcher dispatcher(CommandTable::Default(), state);
  HttpService service(dispatcher);
  ClientState client;
  Request set(Verb::put, "/keys/a?ttl=10", 11);
  set.body() = "1";
  service.Handle(set, client, 1'000);
  Response response = service.Handle(Request(Verb::get, "/metrics", 11), client, 1'000);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[boost::beast::http::field::content_type], kMetricsContentType);
  std::map<std::string, std::string> samples;
  ASSERT_EQ(ember::test::ValidatePrometheusText(response.body(), &samples), "") << response.body();
  EXPECT_EQ(samples["ember_db_keys{db=\"0\"}"], "1");
  EXPECT_EQ(samples["ember_db_expiring_keys{db=\"0\"}"], "1");
  EXPECT_EQ(samples["ember_http_requests_total{route=\"keys\",status=\"200\"}"], "1");
  EXPECT_NE(samples.count("ember_memory_used_bytes"), 0u);
  EXPECT_NE(samples.count("ember_rdb_changes_since_last_save"), 0u);
}

TEST(HttpMetricsTest, ValidatorRejectsWhatPrometheusWouldNot) {
  using ember::test::ValidatePrometheusText;
  const std::string head = "# HELP m_total x\n# TYPE m_total counter\n";
  EXPECT_EQ(ValidatePrometheusText(head + "m_total 1\n"), "");
  EXPECT_NE(ValidatePrometheusText(head + "m_total 1"), "");                     // no final newline
  EXPECT_NE(ValidatePrometheusText(head + "m_total one\n"), "");                 // bad value
  EXPECT_NE(ValidatePrometheusText(head + "m_total{a=b} 1\n"), "");              // unquoted label
  EXPECT_NE(ValidatePrometheusText(head + "m_total 1\nm_total 2\n"), "");        // duplicate
  EXPECT_NE(ValidatePrometheusText("m 1\n"), "");                                // no HELP/TYPE
  EXPECT_NE(ValidatePrometheusText("# HELP m x\n# TYPE m counter\nm 1\n"), "");  // not _total
  EXPECT_NE(ValidatePrometheusText("# HELP 1m x\n# TYPE 1m gauge\n1m 1\n"), "");
}

}  // namespace
}  // namespace ember::server::http
