#include "server/replication/replica_link.h"

namespace ember::server {

std::string ReplicaLink::Ip() const {
  if (!announced_ip.empty()) return announced_ip;
  const std::string& address = client->address;
  const size_t colon = address.rfind(':');
  std::string ip = colon == std::string::npos ? address : address.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  return ip;
}

std::string ReplicaLink::Name() const { return Ip() + ":" + std::to_string(listening_port); }

const char* SyncStateName(ReplicaSyncState state) {
  switch (state) {
    case ReplicaSyncState::kHandshake:
    case ReplicaSyncState::kWaitSnapshotStart:
    case ReplicaSyncState::kReceivingSnapshot:
      return "wait_bgsave";
    case ReplicaSyncState::kSendingFile:
      return "send_bulk";
    case ReplicaSyncState::kWaitFirstAck:
    case ReplicaSyncState::kOnline:
      return "online";
  }
  return "online";
}

}  // namespace ember::server
