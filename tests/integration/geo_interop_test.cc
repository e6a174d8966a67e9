// GEO searched side by side with the reference redis-server 7.0: the same random points
// added to both servers, then hundreds of random GEOSEARCH / GEORADIUS / GEORADIUSBYMEMBER
// queries (circles and boxes from a metre to thousands of kilometres, near the poles and
// the antimeridian, every reply option, COUNT with and without ANY, both orders) must get
// byte-identical replies — members, scan order, distances, hashes and coordinates — from a
// small (listpack) set and from a large (skiplist) one. Stored results must match too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "tests/support/server_pair.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

std::string Text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6f", v);
  return buf;
}

class GeoInteropTest : public ServerPairFixture<::testing::TestWithParam<int>> {
 protected:
  // A random position: anywhere, or clustered around a few hot spots (a pole, the
  // antimeridian, a city) so that small searches find something.
  std::pair<double, double> RandomPoint() {
    static constexpr double kSpots[][2] = {{13.36, 38.11}, {179.99, 10.0}, {-179.99, -10.0},
                                           {0.0, 84.9},    {-70.0, -84.9}, {0, 0}};
    std::uniform_real_distribution<double> unit(0, 1);
    if (unit(rng_) < 0.3) {
      return {-180 + 360 * unit(rng_), -85.05 + 170.1 * unit(rng_)};
    }
    const auto& spot = kSpots[rng_() % std::size(kSpots)];
    const double spread = std::pow(10.0, -4 + 5 * unit(rng_));  // 0.0001 to 10 degrees
    double lon = spot[0] + spread * (unit(rng_) - 0.5);
    double lat = spot[1] + spread * (unit(rng_) - 0.5);
    lon = std::clamp(lon, -180.0, 180.0);
    lat = std::clamp(lat, -85.05, 85.05);
    return {lon, lat};
  }

  // A random query on `key` in one of the six forms.
  Argv RandomQuery(const std::string& key, int members) {
    std::uniform_real_distribution<double> unit(0, 1);
    static const char* kUnits[] = {"m", "km", "ft", "mi"};
    const std::string unit_name = kUnits[rng_() % 4];
    const double size = std::pow(10.0, -1 + 7 * unit(rng_));  // 0.1 to 10^6 units
    const auto [lon, lat] = RandomPoint();
    const std::string member = "m" + std::to_string(rng_() % members);
    Argv argv;
    switch (rng_() % 4) {
      case 0:
        argv = {"GEORADIUS", key, Text(lon), Text(lat), Text(size), unit_name};
        break;
      case 1:
        argv = {"GEORADIUSBYMEMBER_RO", key, member, Text(size), unit_name};
        break;
      default: {
        argv = {"GEOSEARCH", key};
        if (rng_() % 2 == 0) {
          argv.insert(argv.end(), {"FROMLONLAT", Text(lon), Text(lat)});
        } else {
          argv.insert(argv.end(), {"FROMMEMBER", member});
        }
        if (rng_() % 2 == 0) {
          argv.insert(argv.end(), {"BYRADIUS", Text(size), unit_name});
        } else {
          argv.insert(argv.end(),
                      {"BYBOX", Text(size), Text(size * (0.2 + 3 * unit(rng_))), unit_name});
        }
      }
    }
    if (rng_() % 2 == 0) argv.push_back("WITHDIST");
    if (rng_() % 3 == 0) argv.push_back("WITHCOORD");
    if (rng_() % 3 == 0) argv.push_back("WITHHASH");
    switch (rng_() % 4) {
      case 0:
        argv.push_back("ASC");
        break;
      case 1:
        argv.push_back("DESC");
        break;
      default:
        break;
    }
    if (rng_() % 3 == 0) {
      argv.insert(argv.end(), {"COUNT", std::to_string(1 + rng_() % 20)});
      if (rng_() % 2 == 0) argv.push_back("ANY");
    }
    return argv;
  }

  void AddRandomPoints(const std::string& key, int members) {
    for (int first = 0; first < members; first += 100) {
      Argv argv = {"GEOADD", key};
      for (int i = first; i < std::min(members, first + 100); ++i) {
        const auto [lon, lat] = RandomPoint();
        argv.insert(argv.end(), {Text(lon), Text(lat), "m" + std::to_string(i)});
      }
      Both(argv);
    }
  }

  std::mt19937_64 rng_{20261204};
};

TEST_P(GeoInteropTest, RandomSearchesAnswerAsRedis) {
  const int members = GetParam();
  AddRandomPoints("g", members);
  EXPECT_EQ(Both({"OBJECT", "ENCODING", "g"}).str, members <= 128 ? "listpack" : "skiplist");
  int non_empty = 0;
  for (int i = 0; i < 400; ++i) {
    const Reply reply = Both(RandomQuery("g", members));
    if (reply.type == Reply::Type::kArray && !reply.elements.empty()) ++non_empty;
  }
  // The queries must exercise matches, not only empty replies.
  EXPECT_GT(non_empty, 100);
}

TEST_P(GeoInteropTest, StoredSearchesMatchRedis) {
  const int members = GetParam();
  AddRandomPoints("g", members);
  for (int i = 0; i < 60; ++i) {
    Argv argv = RandomQuery("g", members);
    // Turn it into its storing form: GEOSEARCHSTORE, or GEORADIUS... STORE / STOREDIST.
    std::erase_if(argv, [](const std::string& a) {
      return a == "WITHDIST" || a == "WITHCOORD" || a == "WITHHASH";
    });
    const bool distances = i % 2 == 0;
    if (argv[0] == "GEOSEARCH") {
      argv[0] = "GEOSEARCHSTORE";
      argv.insert(argv.begin() + 1, "dst");
      if (distances) argv.push_back("STOREDIST");
    } else {
      if (argv[0] == "GEORADIUSBYMEMBER_RO") argv[0] = "GEORADIUSBYMEMBER";
      argv.insert(argv.end(), {distances ? "STOREDIST" : "STORE", "dst"});
    }
    Both(argv);
    Both({"ZRANGE", "dst", "0", "-1", "WITHSCORES"});
    Both({"OBJECT", "ENCODING", "dst"});
  }
}

// A symmetric grid puts many members at exactly the same distance from its centre: which
// of them a COUNT keeps, and in which order, is decided by Redis's partial quicksort.
TEST_P(GeoInteropTest, TiesUnderCountComeInRedisOrder) {
  const int side = GetParam() <= 128 ? 9 : 41;
  for (int row = 0; row < side; ++row) {
    Argv argv = {"GEOADD", "grid"};
    for (int col = 0; col < side; ++col) {
      argv.insert(argv.end(), {Text((col - side / 2) * 0.001), Text((row - side / 2) * 0.001),
                               "r" + std::to_string(row) + "c" + std::to_string(col)});
    }
    Both(argv);
  }
  for (int count = 1; count <= side * 2; count += 3) {
    Both({"GEOSEARCH", "grid", "FROMLONLAT", "0", "0", "BYBOX", "100", "100", "km", "COUNT",
          std::to_string(count), "WITHDIST"});
    Both({"GEORADIUS", "grid", "0", "0", "100", "km", "COUNT", std::to_string(count), "DESC"});
    Both({"GEOSEARCH", "grid", "FROMMEMBER", "r0c0", "BYRADIUS", "100", "km", "COUNT",
          std::to_string(count), "ASC"});
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, GeoInteropTest, ::testing::Values(100, 3000));

}  // namespace
}  // namespace ember::test
