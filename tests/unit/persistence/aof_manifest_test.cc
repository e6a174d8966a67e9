// The manifest as Redis 7.0 writes and reads it: literal samples, quoting of odd names, a
// round trip, and every way a manifest can be rejected (each naming the line).
#include "persistence/aof_manifest.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::persistence {
namespace {

AofManifest ParseOk(std::string_view text) {
  AofManifest m;
  Status s = ParseAofManifest(text, &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

// Parses `text`, expecting an error whose message contains `message` and names `line`.
void ExpectError(std::string_view text, std::string_view message, int line) {
  AofManifest m;
  Status s = ParseAofManifest(text, &m);
  ASSERT_FALSE(s.ok()) << "accepted: " << text;
  EXPECT_NE(s.message().find(message), std::string::npos) << s.message();
  if (line > 0) {
    EXPECT_NE(s.message().find("at line " + std::to_string(line) + ":"), std::string::npos)
        << s.message();
  }
}

TEST(AofManifestTest, ParsesWhatRedisWritesOnFirstStart) {
  // redis-server 7.0.15 --appendonly yes, on an empty directory.
  AofManifest m = ParseOk(
      "file appendonly.aof.1.base.rdb seq 1 type b\n"
      "file appendonly.aof.1.incr.aof seq 1 type i\n");
  ASSERT_TRUE(m.base.has_value());
  EXPECT_EQ(m.base->name, "appendonly.aof.1.base.rdb");
  EXPECT_EQ(m.base->seq, 1);
  EXPECT_EQ(m.base->type, AofFileType::kBase);
  ASSERT_EQ(m.incrs.size(), 1u);
  EXPECT_EQ(m.incrs[0].name, "appendonly.aof.1.incr.aof");
  EXPECT_EQ(m.incrs[0].type, AofFileType::kIncr);
  EXPECT_TRUE(m.history.empty());
  EXPECT_EQ(m.base_seq, 1);
  EXPECT_EQ(m.incr_seq, 1);
}

TEST(AofManifestTest, ParsesHistoryAndSeveralIncrsDuringARewrite) {
  // After a rewrite whose history files are not yet deleted, with a failed rewrite's incr.
  AofManifest m = ParseOk(
      "file appendonly.aof.3.base.aof seq 3 type b\n"
      "file appendonly.aof.2.base.aof seq 2 type h\n"
      "file appendonly.aof.4.incr.aof seq 4 type h\n"
      "file appendonly.aof.5.incr.aof seq 5 type i\n"
      "file appendonly.aof.6.incr.aof seq 6 type i\n");
  EXPECT_EQ(m.base->name, "appendonly.aof.3.base.aof");
  ASSERT_EQ(m.history.size(), 2u);
  EXPECT_EQ(m.history[1].name, "appendonly.aof.4.incr.aof");
  EXPECT_EQ(m.history[1].type, AofFileType::kHistory);
  ASSERT_EQ(m.incrs.size(), 2u);
  EXPECT_EQ(m.incrs[1].seq, 6);
  EXPECT_EQ(m.base_seq, 3);
  EXPECT_EQ(m.incr_seq, 6);
}

TEST(AofManifestTest, ParsesTheManifestOfAnUpgradedLegacyFile) {
  AofManifest m = ParseOk("file appendonly.aof seq 1 type b\n");
  EXPECT_EQ(m.base->name, "appendonly.aof");
  EXPECT_TRUE(m.incrs.empty());
  EXPECT_EQ(m.incr_seq, 0);
}

TEST(AofManifestTest, ParsesQuotedNamesAsRedisWritesThem) {
  // redis-server 7.0.15 --appendfilename 'my "odd" file.aof' wrote exactly this.
  AofManifest m = ParseOk(
      "file \"my \\\"odd\\\" file.aof.1.base.rdb\" seq 1 type b\n"
      "file \"my \\\"odd\\\" file.aof.1.incr.aof\" seq 1 type i\n");
  EXPECT_EQ(m.base->name, "my \"odd\" file.aof.1.base.rdb");
  EXPECT_EQ(m.incrs[0].name, "my \"odd\" file.aof.1.incr.aof");
}

TEST(AofManifestTest, AcceptsCommentsAnyKeyOrderCaseUnknownKeysAndCrlf) {
  AofManifest m = ParseOk(
      "# written by hand\n"
      "TYPE b SEQ 7 FILE base.rdb\r\n"
      "seq 9 future-key some-value file 'single quoted' type incr\n");
  EXPECT_EQ(m.base->name, "base.rdb");
  EXPECT_EQ(m.base->seq, 7);
  ASSERT_EQ(m.incrs.size(), 1u);
  EXPECT_EQ(m.incrs[0].name, "single quoted");
  EXPECT_EQ(m.incrs[0].seq, 9);
}

TEST(AofManifestTest, DecodesEscapesInsideDoubleQuotes) {
  AofManifest m = ParseOk("file \"a\\tb\\x41\\x7a\\n\\q\\\"\" seq 1 type i\n");
  EXPECT_EQ(m.incrs[0].name, "a\tbAz\nq\"");
}

TEST(AofManifestTest, SerializesInRedisOrderAndQuotesOddNames) {
  AofManifest m;
  m.base = AofFileInfo{"appendonly.aof.2.base.rdb", 2, AofFileType::kBase};
  m.incrs.push_back({"appendonly.aof.3.incr.aof", 3, AofFileType::kIncr});
  m.history.push_back({"appendonly.aof.1.base.rdb", 1, AofFileType::kHistory});
  m.history.push_back({"has space.aof", 2, AofFileType::kHistory});
  EXPECT_EQ(m.Serialize(),
            "file appendonly.aof.2.base.rdb seq 2 type b\n"
            "file appendonly.aof.1.base.rdb seq 1 type h\n"
            "file \"has space.aof\" seq 2 type h\n"
            "file appendonly.aof.3.incr.aof seq 3 type i\n");
  EXPECT_EQ(AofManifestQuoteName("my \"odd\" file.aof"), "\"my \\\"odd\\\" file.aof\"");
  EXPECT_EQ(AofManifestQuoteName(std::string("t\tb\x01\xff", 5)), "\"t\\tb\\x01\\xff\"");
  EXPECT_EQ(AofManifestQuoteName("it's"), "\"it's\"");
  EXPECT_EQ(AofManifestQuoteName("plain.aof"), "plain.aof");
}

TEST(AofManifestTest, RoundTripsEveryByteInNames) {
  AofManifest m;
  std::string all;
  for (int c = 1; c < 256; ++c) {
    if (c != '/' && c != '\\') all.push_back(static_cast<char>(c));
  }
  m.base = AofFileInfo{"base " + all, 4, AofFileType::kBase};
  m.history.push_back({"h\"ist'", 3, AofFileType::kHistory});
  m.incrs.push_back({"i1", 5, AofFileType::kIncr});
  m.incrs.push_back({std::string("i\0\x7f", 3), 6, AofFileType::kIncr});
  AofManifest back = ParseOk(m.Serialize());
  EXPECT_EQ(back.base->name, m.base->name);
  EXPECT_EQ(back.history[0].name, "h\"ist'");
  ASSERT_EQ(back.incrs.size(), 2u);
  EXPECT_EQ(back.incrs[1].name, std::string("i\0\x7f", 3));
  EXPECT_EQ(back.base_seq, 4);
  EXPECT_EQ(back.incr_seq, 6);
  EXPECT_EQ(back.Serialize(), m.Serialize());
}

TEST(AofManifestTest, FileNamesFollowRedis) {
  EXPECT_EQ(AofBaseFileName("appendonly.aof", 1, true), "appendonly.aof.1.base.rdb");
  EXPECT_EQ(AofBaseFileName("appendonly.aof", 12, false), "appendonly.aof.12.base.aof");
  EXPECT_EQ(AofIncrFileName("appendonly.aof", 3), "appendonly.aof.3.incr.aof");
  EXPECT_EQ(AofManifestFileName("appendonly.aof"), "appendonly.aof.manifest");
  EXPECT_EQ(AofTempManifestFileName("appendonly.aof"), "temp-appendonly.aof.manifest");
  EXPECT_EQ(AofTempIncrFileName("appendonly.aof"), "temp-appendonly.aof.incr");
}

TEST(AofManifestTest, RejectsLinesMissingAField) {
  const char* kBase = "file b.rdb seq 1 type b\n";
  ExpectError(std::string(kBase) + "file x seq 2\n", "Invalid AOF manifest file format", 2);
  ExpectError("seq 1 type b other x\n", "Invalid AOF manifest file format", 1);   // no file
  ExpectError("file x type b other y\n", "Invalid AOF manifest file format", 1);  // no seq
  ExpectError("file x seq 1 other y\n", "Invalid AOF manifest file format", 1);   // no type
  ExpectError("file x seq 0 type b\n", "Invalid AOF manifest file format", 1);
  ExpectError("file x seq abc type b\n", "Invalid AOF manifest file format", 1);
  ExpectError("file x seq -3 type b\n", "Invalid AOF manifest file format", 1);
  ExpectError("file x seq 1 type \"\"\n", "Invalid AOF manifest file format", 1);
  ExpectError("file x seq 1 type b extra\n", "Invalid AOF manifest file format", 1);
  ExpectError(std::string(kBase) + "\n", "Invalid AOF manifest file format", 2);  // blank
  ExpectError("  # not a comment\n", "Invalid AOF manifest file format", 1);
  ExpectError(std::string("file a\0b seq 1 type b\n", 22), "Invalid AOF manifest file format", 1);
}

TEST(AofManifestTest, RejectsBadQuoting) {
  ExpectError("file \"x seq 1 type b\n", "Invalid AOF manifest file format", 1);
  ExpectError("file \"x\"y seq 1 type b\n", "Invalid AOF manifest file format", 1);
  ExpectError("file 'x seq 1 type b\n", "Invalid AOF manifest file format", 1);
}

TEST(AofManifestTest, RejectsAnUnknownType) {
  ExpectError("file x seq 1 type z\n", "Unknown AOF file type", 1);
}

TEST(AofManifestTest, RejectsAPathInsteadOfAName) {
  ExpectError("file dir/x seq 1 type b\n", "File can't be a path", 1);
  ExpectError("file ..\\x seq 1 type b\n", "File can't be a path", 1);
}

TEST(AofManifestTest, RejectsASecondBase) {
  ExpectError(
      "file a seq 1 type b\n"
      "file b seq 2 type b\n",
      "Found duplicate base file information", 2);
}

TEST(AofManifestTest, RejectsIncrSeqThatDoesNotIncrease) {
  ExpectError(
      "file a seq 1 type b\n"
      "file i2 seq 2 type i\n"
      "file i2b seq 2 type i\n",
      "Found a non-monotonic sequence number", 3);
  ExpectError(
      "file i5 seq 5 type i\n"
      "# comment\n"
      "file i4 seq 4 type i\n",
      "Found a non-monotonic sequence number", 3);
}

TEST(AofManifestTest, RejectsOverLongLinesAndAMissingFinalNewline) {
  const std::string ok_name(1023 - std::string_view("file  seq 1 type b").size(), 'n');
  ParseOk("file " + ok_name + " seq 1 type b\n");  // 1023 bytes and its newline: fits
  ExpectError("file " + ok_name + "x seq 1 type b\n", "too long line", 1);
  ExpectError("file a seq 1 type b", "too long line", 1);
  // A comment line of any length is skipped.
  ParseOk("#" + std::string(5000, 'c') + "\nfile a seq 1 type b\n");
}

TEST(AofManifestTest, RejectsAnEmptyManifest) {
  ExpectError("", "Found an empty AOF manifest", 0);
  ExpectError("# only a comment\n", "Found an empty AOF manifest", 0);
  ExpectError("file h seq 1 type h\n", "Found an empty AOF manifest", 0);
}

TEST(AofManifestTest, ErrorOffsetIsTheLineStart) {
  AofManifest m;
  Status s = ParseAofManifest("file a seq 1 type b\nfile b seq 1 type q\n", &m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.offset(), 20);
}

}  // namespace
}  // namespace ember::persistence
