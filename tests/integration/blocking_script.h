// BlockingScript: a scenario with several connections to one server, for rules that one
// client cannot show (blocking pops, wakes, unblocking). Each step is recorded in a
// transcript — what a connection sent, the exact bytes of each reply it received, and
// "nothing" where a reply must not have arrived — so the same scenario run against
// ember-server and the reference redis-server is compared as two transcripts.
//
// Connections are numbered from 1 and opened on first use (with HELLO 3 first when the
// script speaks RESP3; that exchange is not recorded). Not thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/resp3_client.h"

namespace ember::test {

class BlockingScript {
 public:
  using Argv = std::vector<std::string>;

  BlockingScript(int port, int resp) : port_(port), resp_(resp) {}

  // Sends a command on connection `c` without reading its reply.
  BlockingScript& Send(int c, const Argv& args);
  // Records the next reply on `c` (waiting up to 5 s for it).
  BlockingScript& Receive(int c);
  // Receive, with the ids IdOf named shown by their aliases where the reply holds them as
  // integers (CLIENT GETREDIR, TRACKINGINFO's redirect): only where such a reply is expected,
  // since any integer equal to an id would be aliased too.
  BlockingScript& ReceiveAliased(int c);
  // Receive for a MONITOR line ("+<secs>.<micros> [<db> <addr>] ..."): the timestamp is
  // recorded as "<time>" once its shape is checked, and each peer address as "<addr N>" by
  // order of first appearance ("lua" stays), so two servers' lines compare.
  BlockingScript& ReceiveMonitorLine(int c);
  // Records that no reply arrives on `c` within 150 ms (it is still blocked).
  BlockingScript& Nothing(int c);
  // Records every reply that arrives on `c` until none comes for 50 ms (at most 10,000):
  // a stream whose length is the point of the comparison (keyspace notifications). Call it
  // after the reply of the command that produced the stream: both servers write a command's
  // messages for other clients before they read the next command, so 50 ms of quiet means
  // the stream has ended.
  BlockingScript& Drain(int c);
  // Send, then Nothing: a command that must block (and be seen blocked before the script
  // goes on, so the order in which clients block is the order of the script).
  BlockingScript& Block(int c, const Argv& args) { return Send(c, args).Nothing(c); }
  // Send, then Receive.
  BlockingScript& Call(int c, const Argv& args) { return Send(c, args).Receive(c); }
  // Runs a command whose reply differs between servers by nature (CLIENT ID) and returns
  // it unrecorded.
  std::string Unrecorded(int c, const Argv& args);
  // CLIENT ID of connection `c`, unrecorded; where it is sent later it is recorded as
  // "<id of c>", so transcripts of two servers compare.
  std::string IdOf(int c);
  // Closes connection `c` (a client that disappears); recorded.
  BlockingScript& Close(int c);
  BlockingScript& Sleep(int ms);

  const std::vector<std::string>& transcript() const { return transcript_; }
  int resp() const { return resp_; }

 private:
  Resp3Client& Connection(int c);

  int port_;
  int resp_;
  std::map<int, std::unique_ptr<Resp3Client>> connections_;
  std::vector<std::string> transcript_;
  std::map<std::string, std::string> aliases_;            // argument → how it is recorded
  std::map<std::string, std::string> monitor_addresses_;  // peer address → "<addr N>"
};

}  // namespace ember::test
