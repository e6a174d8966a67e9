// Case files for the side-by-side suite: one command per line, in redis-cli-like syntax,
// each run against ember-server and the reference redis-server and compared.
//
// Syntax of a line (after leading blanks):
//   # comment                 ignored, as are blank lines
//   ~sleep <ms>               directive: pause both sides; sends nothing
//   [marker] word word ...    a command; the optional marker says how replies compare:
//     (none)                  replies must be identical
//     ~type                   only the shape: reply type, and array lengths recursively
//     ~sorted                 arrays (at every depth) are sorted before comparing
//     ~near <n>               integers (at every depth) may differ by at most n
//     ~ttl                    integers compare by sign only; values <= 0 must be equal
//     ~ignore                 sent to both, never compared (setup with a random reply)
//   ~resp2 [marker] word ...  runs only in the RESP2 run, never in the RESP3 run (which
//                             sends HELLO 3 first); precede it with a `# RESP3 mismatch:`
//                             or similar comment saying why
// Words split on spaces and tabs. "double quotes" accept \n \r \t \\ \" \a \b and \xHH;
// 'single quotes' are literal except \'. A quoted word must end at a blank or end of line.
//
// Pure parsing, no I/O except LoadCaseFile and ListCaseFiles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ember::test {

enum class CompareMode { kExact, kType, kSorted, kNear, kSign, kIgnore };

struct CaseLine {
  int line = 0;      // 1-based line number in its file
  std::string text;  // the line as written, for failure messages
  int sleep_ms = 0;  // > 0 only for a ~sleep directive (args is then empty)
  CompareMode mode = CompareMode::kExact;
  long long tolerance = 0;  // kNear only
  std::vector<std::string> args;
  bool resp2_only = false;  // ~resp2: skipped by the RESP3 run

  bool is_sleep() const { return sleep_ms > 0; }
  // True when running this line produces a compared reply (counts toward the suite total).
  bool is_compared() const { return !is_sleep() && mode != CompareMode::kIgnore; }
  // The same, for a run in protocol `resp` (2 or 3).
  bool is_compared_in(int resp) const { return is_compared() && (resp == 2 || !resp2_only); }
};

struct CaseFile {
  std::string name;  // file stem, e.g. "strings_set" for strings_set.txt
  std::string path;
  std::vector<CaseLine> lines;
  std::string error;  // non-empty when the file could not be read or a line is malformed
};

// Splits one line into words. Returns false with `error` set on an unterminated quote, a
// bad escape, or a closing quote followed by a non-blank.
bool SplitWords(std::string_view line, std::vector<std::string>* words, std::string* error);

// Parses one non-blank, non-comment line. Returns false with `error` set when malformed
// (unknown marker, missing number, marker without a command).
bool ParseCaseLine(std::string_view text, int line_number, CaseLine* out, std::string* error);

// Reads and parses a whole file; on failure `error` names the line.
CaseFile LoadCaseFile(const std::string& path);

// The *.txt files directly under `dir`, sorted by name. Empty when `dir` does not exist.
std::vector<std::string> ListCaseFiles(const std::string& dir);

// "strings_set.txt" -> "strings_set"; characters other than [A-Za-z0-9_] become '_', so
// the result is a valid gtest parameter name.
std::string CaseNameFromPath(const std::string& path);

}  // namespace ember::test
