// EventRef: what a bus handler receives — a borrowed view of the published
// event, valid for the duration of the handler call.
//
//   bus.Subscribe("order.*", [&](const bus::EventRef& e) {
//     seen.push_back(e->event_type);          // borrow: no refcount traffic
//     if (needs_later) keep_.push_back(e.Share());  // shared ownership
//     return core::Status::Ok();
//   });
//
// Why not hand out core::EventPtr directly: Publish(const core::Event&) can
// then dispatch an event that lives on the publisher's stack with no
// allocation and no atomic refcount per handler; a handler that keeps the
// event calls Share(), which is free when the event was published as an
// EventPtr and copies the event once when it was published by reference.
//
// Thread-safety: an EventRef is a pair of pointers owned by the bus for the
// duration of one handler call; do not keep it beyond the call.
#ifndef STOCKPILE_BUS_EVENT_REF_H_
#define STOCKPILE_BUS_EVENT_REF_H_

#include <memory>

#include "core/event.h"

namespace stockpile::bus {

class EventRef {
 public:
  // Views an event that `owner` keeps alive; Share() returns `owner`.
  explicit EventRef(const core::EventPtr& owner)
      : event_(owner.get()), owner_(&owner) {}
  // Views an event owned by someone else for the duration of the call;
  // Share() copies it.
  explicit EventRef(const core::Event& borrowed) : event_(&borrowed) {}

  EventRef(const EventRef&) = delete;
  EventRef& operator=(const EventRef&) = delete;

  const core::Event& operator*() const { return *event_; }
  const core::Event* operator->() const { return event_; }
  const core::Event& event() const { return *event_; }

  // A shared owner of the event, for keeping it beyond the handler call.
  core::EventPtr Share() const {
    return owner_ != nullptr ? *owner_
                             : std::make_shared<const core::Event>(*event_);
  }

 private:
  const core::Event* event_;               // never null
  const core::EventPtr* owner_ = nullptr;  // null when borrowed
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_EVENT_REF_H_
