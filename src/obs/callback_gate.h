// CallbackGate and CallbackRegistration: how a component hands a registry a
// callback it may later withdraw (a callback gauge, a health check).
//
//   ASSIGN_OR_RETURN(lag_registration_,
//                    lag_family->AddCallback({name}, [this] { return Lag();
//                    }));
//   ...
//   // ~CallbackRegistration: after it returns the callback is not running
//   // and never runs again, so `this` may be destroyed.
//
// The registry keeps the gate and the callback; the component keeps the
// CallbackRegistration. Registries run callbacks through RunIfOpen without
// holding their own locks, so a callback may take the component's locks.
//
// Thread-safety: CallbackGate is safe for concurrent use. Closing a gate from
// inside its own callback would wait forever, so it aborts with a CHECK.
// A CallbackRegistration is a value owned by one thread at a time.
#ifndef STOCKPILE_OBS_CALLBACK_GATE_H_
#define STOCKPILE_OBS_CALLBACK_GATE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stockpile::obs {

class CallbackGate {
 public:
  CallbackGate() = default;
  CallbackGate(const CallbackGate&) = delete;
  CallbackGate& operator=(const CallbackGate&) = delete;

  // Runs f() unless the gate is closed; returns whether it ran. An exception
  // from f propagates (the gate is left consistent).
  template <typename F>
  bool RunIfOpen(F&& f) {
    if (!Enter()) return false;
    struct Exiter {
      CallbackGate* gate;
      ~Exiter() { gate->Exit(); }
    } exiter{this};
    f();
    return true;
  }

  // Closes the gate and waits until no call started by RunIfOpen is running.
  // Idempotent.
  void Close();
  bool closed() const;

 private:
  bool Enter();
  void Exit();

  mutable std::mutex mu_;
  std::condition_variable idle_;
  bool closed_ = false;                   // guarded by mu_
  std::vector<std::thread::id> running_;  // guarded by mu_; inside RunIfOpen
};

// Move-only handle that closes its gate when destroyed or Release()d.
// A default-constructed registration holds nothing.
class [[nodiscard]] CallbackRegistration {
 public:
  CallbackRegistration() = default;
  explicit CallbackRegistration(std::shared_ptr<CallbackGate> gate)
      : gate_(std::move(gate)) {}
  CallbackRegistration(CallbackRegistration&&) noexcept = default;
  CallbackRegistration& operator=(CallbackRegistration&& other) noexcept;
  ~CallbackRegistration() { Release(); }

  // Withdraws the callback now; it is not running when this returns.
  void Release();
  bool active() const { return gate_ != nullptr; }

 private:
  std::shared_ptr<CallbackGate> gate_;
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_CALLBACK_GATE_H_
