// Disk faults: a write that runs out of room (the server's file-size limit lowered with
// `prlimit`, so writes past it fail with EFBIG, as they would with ENOSPC on a full disk),
// and a data directory the server may not write to. In every case the failure is reported,
// reads keep working, writes follow Redis's rules (MISCONF), the previous files stay intact,
// and nothing acknowledged is lost once the fault is gone.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

constexpr size_t kValueSize = 1024;

// Sets the soft RLIMIT_FSIZE of a running process (prlimit is util-linux, always on Debian).
// "unlimited" lifts it again.
void SetFileSizeLimit(pid_t pid, const std::string& bytes) {
  const std::string command =
      "prlimit --pid " + std::to_string(pid) + " --fsize=" + bytes + ": >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0)
      << command << " failed (prlimit comes with util-linux: apt-get install util-linux)";
}

// Incompressible (LZF would shrink a repeated byte to nothing), and the same for the same i.
std::string Value(int i) {
  std::mt19937 random(static_cast<unsigned>(i));
  std::string value(kValueSize, '\0');
  for (char& c : value) c = static_cast<char>('!' + random() % 94);
  return value;
}

std::string Persistence(RedisClient& client) { return client.Command({"INFO", "persistence"}).str; }

// SETs key:<i> from `first` on until a reply is not OK or `limit` keys are written; returns the
// index of the first key that was not acknowledged.
int WriteUntilRefused(RedisClient& client, int first, int limit, Reply* refusal) {
  for (int i = first; i < limit; ++i) {
    Reply reply = client.Command({"SET", "key:" + std::to_string(i), Value(i)});
    if (reply != Status("OK")) {
      *refusal = reply;
      return i;
    }
  }
  return limit;
}

void ExpectKeys(RedisClient& client, int count) {
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(client.Command({"GET", "key:" + std::to_string(i)}), Bulk(Value(i))) << "key " << i;
  }
}

class AofDiskFullTest : public ::testing::TestWithParam<const char*> {};

// The AOF cannot grow: writes are refused with MISCONF (the first one may instead lose its
// connection under `always`, since its write could not be synced), reads keep working; when
// room returns, writes resume; and a SIGKILL restart has every acknowledged write.
TEST_P(AofDiskFullTest, WritesStopWithMisconfAndResumeWithNothingAcknowledgedLost) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", GetParam()});
  RedisClient setup(server.port());
  ASSERT_EQ(setup.Command({"SET", "key:0", Value(0)}), Status("OK"));
  const auto incr_size = std::filesystem::file_size(aof::LastIncrPath(dir.path()));
  SetFileSizeLimit(server.pid(), std::to_string(incr_size + 100 * kValueSize));

  auto writer = std::make_unique<RedisClient>(server.port());
  Reply refusal;
  const int acknowledged = WriteUntilRefused(*writer, 1, 1000, &refusal);
  ASSERT_LT(acknowledged, 1000) << "the file-size limit was never hit";
  if (refusal.type == Reply::Type::kError && refusal.str.rfind("IOERR", 0) == 0) {
    writer = std::make_unique<RedisClient>(server.port());  // dropped without a reply
  }
  const Reply misconf = Error("MISCONF Errors writing to the AOF file: File too large");
  EXPECT_EQ(writer->Command({"SET", "refused", "1"}), misconf);
  EXPECT_EQ(writer->Command({"DEL", "key:0"}), misconf);
  EXPECT_EQ(InfoField(Persistence(*writer), "aof_last_write_status"), "err");
  ExpectKeys(*writer, acknowledged);

  SetFileSizeLimit(server.pid(), "unlimited");
  ASSERT_TRUE(WaitFor(
      [&] {
        return writer->Command({"SET", "after", "1"}) == Status("OK");
      },
      std::chrono::seconds(5)))
      << "writes did not resume once the file could grow";
  EXPECT_EQ(InfoField(Persistence(*writer), "aof_last_write_status"), "ok");
  ASSERT_TRUE(aof::WaitForAofWritten(*writer));
  server.Kill();

  ServerProcess restarted = aof::StartAof(dir.path());
  RedisClient reader(restarted.port());
  ExpectKeys(reader, acknowledged);
  EXPECT_EQ(reader.Command({"GET", "after"}), Bulk("1"));
  EXPECT_EQ(reader.Command({"EXISTS", "refused"}), Int(0));
}

INSTANTIATE_TEST_SUITE_P(Policies, AofDiskFullTest, ::testing::Values("always", "everysec"));

// A background save that runs out of room fails; the previous dump stays byte for byte, no
// temporary file is left, writes get Redis's MISCONF while reads work, and the next save
// after room returns succeeds and clears the gate.
TEST(DiskFaultTest, BgsaveOutOfRoomKeepsThePreviousDump) {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", "3600 1"});
  RedisClient client(server.port());
  ASSERT_EQ(client.Command({"SET", "key:0", Value(0)}), Status("OK"));
  ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
  const std::string dump = rdb::ReadFile(dir.file("dump.rdb"));
  rdb::Pipeline(client, 2000, [](size_t i) {
    return std::vector<std::string>{"SET", "key:" + std::to_string(i), Value(static_cast<int>(i))};
  });
  SetFileSizeLimit(server.pid(), std::to_string(dump.size() + 64 * kValueSize));

  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  EXPECT_EQ(InfoField(rdb::WaitForBgsave(client), "rdb_last_bgsave_status"), "err");
  EXPECT_TRUE(rdb::ReadFile(dir.file("dump.rdb")) == dump) << "the previous dump was touched";
  EXPECT_EQ(aof::ListDir(dir.path()), std::vector<std::string>{"dump.rdb"});
  EXPECT_EQ(client.Command({"SET", "refused", "1"}).str.rfind("MISCONF", 0), 0u);
  EXPECT_EQ(client.Command({"GET", "key:1999"}), Bulk(Value(1999)));
  EXPECT_EQ(client.Command({"SAVE"}).type, Reply::Type::kError);
  EXPECT_TRUE(rdb::ReadFile(dir.file("dump.rdb")) == dump);

  SetFileSizeLimit(server.pid(), "unlimited");
  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  EXPECT_EQ(InfoField(rdb::WaitForBgsave(client), "rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(client.Command({"SET", "after", "1"}), Status("OK"));
  server.Kill();

  ServerProcess restarted = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient reader(restarted.port());
  ExpectKeys(reader, 2000);
}

// An AOF rewrite whose new base cannot be written fails and keeps the current base; the set
// stays valid, writes keep going to the incremental file, and a SIGKILL restart has all of
// them. Once room returns, a rewrite succeeds.
TEST(DiskFaultTest, AofRewriteOutOfRoomKeepsTheCurrentBase) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  rdb::Pipeline(client, 2000, [](size_t i) {
    return std::vector<std::string>{"SET", "key:" + std::to_string(i), Value(static_cast<int>(i))};
  });
  aof::Rewrite(client);  // the data now sits in a ~2 MB base, the incremental file is empty
  const std::vector<std::string> bases = aof::ManifestFiles(dir.path(), "b");
  SetFileSizeLimit(server.pid(), std::to_string(256 * kValueSize));

  const long long rewrites = aof::InfoInt(client, "aof_rewrites");
  ASSERT_EQ(client.Command({"BGREWRITEAOF"}),
            Status("Background append only file rewriting started"));
  ASSERT_TRUE(aof::WaitForRewrite(client, rewrites));
  EXPECT_EQ(InfoField(Persistence(client), "aof_last_bgrewrite_status"), "err");
  EXPECT_EQ(aof::ManifestFiles(dir.path(), "b"), bases);
  EXPECT_EQ(client.Command({"SET", "key:2000", Value(2000)}), Status("OK"));
  EXPECT_EQ(client.Command({"GET", "key:0"}), Bulk(Value(0)));
  ASSERT_TRUE(aof::WaitForAofWritten(client));
  const aof::ExitResult check = aof::EmberCheckAof(aof::AofDir(dir.path()));
  EXPECT_EQ(check.status, 0) << check.log;
  server.Kill();

  ServerProcess restarted = aof::StartAof(dir.path());
  RedisClient reader(restarted.port());
  ExpectKeys(reader, 2001);
  aof::Rewrite(reader);
}

// How to run ember-server with `args` so that file permissions bind: as root they do not,
// so the server then runs under setpriv (util-linux) without the capabilities that
// override them. Returns the binary to start; `args` gains setpriv's arguments as needed.
std::string WithoutDacOverride(std::vector<std::string>* args) {
  if (::geteuid() != 0) return ServerProcess::EmberBinary();
  args->insert(args->begin(), {"--bounding-set=-dac_override,-dac_read_search", "--",
                               ServerProcess::EmberBinary()});
  return "/usr/bin/setpriv";
}

// Runs `args` as a server that cannot write to its data directory, expecting it to exit.
aof::ExitResult RunWithoutWriteAccess(const std::string& data_dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"--dir", data_dir});
  const std::string binary = WithoutDacOverride(&args);
  return aof::RunToExit(binary, "", args, /*is_server=*/true);
}

// The server on `data_dir`, which it may write to until the test takes that away.
ServerProcess StartWithoutDacOverride(const std::string& data_dir) {
  ServerProcess::SpawnOptions options;
  options.port = ServerProcess::FreePort();
  options.args = {"--dir",       data_dir, "--save", "", "--port", std::to_string(options.port),
                  "--http-port", "0"};
  options.binary = WithoutDacOverride(&options.args);
  ServerProcess server = ServerProcess::Spawn(options);
  EXPECT_TRUE(server.WaitUntilReady()) << server.ReadLog();
  return server;
}

// Redis answers CONFIG SET appendonly yes with an error when the AOF cannot be opened; the
// setting stays off and writes keep working.
TEST(DiskFaultTest, ConfigSetAppendonlyFailsWhenTheDirectoryIsReadOnly) {
  TempDir dir;
  const std::string data_dir = dir.file("data");
  std::filesystem::create_directory(data_dir);
  ServerProcess server = StartWithoutDacOverride(data_dir);
  RedisClient client(server.port());
  ::chmod(data_dir.c_str(), 0555);
  EXPECT_EQ(client.Command({"CONFIG", "SET", "appendonly", "yes"}),
            Error("ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to "
                  "turn on AOF. Check server logs."));
  EXPECT_EQ(client.Command({"CONFIG", "GET", "appendonly"}), BulkArray({"appendonly", "no"}));
  EXPECT_EQ(InfoField(Persistence(client), "aof_enabled"), "0");
  EXPECT_EQ(client.Command({"SET", "k", "v"}), Status("OK"));
  ::chmod(data_dir.c_str(), 0755);
  EXPECT_EQ(client.Command({"CONFIG", "SET", "appendonly", "yes"}), Status("OK"));
}

TEST(DiskFaultTest, UnwritableDirStopsStartupWhenPersistenceIsOn) {
  TempDir dir;
  const std::string data_dir = dir.file("readonly");
  std::filesystem::create_directory(data_dir);
  ::chmod(data_dir.c_str(), 0555);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{}, {"--save", "", "--appendonly", "yes"}}) {
    const aof::ExitResult result = RunWithoutWriteAccess(data_dir, args);
    EXPECT_EQ(result.status, 1) << result.log;
    EXPECT_NE(result.log.find("Can't create files in the data directory '" + data_dir +
                              "': Permission denied"),
              std::string::npos)
        << result.log;
  }
  ::chmod(data_dir.c_str(), 0755);
}

TEST(DiskFaultTest, UnwritableDirOnlyWarnsWithoutPersistence) {
  TempDir dir;
  const std::string data_dir = dir.file("readonly");
  std::filesystem::create_directory(data_dir);
  ::chmod(data_dir.c_str(), 0555);
  const aof::ExitResult result =
      RunWithoutWriteAccess(data_dir, {"--save", "", "--appendonly", "no"});
  EXPECT_EQ(result.status, -2) << "it should serve; log:\n" << result.log;
  EXPECT_NE(result.log.find("is not writable (Permission denied); persistence is off"),
            std::string::npos)
      << result.log;
  ::chmod(data_dir.c_str(), 0755);
}

}  // namespace
}  // namespace ember::test
