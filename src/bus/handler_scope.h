// HandlerScope: marks the current thread as running bus handlers (inside a
// synchronous Publish, or an async worker thread) for as long as it lives.
//
// The bus asks InsideHandler() before it blocks: a thread that is itself
// delivering events must not wait for in-flight deliveries to finish (it
// could be waiting for itself, or for a thread waiting for it), so
// Unsubscribe from inside a handler returns without waiting.
//
// This is per-thread context, not shared state: a thread_local counter
// (constant-initialized, so reading it is a single instruction).
//
// Thread-safety: each thread sees only its own scope.
#ifndef STOCKPILE_BUS_HANDLER_SCOPE_H_
#define STOCKPILE_BUS_HANDLER_SCOPE_H_

namespace stockpile::bus::internal {

extern constinit thread_local int t_handler_depth;

class HandlerScope {
 public:
  HandlerScope() { ++t_handler_depth; }
  ~HandlerScope() { --t_handler_depth; }
  HandlerScope(const HandlerScope&) = delete;
  HandlerScope& operator=(const HandlerScope&) = delete;
};

inline bool InsideHandler() { return t_handler_depth > 0; }

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_HANDLER_SCOPE_H_
