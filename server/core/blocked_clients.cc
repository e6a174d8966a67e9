#include "server/core/blocked_clients.h"

#include <algorithm>
#include <utility>

namespace ember::server {

BlockedClients::BlockedClients(storage::Keyspace& keyspace)
    : keyspace_(keyspace),
      waiters_by_db_(static_cast<size_t>(keyspace.database_count())),
      ready_by_db_(static_cast<size_t>(keyspace.database_count())) {}

void BlockedClients::Block(ClientState& client, BlockRequest request) {
  Waiting waiting;
  waiting.db = client.db_index;
  KeyWaiters& waiters = waiters_by_db_[static_cast<size_t>(waiting.db)];
  std::vector<std::string> keys;
  for (std::string& key : request.keys) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    WaiterList& list = waiters.try_emplace(key).first->second;
    waiting.places.push_back(list.insert(list.end(), &client));
    keys.push_back(std::move(key));
  }
  request.keys = std::move(keys);
  if (request.deadline_ms > 0) ++with_deadline_;
  waiting.request = std::move(request);
  waiting_.emplace(&client, std::move(waiting));
  client.blocked_on_keys = true;
  UpdateTracking();
}

bool BlockedClients::Unblock(ClientState& client) {
  auto found = waiting_.find(&client);
  if (found == waiting_.end()) return false;
  Waiting& waiting = found->second;
  KeyWaiters& waiters = waiters_by_db_[static_cast<size_t>(waiting.db)];
  for (size_t i = 0; i < waiting.places.size(); ++i) {
    auto list = waiters.find(waiting.request.keys[i]);
    list->second.erase(waiting.places[i]);
    if (list->second.empty()) waiters.erase(list);
  }
  if (waiting.request.deadline_ms > 0) --with_deadline_;
  waiting_.erase(found);
  client.blocked_on_keys = false;
  UpdateTracking();
  return true;
}

bool BlockedClients::TimeOut(ClientState& client, WakeQueue& wakeups) {
  const BlockRequest* request = RequestOf(client);
  if (request == nullptr) return false;
  std::function<void(protocol::ReplyWriter&)> reply = request->timeout_reply;
  Unblock(client);
  if (reply) {
    wakeups.Post(client, reply);
  } else {
    wakeups.Post(client, [](protocol::ReplyWriter& writer) { writer.NullArray(); });
  }
  return true;
}

bool BlockedClients::TimeOutIfDue(ClientState& client, int64_t now_ms, WakeQueue& wakeups) {
  const BlockRequest* request = RequestOf(client);
  if (request == nullptr || request->deadline_ms == 0 || request->deadline_ms > now_ms) {
    return false;
  }
  return TimeOut(client, wakeups);
}

bool BlockedClients::FailWith(ClientState& client, std::string_view error, WakeQueue& wakeups) {
  if (!Unblock(client)) return false;
  wakeups.Post(client, [error](protocol::ReplyWriter& writer) { writer.Error(error); });
  return true;
}

const BlockRequest* BlockedClients::RequestOf(const ClientState& client) const {
  if (!client.blocked_on_keys) return nullptr;
  auto found = waiting_.find(&client);
  return found == waiting_.end() ? nullptr : &found->second.request;
}

void BlockedClients::KeyModified(int db, std::string_view key) {
  const KeyWaiters& waiters = waiters_by_db_[static_cast<size_t>(db)];
  if (waiters.find(key) != waiters.end()) MarkReady(db, key);
}

void BlockedClients::DatabaseReplaced(int db, int replacement) {
  if (replacement < 0) return;
  for (int side : {db, replacement}) {
    for (const auto& [key, list] : waiters_by_db_[static_cast<size_t>(side)]) {
      MarkReady(side, key);
    }
  }
}

void BlockedClients::MarkReady(int db, std::string_view key) {
  KeySet& ready = ready_by_db_[static_cast<size_t>(db)];
  if (ready.find(key) != ready.end()) return;
  ready.emplace(key);
  ready_.push_back({db, std::string(key)});
}

std::optional<BlockedClients::ReadyKey> BlockedClients::TakeReady() {
  if (ready_.empty()) return std::nullopt;
  ReadyKey next = std::move(ready_.front());
  ready_.pop_front();
  KeySet& ready = ready_by_db_[static_cast<size_t>(next.db)];
  ready.erase(ready.find(std::string_view(next.key)));
  return next;
}

std::vector<ClientState*> BlockedClients::WaitersOn(int db, std::string_view key) const {
  const KeyWaiters& waiters = waiters_by_db_[static_cast<size_t>(db)];
  auto found = waiters.find(key);
  if (found == waiters.end()) return {};
  return {found->second.begin(), found->second.end()};
}

void BlockedClients::UpdateTracking() {
  keyspace_.set_track_modifications(kTrackingUser, !waiting_.empty());
}

}  // namespace ember::server
