// Microbenchmark of RespParser: a pipeline of 100 SET commands parsed from one buffer, as a
// connection sees it after one large read from redis-benchmark -P 100.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

#include "protocol/resp_parser.h"

namespace {

constexpr int kPipelineDepth = 100;

// `SET key:000000000042 <value>` as RESP multibulk, kPipelineDepth times.
std::string SetPipeline(size_t value_size) {
  std::string value(value_size, 'x');
  std::string out;
  for (int i = 0; i < kPipelineDepth; ++i) {
    std::string key = "key:" + std::string(12 - std::to_string(i).size(), '0') + std::to_string(i);
    out += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
           std::to_string(value.size()) + "\r\n" + value + "\r\n";
  }
  return out;
}

void BM_ParseSetPipeline(benchmark::State& state) {
  const std::string buffer = SetPipeline(static_cast<size_t>(state.range(0)));
  ember::protocol::RespParser parser;
  for (auto _ : state) {
    size_t offset = 0;
    int commands = 0;
    while (offset < buffer.size()) {
      auto result = parser.Parse(std::string_view(buffer).substr(offset));
      if (result.status != ember::protocol::ParseStatus::kComplete) {
        state.SkipWithError("pipeline did not parse");
        return;
      }
      benchmark::DoNotOptimize(parser.Args().data());
      offset += result.consumed;
      ++commands;
    }
    benchmark::DoNotOptimize(commands);
  }
  state.SetItemsProcessed(state.iterations() * kPipelineDepth);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(buffer.size()));
}
BENCHMARK(BM_ParseSetPipeline)->Arg(3)->Arg(1024);

}  // namespace
