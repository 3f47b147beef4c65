// InboxStore: the (subscription, eventId) pairs a subscription has handled.
// The record is written in the same transaction as the handler's effect, so
// a redelivered event is recognised and its effect is never applied twice.
//
//   ASSIGN_OR_RETURN(bool seen, inbox.Contains("billing", event.event_id));
//   if (!seen) { ...handle...; inbox.Add(tx, "billing", event.event_id); }
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_INBOX_STORE_H_
#define STOCKPILE_RUNTIME_INBOX_STORE_H_

#include <string_view>

#include "core/result.h"
#include "runtime/transaction.h"

namespace stockpile::runtime {

class InboxStore {
 public:
  virtual ~InboxStore() = default;

  // True when (subscription, event_id) is recorded (committed state).
  virtual core::Result<bool> Contains(std::string_view subscription,
                                      std::string_view event_id) = 0;

  // The same, as seen inside `tx` (what this transaction wrote included).
  virtual core::Result<bool> Contains(Transaction& tx,
                                      std::string_view subscription,
                                      std::string_view event_id) = 0;

  // Records the pair as part of `tx`. AlreadyExists when it is recorded.
  virtual core::Status Add(Transaction& tx, std::string_view subscription,
                           std::string_view event_id) = 0;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_INBOX_STORE_H_
