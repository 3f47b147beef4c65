// DeadLetterStore: the failure records of every subscription — events
// waiting for a retry and events parked after their last attempt — and the
// operator's handles on the parked ones (list, inspect, redrive, discard).
//
//   ASSIGN_OR_RETURN(auto parked, dlq.List("billing"));
//   RETURN_IF_ERROR(dlq.RequestRedrive(parked[0].id));   // one more delivery
//   ASSIGN_OR_RETURN(int n, dlq.RequestRedriveAll("billing"));
//
// Redrive marks a parked record kRedriveRequested; the subscription's
// Consumer picks it up (at once when it is running in this process, else on
// its next scan or start), delivers the event once, and removes the record
// when the handler succeeds (in the same transaction as the effect) or parks
// it again with the new error. A second request for a record that is
// already requested is a no-op, so one redrive delivers the event once.
//
// Writes by the runtime (Put, Remove) go through a Transaction so they
// commit with the inbox record and the checkpoint; operator calls are their
// own transactions.
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_DEAD_LETTER_STORE_H_
#define STOCKPILE_RUNTIME_DEAD_LETTER_STORE_H_

#include <string_view>
#include <vector>

#include "core/result.h"
#include "runtime/dead_letter.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

class DeadLetterStore {
 public:
  virtual ~DeadLetterStore() = default;

  // Inserts or replaces the record with `record.id`, as part of `tx`.
  virtual core::Status Put(Transaction& tx, const DeadLetter& record) = 0;
  // Removes the record as part of `tx`. Not an error if it is absent.
  virtual core::Status Remove(Transaction& tx, std::string_view id) = 0;

  // NotFound when there is no record with `id`.
  virtual core::Result<DeadLetter> Get(std::string_view id) = 0;

  // The parked and redrive-requested records of `subscription` (the
  // dead-letter queue), oldest failure first.
  virtual core::Result<std::vector<DeadLetter>> List(
      std::string_view subscription) = 0;
  // Every record of `subscription`, retrying ones included (the Consumer
  // loads them on start).
  virtual core::Result<std::vector<DeadLetter>> ListAll(
      std::string_view subscription) = 0;

  // Parked -> redrive requested. OK (and nothing changes) when already
  // requested; NotFound for no record; FailedPrecondition for a record that
  // is still being retried.
  virtual core::Status RequestRedrive(std::string_view id) = 0;
  // Every parked record of `subscription`; returns how many were requested.
  virtual core::Result<int> RequestRedriveAll(
      std::string_view subscription) = 0;

  // Deletes a parked record without delivering it again. NotFound for no
  // record; FailedPrecondition unless it is parked.
  virtual core::Status Discard(std::string_view id) = 0;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_DEAD_LETTER_STORE_H_
