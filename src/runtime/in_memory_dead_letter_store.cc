#include "runtime/in_memory_dead_letter_store.h"

#include <algorithm>
#include <optional>

#include "core/status_macros.h"
#include "runtime/in_memory_transaction.h"

namespace stockpile::runtime {
namespace {

core::Status NoRecord(std::string_view id) {
  return core::NotFoundError("no dead letter '" + std::string(id) + "'");
}

}  // namespace

void InMemoryDeadLetterStore::Restore(const std::string& id,
                                      const std::optional<DeadLetter>& before) {
  std::lock_guard<std::mutex> lock(mu_);
  if (before.has_value()) {
    records_[id] = *before;
  } else {
    records_.erase(id);
  }
}

core::Status InMemoryDeadLetterStore::Put(Transaction& tx,
                                          const DeadLetter& record) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::optional<DeadLetter> before;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(record.id);
    if (it != records_.end()) before = it->second;
    records_[record.id] = record;
  }
  memory.OnRollback([this, id = record.id, before] { Restore(id, before); });
  return core::Status::Ok();
}

core::Status InMemoryDeadLetterStore::Remove(Transaction& tx,
                                             std::string_view id) {
  InMemoryTransaction& memory = InMemoryTransaction::From(tx);
  std::optional<DeadLetter> before;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(id);
    if (it == records_.end()) return core::Status::Ok();
    before = it->second;
    records_.erase(it);
  }
  memory.OnRollback(
      [this, id = std::string(id), before] { Restore(id, before); });
  return core::Status::Ok();
}

core::Result<DeadLetter> InMemoryDeadLetterStore::Get(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(id);
  if (it == records_.end()) return NoRecord(id);
  return it->second;
}

std::vector<DeadLetter> InMemoryDeadLetterStore::Select(
    std::string_view subscription, bool include_retrying) {
  std::vector<DeadLetter> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, record] : records_) {
      if (record.subscription != subscription) continue;
      if (!include_retrying && record.state == DeadLetterState::kRetrying) {
        continue;
      }
      out.push_back(record);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const DeadLetter& a, const DeadLetter& b) {
                     return a.first_failed_at_ms < b.first_failed_at_ms;
                   });
  return out;
}

core::Result<std::vector<DeadLetter>> InMemoryDeadLetterStore::List(
    std::string_view subscription) {
  return Select(subscription, /*include_retrying=*/false);
}

core::Result<std::vector<DeadLetter>> InMemoryDeadLetterStore::ListAll(
    std::string_view subscription) {
  return Select(subscription, /*include_retrying=*/true);
}

core::Status InMemoryDeadLetterStore::RequestRedrive(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(id);
  if (it == records_.end()) return NoRecord(id);
  DeadLetter& record = it->second;
  RETURN_IF_ERROR(CheckRedrivable(record));
  record.state = DeadLetterState::kRedriveRequested;
  return core::Status::Ok();
}

core::Result<int> InMemoryDeadLetterStore::RequestRedriveAll(
    std::string_view subscription) {
  std::lock_guard<std::mutex> lock(mu_);
  int requested = 0;
  for (auto& [id, record] : records_) {
    if (record.subscription == subscription &&
        record.state == DeadLetterState::kParked) {
      record.state = DeadLetterState::kRedriveRequested;
      ++requested;
    }
  }
  return requested;
}

core::Status InMemoryDeadLetterStore::Discard(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(id);
  if (it == records_.end()) return NoRecord(id);
  RETURN_IF_ERROR(CheckDiscardable(it->second));
  records_.erase(it);
  return core::Status::Ok();
}

}  // namespace stockpile::runtime
