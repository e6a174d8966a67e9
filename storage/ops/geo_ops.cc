#include "storage/ops/geo_ops.h"

namespace ember::storage {

std::optional<geo::Point> GeoPosition(const SortedSetValue& set, std::string_view member) {
  const std::optional<double> score = set.Score(member);
  if (!score) return std::nullopt;
  return geo::DecodeScore(*score);
}

std::vector<GeoMatch> GeoSearch(const SortedSetValue& set, const geo::Shape& shape, size_t limit) {
  std::vector<GeoMatch> matches;
  auto full = [&] { return limit != 0 && matches.size() >= limit; };
  const std::array<geo::Cell, 9> cells = geo::CellsCovering(shape);
  // The last cell scanned; 0 also while none was, so a neighbour equal to the centre is
  // scanned again (Redis's rule, which can list a member twice for huge radii).
  size_t last = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    const geo::Cell cell = cells[i];
    if (cell.none()) continue;
    if (last != 0 && cell.bits == cells[last].bits && cell.step == cells[last].step) continue;
    if (full()) break;
    last = i;
    const geo::ScoreInterval scores = geo::ScoresOf(cell);
    const ZRankRange ranks =
        set.ScoreRange(ZScoreBound{scores.min, false}, ZScoreBound{scores.max, true});
    if (ranks.count() == 0) continue;
    set.Visit(ranks.first, ranks.end - 1, ZOrder::kAscending,
              [&](std::string_view member, double score) {
                const geo::Point position = geo::DecodeScore(score);
                if (const std::optional<double> distance = geo::DistanceIfInside(shape, position)) {
                  matches.push_back(GeoMatch{std::string(member), score, position, *distance});
                }
                return !full();
              });
  }
  return matches;
}

}  // namespace ember::storage
