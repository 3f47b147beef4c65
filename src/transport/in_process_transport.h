// InProcessTransport: the Transport of the embedded mode and of tests —
// in-memory queues inside one process, with the semantics of transport.h
// (topic routing, ack/nack, dead-letter queues, redelivery of what a closed
// subscription left unacked, per-producer order).
//
//   auto transport = MakeInProcessTransport();
//   RETURN_IF_ERROR(transport->DeclareTopology({.queues = {{"orders",
//   {"#"}}}}));
//
// Nothing is durable: "confirmed" means enqueued in memory. Close() (or
// destruction) wakes every Poll, which then fails with Unavailable.
//
// Ownership: subscriptions must be destroyed before the transport.
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_TRANSPORT_IN_PROCESS_TRANSPORT_H_
#define STOCKPILE_TRANSPORT_IN_PROCESS_TRANSPORT_H_

#include <memory>

#include "transport/transport.h"

namespace stockpile::transport {

class InProcessTransport : public Transport {
 public:
  // Stops the transport: Publish and Consume fail, Polls return
  // Unavailable. Idempotent.
  virtual void Close() = 0;
};

std::unique_ptr<InProcessTransport> MakeInProcessTransport();

}  // namespace stockpile::transport

#endif  // STOCKPILE_TRANSPORT_IN_PROCESS_TRANSPORT_H_
