// CheckAofFile / CheckAofPath on real files in a temporary directory: valid, truncated and
// corrupt files, MULTI/EXEC pairing, RDB preambles, and multi-part directories.
#include "persistence/aof_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "persistence/aof_manifest.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

namespace fs = std::filesystem;

std::string Resp(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& arg : argv) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class AofCheckTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(temp_.path().empty()); }

  std::string Write(const std::string& name, std::string_view data) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }

  test::TempDir temp_{"ember-aof-check"};
  fs::path dir_ = temp_.path();
};

const std::string kSelect = Resp({"SELECT", "0"});  // 23 bytes, 5 lines
const std::string kSet = Resp({"SET", "k", "v"});   // 27 bytes, 7 lines
const std::string kMulti = Resp({"MULTI"});
const std::string kExec = Resp({"EXEC"});

TEST_F(AofCheckTest, AValidFileIsValid) {
  const std::string data = "#TS:1700000000\r\n" + kSelect + kSet + kMulti + kSet + kExec;
  AofCheckFileResult r = CheckAofFile(Write("appendonly.aof", data));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.size, data.size());
  EXPECT_EQ(r.valid_up_to, data.size());
  EXPECT_EQ(r.commands, 5u);
  EXPECT_EQ(r.ok_up_to_line, 1u + 5 + 7 + 3 + 7 + 3);
  EXPECT_FALSE(r.truncated);
  EXPECT_FALSE(r.rdb_preamble);
}

TEST_F(AofCheckTest, AnEmptyFileIsValid) {
  AofCheckFileResult r = CheckAofFile(Write("empty.aof", ""));
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.size, 0u);
}

TEST_F(AofCheckTest, ATruncatedFileIsValidUpToItsLastCompleteCommand) {
  const std::string data = kSelect + kSet + kSet.substr(0, 12);
  AofCheckFileResult r = CheckAofFile(Write("cut.aof", data));
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.valid_up_to, kSelect.size() + kSet.size());
  EXPECT_EQ(r.commands, 2u);
  EXPECT_EQ(r.status.offset(), static_cast<int64_t>(r.valid_up_to));
  EXPECT_EQ(r.status.file(), (dir_ / "cut.aof").string());
}

TEST_F(AofCheckTest, AnUnfinishedMultiIsTruncatedAtTheMulti) {
  const std::string data = kSelect + kMulti + kSet + kSet;
  AofCheckFileResult r = CheckAofFile(Write("multi.aof", data));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.valid_up_to, kSelect.size());
  EXPECT_EQ(r.commands, 1u);
  EXPECT_EQ(r.ok_up_to_line, 6u);
  EXPECT_TRUE(Contains(r.status.message(), "Reached EOF before reading EXEC for MULTI"));

  // Cut inside a command of the transaction: still back to the MULTI.
  r = CheckAofFile(Write("multi-cut.aof", kSelect + kMulti + kSet + kExec.substr(0, 5)));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.valid_up_to, kSelect.size());
}

TEST_F(AofCheckTest, NestedMultiAndStrayExecAreErrors) {
  AofCheckFileResult r = CheckAofFile(Write("nested.aof", kSet + kMulti + kSet + kMulti + kExec));
  EXPECT_FALSE(r.truncated);
  EXPECT_TRUE(Contains(r.status.message(), "Unexpected MULTI"));
  EXPECT_EQ(r.valid_up_to, kSet.size());
  EXPECT_EQ(r.status.offset(), static_cast<int64_t>(2 * kSet.size() + kMulti.size()));

  r = CheckAofFile(Write("stray.aof", kSet + "#TS:5\r\n" + kExec + kSet));
  EXPECT_FALSE(r.truncated);
  EXPECT_TRUE(Contains(r.status.message(), "Unexpected EXEC"));
  EXPECT_EQ(r.valid_up_to, kSet.size() + 7);
}

TEST_F(AofCheckTest, CorruptBytesAreAnErrorNotTruncation) {
  AofCheckFileResult r = CheckAofFile(Write("bad.aof", kSet + "$3\r\nfoo\r\n" + kSet));
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.valid_up_to, kSet.size());
  EXPECT_TRUE(Contains(r.status.message(), "Bad file format"));
}

TEST_F(AofCheckTest, AnRdbPreambleIsCheckedThenTheTail) {
  storage::Keyspace ks;
  testing::Put(ks, 0, "a", "1");
  testing::Put(ks, 2, "b", "2", testing::kNowMs + 1000);
  const std::string rdb = testing::SaveToMemory(ks);
  const std::string data = rdb + kSelect + kSet;
  AofCheckFileResult r = CheckAofFile(Write("preamble.aof", data));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.rdb_preamble);
  EXPECT_EQ(r.valid_up_to, data.size());
  EXPECT_EQ(r.commands, 2u);

  r = CheckAofFile(Write("preamble-cut.aof", data.substr(0, data.size() - 3)));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.valid_up_to, rdb.size() + kSelect.size());

  std::string bad_rdb = data;
  bad_rdb[rdb.size() / 2] ^= 0x55;
  r = CheckAofFile(Write("preamble-bad.aof", bad_rdb));
  EXPECT_FALSE(r.status.ok());
  EXPECT_FALSE(r.truncated);
  EXPECT_TRUE(r.rdb_preamble);
  EXPECT_EQ(r.valid_up_to, 0u);
  EXPECT_TRUE(Contains(r.status.message(), "RDB preamble"));
}

TEST_F(AofCheckTest, AMissingFileIsAnError) {
  AofCheckFileResult r = CheckAofFile((dir_ / "nope.aof").string());
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.size, 0u);
}

// A multi-part directory as Redis 7.0 lays it out: an RDB base and two incrs.
class AofCheckDirTest : public AofCheckTest {
 protected:
  void WriteSet(std::string_view incr2) {
    storage::Keyspace ks;
    testing::Put(ks, 0, "base-key", "1");
    Write("appendonly.aof.2.base.rdb", testing::SaveToMemory(ks));
    Write("appendonly.aof.2.incr.aof", "#TS:1\r\n" + kSelect + kSet);
    Write("appendonly.aof.3.incr.aof", incr2);
    Write("appendonly.aof.manifest",
          "file appendonly.aof.2.base.rdb seq 2 type b\n"
          "file appendonly.aof.1.incr.aof seq 1 type h\n"
          "file appendonly.aof.2.incr.aof seq 2 type i\n"
          "file appendonly.aof.3.incr.aof seq 3 type i\n");
  }
};

TEST_F(AofCheckDirTest, AValidDirectoryIsValid) {
  WriteSet(kSet + kMulti + kSet + kExec);
  std::string report;
  Status s = CheckAofPath(dir_.string(), &report);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << report;
  EXPECT_TRUE(Contains(report, "Start to check BASE AOF (RDB format).")) << report;
  EXPECT_TRUE(Contains(report, "BASE AOF appendonly.aof.2.base.rdb is valid")) << report;
  EXPECT_TRUE(Contains(report, "INCR AOF appendonly.aof.2.incr.aof is valid")) << report;
  EXPECT_TRUE(Contains(report, "INCR AOF appendonly.aof.3.incr.aof is valid")) << report;
  EXPECT_TRUE(Contains(report, "All AOF files and manifest are valid")) << report;
  // The history file is not part of what loads, so its absence is fine.
  EXPECT_FALSE(Contains(report, "appendonly.aof.1.incr.aof")) << report;

  // The manifest path works the same.
  std::string again;
  EXPECT_TRUE(CheckAofPath((dir_ / "appendonly.aof.manifest").string(), &again).ok());
  EXPECT_EQ(again, report);
}

TEST_F(AofCheckDirTest, ATruncatedLastIncrIsReportedWithItsGoodLength) {
  WriteSet(kSet + kSet.substr(0, 10));
  std::string report;
  Status s = CheckAofPath(dir_.string(), &report);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.file(), (dir_ / "appendonly.aof.3.incr.aof").string());
  EXPECT_TRUE(Contains(report,
                       "AOF analyzed: filename=appendonly.aof.3.incr.aof, size=37, ok_up_to=27, "
                       "ok_up_to_line=8, diff=10"))
      << report;
  EXPECT_TRUE(Contains(report, "INCR AOF appendonly.aof.3.incr.aof is not valid: it is truncated"))
      << report;
}

TEST_F(AofCheckDirTest, ATruncatedIncrThatIsNotTheLastIsReportedAsSuch) {
  WriteSet(kSet);
  Write("appendonly.aof.2.incr.aof", kSelect + kSet.substr(0, 20));
  std::string report;
  Status s = CheckAofPath(dir_.string(), &report);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.message(), "not the last file")) << s.ToString();
  EXPECT_TRUE(Contains(report,
                       "INCR AOF appendonly.aof.2.incr.aof is not valid: it is truncated and it is "
                       "not the last file"))
      << report;
  EXPECT_TRUE(Contains(report, "INCR AOF appendonly.aof.3.incr.aof is valid")) << report;
  EXPECT_FALSE(Contains(report, "All AOF files and manifest are valid"));
}

TEST_F(AofCheckDirTest, AMissingListedFileIsAnError) {
  WriteSet(kSet);
  fs::remove(dir_ / "appendonly.aof.3.incr.aof");
  std::string report;
  EXPECT_FALSE(CheckAofPath(dir_.string(), &report).ok());
  EXPECT_TRUE(Contains(report, "INCR AOF appendonly.aof.3.incr.aof is not valid")) << report;
}

TEST_F(AofCheckDirTest, ABadManifestIsAnError) {
  WriteSet(kSet);
  Write("appendonly.aof.manifest", "file a seq 1 type q\n");
  std::string report;
  Status s = CheckAofPath(dir_.string(), &report);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(report, "Unknown AOF file type")) << report;
}

TEST_F(AofCheckTest, ADirectoryNeedsExactlyOneManifest) {
  std::string report;
  EXPECT_FALSE(CheckAofPath(dir_.string(), &report).ok());
  Write("a.manifest", "file a seq 1 type b\n");
  Write("temp-a.manifest", "half written");
  Write("a", kSet);
  EXPECT_TRUE(CheckAofPath(dir_.string(), &report).ok()) << report;
  Write("b.manifest", "file a seq 1 type b\n");
  EXPECT_FALSE(CheckAofPath(dir_.string(), &report).ok());
  EXPECT_TRUE(Contains(report, "found 2")) << report;
}

TEST_F(AofCheckTest, ALegacySingleFileIsCheckedOnItsOwn) {
  const std::string path = Write("appendonly.aof", kSelect + kSet);
  std::string report;
  EXPECT_TRUE(CheckAofPath(path, &report).ok()) << report;
  EXPECT_TRUE(Contains(report, "Start checking Old-Style AOF")) << report;
  EXPECT_TRUE(Contains(report, "AOF " + path + " is valid")) << report;

  Write("appendonly.aof", kSelect + kSet + "*2\r\n$3");
  EXPECT_FALSE(CheckAofPath(path, &report).ok());
  EXPECT_TRUE(Contains(report, "ok_up_to=50, ok_up_to_line=13, diff=6")) << report;
}

TEST_F(AofCheckTest, AManifestIsRecognisedByItsContent) {
  Write("base.aof", kSet);
  const std::string path = Write("list.txt", "# hand-made\nfile base.aof seq 1 type b\n");
  std::string report;
  EXPECT_TRUE(CheckAofPath(path, &report).ok()) << report;
  EXPECT_TRUE(Contains(report, "Start checking Multi Part AOF")) << report;
  EXPECT_TRUE(Contains(report, "BASE AOF base.aof is valid")) << report;
}

}  // namespace
}  // namespace ember::persistence
