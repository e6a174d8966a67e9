#include "storage/ops/glob.h"

#include <cstddef>
#include <utility>

namespace ember::storage {
namespace {

// ASCII folding, as tolower() behaves in the C locale Redis runs in.
int Fold(int c, bool nocase) { return (nocase && c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

// Redis compares bytes as (signed) `char` values; ranges over bytes >= 0x80 follow that.
int Byte(char c) { return static_cast<signed char>(c); }

// Matches the bracket class starting at pattern[pos] == '[' against `c`. Returns the
// pattern position just past the class (past the end when it is unterminated, which Redis
// treats as a class running to the end of the pattern).
size_t MatchClass(std::string_view pattern, size_t pos, char c, bool nocase, bool* matched) {
  size_t n = pattern.size();
  ++pos;
  bool negate = pos < n && pattern[pos] == '^';
  if (negate) ++pos;
  bool match = false;
  for (;; ++pos) {
    if (pos >= n) break;
    char p = pattern[pos];
    if (p == '\\' && n - pos >= 2) {
      ++pos;
      // An escaped class member is compared exactly, even with nocase (as Redis does).
      if (pattern[pos] == c) match = true;
    } else if (p == ']') {
      ++pos;
      break;
    } else if (n - pos >= 3 && pattern[pos + 1] == '-') {
      int start = Byte(p);
      int end = Byte(pattern[pos + 2]);
      if (start > end) std::swap(start, end);
      int ch = Fold(Byte(c), nocase);
      start = Fold(start, nocase);
      end = Fold(end, nocase);
      if (ch >= start && ch <= end) match = true;
      pos += 2;
    } else if (Fold(Byte(p), nocase) == Fold(Byte(c), nocase)) {
      match = true;
    }
  }
  *matched = negate ? !match : match;
  return pos;
}

// Matches the single-character token at pattern[pos] (not '*') against `c`. Returns the
// position after the token, or npos when it does not match.
size_t MatchToken(std::string_view pattern, size_t pos, char c, bool nocase) {
  char p = pattern[pos];
  if (p == '?') return pos + 1;
  if (p == '[') {
    bool matched = false;
    size_t next = MatchClass(pattern, pos, c, nocase, &matched);
    return matched ? next : std::string_view::npos;
  }
  if (p == '\\' && pattern.size() - pos >= 2) p = pattern[++pos];
  return Fold(Byte(p), nocase) == Fold(Byte(c), nocase) ? pos + 1 : std::string_view::npos;
}

}  // namespace

// Why one backtrack point suffices: every token other than '*' consumes exactly one byte,
// so when the text fails after a later '*', giving an earlier '*' more bytes can only
// shift the later one's start, which the later '*' already tries. Remembering just the
// last '*' (and how much text it has taken) gives O(|pattern| * |text|) time without
// recursion, where Redis's recursive matcher needs its skip-longer-matches cut-off.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  // Redis's matcher only runs its loop while text remains, so an empty text matches only
  // an empty pattern (KEYS and SCAN special-case the lone "*" before matching).
  if (text.empty()) return pattern.empty();
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0;
  size_t t = 0;
  size_t star_p = kNone;  // pattern position just after the last '*' seen
  size_t star_t = 0;      // text position that '*' is currently assumed to stop at
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      if (p == pattern.size()) return true;
      star_p = p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      size_t next = MatchToken(pattern, p, text[t], nocase);
      if (next != kNone) {
        p = next;
        ++t;
        continue;
      }
    }
    if (star_p == kNone) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace ember::storage
