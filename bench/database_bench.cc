// Microbenchmark of the keyspace hash table through storage::Database: inserting 1M keys
// (with the table's incremental growth) and looking them up, hits and misses. Key names are
// the ones redis-benchmark -r 1000000 generates.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/value.h"

namespace {

constexpr int kKeys = 1'000'000;

std::vector<std::string> MakeKeyNames() {
  std::vector<std::string> names;
  names.reserve(kKeys);
  char buf[32];
  for (int i = 0; i < kKeys; ++i) {
    std::snprintf(buf, sizeof(buf), "key:%012d", i);
    names.emplace_back(buf);
  }
  return names;
}

void BM_DatabaseInsert1M(benchmark::State& state) {
  const std::vector<std::string> names = MakeKeyNames();
  for (auto _ : state) {
    state.PauseTiming();
    auto keyspace = std::make_unique<ember::storage::Keyspace>(1);
    state.ResumeTiming();
    ember::storage::Database& db = keyspace->db(0);
    for (const auto& name : names) db.Add(name, ember::storage::Value::String("xxx"));
    benchmark::DoNotOptimize(db.size());
    state.PauseTiming();
    keyspace.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kKeys);
}
BENCHMARK(BM_DatabaseInsert1M)->Unit(benchmark::kMillisecond);

void BM_DatabaseFind1M(benchmark::State& state) {
  const std::vector<std::string> names = MakeKeyNames();
  const bool hits = state.range(0) != 0;
  ember::storage::Keyspace keyspace(1);
  ember::storage::Database& db = keyspace.db(0);
  for (int i = 0; i < kKeys; ++i) {
    // Misses: insert only even keys and look up odd ones.
    if (hits || i % 2 == 0) db.Add(names[i], ember::storage::Value::String("xxx"));
  }
  int64_t found = 0;
  for (auto _ : state) {
    for (int i = hits ? 0 : 1; i < kKeys; i += hits ? 1 : 2) {
      found += db.Find(names[i], /*now_ms=*/0) != nullptr;
    }
  }
  benchmark::DoNotOptimize(found);
  state.SetItemsProcessed(state.iterations() * (hits ? kKeys : kKeys / 2));
}
BENCHMARK(BM_DatabaseFind1M)->Arg(1)->Arg(0)->ArgName("hit")->Unit(benchmark::kMillisecond);

}  // namespace
