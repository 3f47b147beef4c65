#include "obs/callback_gate.h"

#include <algorithm>

#include "core/check.h"

namespace stockpile::obs {

bool CallbackGate::Enter() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  running_.push_back(std::this_thread::get_id());
  return true;
}

void CallbackGate::Exit() {
  std::lock_guard<std::mutex> lock(mu_);
  auto it =
      std::find(running_.begin(), running_.end(), std::this_thread::get_id());
  CHECK(it != running_.end()) << "CallbackGate::Exit without Enter";
  running_.erase(it);
  if (running_.empty()) idle_.notify_all();
}

void CallbackGate::Close() {
  std::unique_lock<std::mutex> lock(mu_);
  closed_ = true;
  CHECK(std::find(running_.begin(), running_.end(),
                  std::this_thread::get_id()) == running_.end())
      << "a callback withdrew its own registration; that would never return";
  idle_.wait(lock, [this] { return running_.empty(); });
}

bool CallbackGate::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

CallbackRegistration& CallbackRegistration::operator=(
    CallbackRegistration&& other) noexcept {
  if (this != &other) {
    Release();
    gate_ = std::move(other.gate_);
  }
  return *this;
}

void CallbackRegistration::Release() {
  if (gate_ == nullptr) return;
  gate_->Close();
  gate_.reset();
}

}  // namespace stockpile::obs
