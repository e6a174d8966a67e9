// AofCommandReader (and ReadAofBatch): commands and annotations, a cut at every byte, corrupt bytes
// with their offsets, lying lengths in bounded memory, binary values, buffer refills, and the RESP
// part after an RDB preamble.
#include "persistence/aof_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/aof_batch.h"
#include "persistence/byte_io.h"
#include "persistence/rdb_check.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using Argv = std::vector<std::string>;
using Result = AofCommandReader::Result;

std::string Resp(const Argv& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& arg : argv) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

struct ReadAll {
  std::vector<Argv> commands;
  std::vector<uint64_t> starts;
  Result result = Result::kEnd;
  Status error;
  uint64_t valid_up_to = 0;
  uint64_t command_start = 0;
};

ReadAll ReadEverything(std::string_view data) {
  MemorySource source(data);
  AofCommandReader reader(&source, data.size());
  ReadAll out;
  Argv argv;
  while ((out.result = reader.Next(&argv, &out.error)) == Result::kCommand) {
    out.commands.push_back(argv);
    out.starts.push_back(reader.command_start());
  }
  out.valid_up_to = reader.valid_up_to();
  out.command_start = reader.command_start();
  return out;
}

TEST(AofReaderTest, ReadsCommandsWithTheirOffsets) {
  const std::string a = Resp({"SELECT", "0"});
  const std::string b = Resp({"SET", "key", "value"});
  const std::string c = Resp({"PEXPIREAT", "key", "1700000000000"});
  ReadAll r = ReadEverything(a + b + c);
  EXPECT_EQ(r.result, Result::kEnd);
  EXPECT_TRUE(r.error.ok());
  ASSERT_EQ(r.commands.size(), 3u);
  EXPECT_EQ(r.commands[0], (Argv{"SELECT", "0"}));
  EXPECT_EQ(r.commands[1], (Argv{"SET", "key", "value"}));
  EXPECT_EQ(r.commands[2], (Argv{"PEXPIREAT", "key", "1700000000000"}));
  EXPECT_EQ(r.starts, (std::vector<uint64_t>{0, a.size(), a.size() + b.size()}));
  EXPECT_EQ(r.valid_up_to, a.size() + b.size() + c.size());
}

TEST(AofReaderTest, SkipsTimestampAnnotations) {
  const std::string data = "#TS:1700000000\r\n" + Resp({"SET", "a", "1"}) +
                           "#TS:1700000001\r\n#other note\n" + Resp({"DEL", "a"}) +
                           "#TS:1700000002\r\n";
  ReadAll r = ReadEverything(data);
  EXPECT_EQ(r.result, Result::kEnd);
  ASSERT_EQ(r.commands.size(), 2u);
  EXPECT_EQ(r.commands[1], (Argv{"DEL", "a"}));
  EXPECT_EQ(r.starts[0], 16u);
  EXPECT_EQ(r.valid_up_to, data.size());
}

TEST(AofReaderTest, EmptyInputIsACleanEnd) {
  ReadAll r = ReadEverything("");
  EXPECT_EQ(r.result, Result::kEnd);
  EXPECT_TRUE(r.commands.empty());
  EXPECT_EQ(r.valid_up_to, 0u);
}

TEST(AofReaderTest, ACutAtEveryByteGivesTheEarlierCommandsThenTruncated) {
  const std::vector<Argv> commands = {
      {"SELECT", "0"}, {"SET", "k", std::string("v\r\n\0", 4)}, {"INCR", "counter"}};
  std::string data;
  std::vector<size_t> boundaries = {0};
  data += "#TS:1\r\n";
  boundaries.push_back(data.size());
  for (const Argv& argv : commands) {
    data += Resp(argv);
    boundaries.push_back(data.size());
  }
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    ReadAll r = ReadEverything(std::string_view(data).substr(0, cut));
    // The last boundary at or before the cut, and how many commands end before it.
    size_t valid = 0, complete = 0;
    for (size_t i = 0; i < boundaries.size() && boundaries[i] <= cut; ++i) {
      valid = boundaries[i];
      complete = i == 0 ? 0 : i - 1;
    }
    ASSERT_EQ(r.commands.size(), complete) << "cut at " << cut;
    for (size_t i = 0; i < complete; ++i) EXPECT_EQ(r.commands[i], commands[i]);
    EXPECT_EQ(r.valid_up_to, valid) << "cut at " << cut;
    if (valid == cut) {
      EXPECT_EQ(r.result, Result::kEnd) << "cut at " << cut;
    } else {
      ASSERT_EQ(r.result, Result::kTruncated) << "cut at " << cut << ": " << r.error.ToString();
      EXPECT_EQ(r.error.offset(), static_cast<int64_t>(valid)) << "cut at " << cut;
      EXPECT_EQ(r.command_start, valid);
      EXPECT_NE(r.error.message().find("Unexpected end of file"), std::string::npos);
    }
  }
}

TEST(AofReaderTest, EveryFlippedByteEndsCleanly) {
  const std::string data = "#TS:1700000000\r\n" + Resp({"SELECT", "0"}) +
                           Resp({"SET", "key", std::string(40, 'v')}) + Resp({"MULTI"}) +
                           Resp({"INCRBY", "n", "12"}) + Resp({"EXEC"});
  for (size_t i = 0; i < data.size(); ++i) {
    for (int mask : {0x01, 0x08, 0x20, 0x80, 0xff}) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      ReadAll r = ReadEverything(bad);
      ASSERT_NE(r.result, Result::kCommand);
      EXPECT_LE(r.valid_up_to, bad.size());
      if (r.result == Result::kEnd) {
        EXPECT_EQ(r.valid_up_to, bad.size()) << "flip at " << i;
      } else {
        EXPECT_GE(r.error.offset(), 0) << "flip at " << i;
        EXPECT_LE(r.error.offset(), static_cast<int64_t>(bad.size())) << "flip at " << i;
      }
    }
  }
}

struct CorruptCase {
  std::string data;
  int64_t offset;
  std::string message;
};

TEST(AofReaderTest, CorruptBytesAreReportedAtTheirOffset) {
  const std::string good = Resp({"SET", "a", "b"});  // 27 bytes
  const std::vector<CorruptCase> cases = {
      {"X", 0, "expected '*', got 'X'"},
      {"\r\n", 0, "expected '*', got '\\x0d'"},
      {good + "+OK\r\n", 27, "expected '*', got '+'"},
      {"*0\r\n", 0, "invalid multibulk length"},
      {"*-1\r\n", 0, "invalid multibulk length"},
      {"*1x\r\n$1\r\na\r\n", 0, "invalid multibulk length"},
      {"*1\n$1\r\na\r\n", 0, "invalid multibulk length"},
      {"*\r\n", 0, "invalid multibulk length"},
      {"*2147483648\r\n", 0, "invalid multibulk length"},
      {"*99999999999999999999999\r\n", 0, "invalid multibulk length"},
      {"*1\r\nX1\r\na\r\n", 4, "expected '$', got 'X'"},
      {"*1\r\n$-1\r\n", 4, "invalid bulk length"},
      {"*1\r\n$1\n\r\na\r\n", 4, "invalid bulk length"},
      {"*1\r\n$9223372036854775808\r\n", 4, "invalid bulk length"},
      {"*1\r\n$3\r\nfooXY", 11, "expected CRLF after a bulk of 3 bytes"},
      {"*1\r\n$3\r\nfoo\n\r", 11, "expected CRLF"},
      {good + "*1x", 27, "invalid multibulk length"},  // judged before the end
      {good + "#" + std::string(2000, 'n') + "\r\n", 27, "annotation line too long"},
  };
  for (const CorruptCase& c : cases) {
    ReadAll r = ReadEverything(c.data);
    ASSERT_EQ(r.result, Result::kCorrupt) << c.data;
    EXPECT_EQ(r.error.offset(), c.offset) << c.data;
    EXPECT_NE(r.error.message().find("Bad file format reading the append only file"),
              std::string::npos);
    EXPECT_NE(r.error.message().find(c.message), std::string::npos) << r.error.message();
  }
}

TEST(AofReaderTest, ResultsAfterTheEndAreFinal) {
  const std::string data = Resp({"PING"}) + "*2\r\n$1\r\n";
  MemorySource source(data);
  AofCommandReader reader(&source, data.size());
  Argv argv;
  Status error;
  EXPECT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(reader.Next(&argv, &error), Result::kTruncated);
  error = Status::Ok();
  EXPECT_EQ(reader.Next(&argv, &error), Result::kTruncated);
  EXPECT_FALSE(error.ok());
}

TEST(AofReaderTest, HugeClaimedLengthsEndQuicklyInBoundedMemory) {
  // A count of 2^31 - 1 with a few real arguments after it, in about 100 bytes.
  std::string many = "*2147483647\r\n";
  for (int i = 0; i < 10; ++i) many += "$1\r\nx\r\n";
  ReadAll r = ReadEverything(many);
  EXPECT_EQ(r.result, Result::kTruncated);
  EXPECT_EQ(r.error.offset(), 0);

  const std::string bulk = "*1\r\n$1000000000\r\n" + std::string(80, 'y');
  MemorySource source(bulk);
  AofCommandReader reader(&source, bulk.size());
  Argv argv;
  Status error;
  EXPECT_EQ(reader.Next(&argv, &error), Result::kTruncated);
  ASSERT_EQ(argv.size(), 1u);  // the one argument being read, nothing reserved for it
  EXPECT_LT(argv[0].capacity(), 1024u);
  EXPECT_LT(argv.capacity(), 16u);

  ReadAll max_bulk = ReadEverything("*1\r\n$9223372036854775807\r\nabc");
  EXPECT_EQ(max_bulk.result, Result::kTruncated);
}

TEST(AofReaderTest, ValuesAreBinarySafe) {
  const Argv argv = {"SET", std::string("k\0y", 3), std::string("\r\n$3\r\n*1\r\n\0\xff", 13), ""};
  const std::string data = Resp(argv) + Resp({"GET", ""});
  ReadAll r = ReadEverything(data);
  EXPECT_EQ(r.result, Result::kEnd);
  ASSERT_EQ(r.commands.size(), 2u);
  EXPECT_EQ(r.commands[0], argv);
  EXPECT_EQ(r.commands[1], (Argv{"GET", ""}));
}

TEST(AofReaderTest, LargeInputCrossesBufferRefillsIntact) {
  // Values from 0 bytes to 200 KB, so headers, values and CRLFs straddle every refill and
  // large values take the direct path.
  std::vector<Argv> commands;
  std::string data;
  for (size_t i = 0; i < 400; ++i) {
    const size_t size = (i * 7919) % (i % 50 == 0 ? 200'000 : 3000);
    std::string value(size, static_cast<char>('a' + i % 26));
    if (!value.empty()) value[size / 2] = '\n';
    commands.push_back({"SET", "key:" + std::to_string(i), value});
    data += Resp(commands.back());
    if (i % 3 == 0) data += "#TS:" + std::to_string(i) + "\r\n";
  }
  ReadAll r = ReadEverything(data);
  EXPECT_EQ(r.result, Result::kEnd) << r.error.ToString();
  ASSERT_EQ(r.commands.size(), commands.size());
  for (size_t i = 0; i < commands.size(); ++i) ASSERT_EQ(r.commands[i], commands[i]) << i;
  EXPECT_EQ(r.valid_up_to, data.size());
}

TEST(AofReaderTest, ReusesArgumentStringsBetweenCommands) {
  const std::string big(1000, 'v');
  const std::string data =
      Resp({"SET", "k", big}) + Resp({"SELECT", "1"}) + Resp({"SET", "k2", "short"});
  MemorySource source(data);
  AofCommandReader reader(&source, data.size());
  Argv argv;
  Status error;
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  const char* storage = argv[2].data();
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(argv, (Argv{"SELECT", "1"}));
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(argv[2], "short");
  EXPECT_EQ(argv[2].data(), storage);
}

// Fails every read after the first, like a disk error.
class FailingSource : public ByteSource {
 public:
  explicit FailingSource(std::string data) : data_(std::move(data)), inner_(data_) {}
  Status Read(size_t n, char* out) override {
    if (reads_++ >= 1) return Status::Error("read failed: Input/output error", 7);
    return inner_.Read(n, out);
  }
  uint64_t offset() const override { return inner_.offset(); }

 private:
  std::string data_;
  MemorySource inner_;
  int reads_ = 0;
};

TEST(AofReaderTest, AReadErrorIsFatalNotTruncation) {
  // Large enough that the reader needs a second read.
  const std::string data = Resp({"SET", "k", std::string(200'000, 'x')});
  FailingSource source(data);
  AofCommandReader reader(&source, data.size());
  Argv argv;
  Status error;
  EXPECT_EQ(reader.Next(&argv, &error), Result::kCorrupt);
  EXPECT_NE(error.message().find("Input/output error"), std::string::npos) << error.ToString();
}

TEST(AofReaderTest, ContinuesAfterAnRdbPreamble) {
  storage::Keyspace ks;
  testing::Put(ks, 0, "from-rdb", "1");
  const std::string rdb = testing::SaveToMemory(ks);
  const std::string tail = Resp({"SET", "from-aof", "2"}) + Resp({"DEL", "from-rdb"});
  const std::string data = rdb + tail;
  ASSERT_TRUE(LooksLikeRdb(data));

  MemorySource source(data);
  RdbCheckReport report;
  Status s = CheckRdb(&source, &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.keys, 1u);
  ASSERT_EQ(source.offset(), rdb.size());

  AofCommandReader reader(&source, data.size());
  EXPECT_EQ(reader.valid_up_to(), rdb.size());
  Argv argv;
  Status error;
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(argv, (Argv{"SET", "from-aof", "2"}));
  EXPECT_EQ(reader.command_start(), rdb.size());
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(reader.Next(&argv, &error), Result::kEnd);
  EXPECT_EQ(reader.valid_up_to(), data.size());
}

TEST(AofReaderTest, AHugeValueDoesNotPinItsMemory) {
  const std::string data =
      Resp({"SET", "k", std::string(3'000'000, 'h')}) + Resp({"SET", "k", "s"});
  MemorySource source(data);
  AofCommandReader reader(&source, data.size());
  Argv argv;
  Status error;
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_GE(argv[2].capacity(), 3'000'000u);
  ASSERT_EQ(reader.Next(&argv, &error), Result::kCommand);
  EXPECT_EQ(argv[2], "s");
  EXPECT_LT(argv[2].capacity(), 1024u);
}

TEST(AofReaderTest, LooksLikeRdbNeedsTheWholeMagic) {
  EXPECT_TRUE(LooksLikeRdb("REDIS0010"));
  EXPECT_TRUE(LooksLikeRdb("REDIS"));
  EXPECT_FALSE(LooksLikeRdb("REDI"));
  EXPECT_FALSE(LooksLikeRdb("*1\r\n$4\r\nPING\r\n"));
  EXPECT_FALSE(LooksLikeRdb(""));
}

// ReadAofBatch: batches hold the commands read one by one, with the same offsets; the batch
// that meets the end of the input carries what ended it.
// Every batch of `data` read `per_batch` at a time, until the one that ends the input.
std::vector<AofBatch> ReadBatches(const std::string& data, size_t per_batch) {
  MemorySource source(data);
  AofCommandReader reader(&source, data.size());
  std::vector<AofBatch> batches;
  do {
    batches.emplace_back();
    ReadAofBatch(reader, per_batch, &batches.back());
  } while (!batches.back().last());
  return batches;
}

TEST(AofBatchTest, BatchesHoldTheCommandsInOrderWithTheirOffsets) {
  std::string data;
  std::vector<uint64_t> starts;
  auto append = [&](const Argv& argv) {
    starts.push_back(data.size());
    data += Resp(argv);
  };
  for (int i = 0; i < 10; ++i) {
    append({"SET", "k" + std::to_string(i), std::string(static_cast<size_t>(i) * 9, 'v')});
    if (i % 4 == 0) append({"SELECT", std::to_string(i)});
  }
  const std::vector<AofBatch> batches = ReadBatches(data, 4);
  ASSERT_EQ(batches.size(), 4u);  // 13 commands: 4 + 4 + 4 + 1, the last batch ends the input
  std::vector<uint64_t> seen;
  std::vector<std::string> names;
  for (const AofBatch& batch : batches) {
    for (size_t i = 0; i < batch.count; ++i) {
      seen.push_back(batch.starts[i]);
      names.push_back(batch.commands[i][0]);
    }
  }
  EXPECT_EQ(seen, starts);
  EXPECT_EQ(names[0], "SET");
  EXPECT_EQ(names[1], "SELECT");
  EXPECT_EQ(batches.back().result, Result::kEnd);
  EXPECT_EQ(batches.back().valid_up_to, data.size());
  for (size_t i = 0; i + 1 < batches.size(); ++i) EXPECT_EQ(batches[i].result, Result::kCommand);
}

TEST(AofBatchTest, ABatchThatMeetsACutTailSaysWhereTheValidPartEnds) {
  const std::string whole = Resp({"SET", "a", "1"}) + Resp({"SET", "b", "2"});
  const std::string data = whole + Resp({"SET", "c", "3"}).substr(0, 7);
  const std::vector<AofBatch> batches = ReadBatches(data, 16);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].count, 2u);
  EXPECT_EQ(batches[0].result, Result::kTruncated);
  EXPECT_EQ(batches[0].valid_up_to, whole.size());
}

TEST(AofBatchTest, CorruptBytesEndTheBatchWithTheError) {
  const std::string data = Resp({"SET", "a", "1"}) + "*1\r\nX3\r\nabc\r\n";
  const std::vector<AofBatch> batches = ReadBatches(data, 16);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].count, 1u);
  EXPECT_EQ(batches[0].result, Result::kCorrupt);
  EXPECT_FALSE(batches[0].error.ok());
}

}  // namespace
}  // namespace ember::persistence
