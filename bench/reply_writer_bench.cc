// Microbenchmark of ReplyWriter: the bulk and integer replies GET and INCR produce, 100 per
// iteration into a reused buffer, as one pipelined batch of a connection.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "protocol/reply_writer.h"

namespace {

constexpr int kRepliesPerBatch = 100;

void BM_WriteBulkReplies(benchmark::State& state) {
  const std::string value(static_cast<size_t>(state.range(0)), 'x');
  std::string out;
  for (auto _ : state) {
    out.clear();
    ember::protocol::ReplyWriter writer(&out);
    for (int i = 0; i < kRepliesPerBatch; ++i) writer.Bulk(value);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kRepliesPerBatch);
}
BENCHMARK(BM_WriteBulkReplies)->Arg(3)->Arg(1024);

void BM_WriteIntegerReplies(benchmark::State& state) {
  std::string out;
  int64_t counter = 1'000'000'000;
  for (auto _ : state) {
    out.clear();
    ember::protocol::ReplyWriter writer(&out);
    for (int i = 0; i < kRepliesPerBatch; ++i) writer.Integer(++counter);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kRepliesPerBatch);
}
BENCHMARK(BM_WriteIntegerReplies);

}  // namespace
