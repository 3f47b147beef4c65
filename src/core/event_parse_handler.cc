// EventParseHandler's callbacks: what each JSON token does to the
// envelope fields and to the payload/metadata being built.
#include "core/event_parse_handler.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <optional>
#include <utility>

#include "core/json_value_parser.h"

namespace stockpile::core::internal {

void EventParseHandler::Reset() {
  depth_ = 0;
  root_seen_ = false;
  root_object_ = false;
  building_ = false;
  has_unknown_ = false;
  cur_ = kFieldCount;
  key_.clear();
  part_.clear();
  number_.Clear();
  for (FieldValue& f : fields_) f = FieldValue();
  payload_ = boost::json::object();
  metadata_ = boost::json::object();
  stack_.reset();  // frees what a failed parse left
}

bool EventParseHandler::on_object_begin(boost::json::error_code& /*ec*/) {
  if (!Root(true)) return true;
  if (!building_ && depth_ == 1) {
    if (cur_ == kPayload || cur_ == kMetadata) {
      building_ = true;
      stack_.reset();  // default (heap) storage: the event keeps it
    } else {
      Set(boost::json::kind::object);
    }
  }
  ++depth_;
  return true;
}

bool EventParseHandler::on_object_end(size_t n,
                                      boost::json::error_code& /*ec*/) {
  if (!root_object_) return true;
  --depth_;
  if (building_) {
    stack_.push_object(n);
    if (depth_ == 1) {
      boost::json::value v = stack_.release();
      (cur_ == kPayload ? payload_ : metadata_) = std::move(v.get_object());
      Set(boost::json::kind::object);
      building_ = false;
    }
  }
  return true;
}

bool EventParseHandler::on_array_begin(boost::json::error_code& /*ec*/) {
  if (!Root(false)) return true;
  if (!building_ && depth_ == 1) Set(boost::json::kind::array);
  ++depth_;
  return true;
}

bool EventParseHandler::on_array_end(size_t n,
                                     boost::json::error_code& /*ec*/) {
  if (!root_object_) return true;
  --depth_;
  if (building_) stack_.push_array(n);
  return true;
}

bool EventParseHandler::on_key_part(std::string_view s, size_t,
                                    boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_chars(s);
  } else if (root_object_ && depth_ == 1) {
    key_.append(s);
  }
  return true;
}

bool EventParseHandler::on_key(std::string_view s, size_t,
                               boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_key(s);
  } else if (root_object_ && depth_ == 1) {
    std::string_view key = s;
    if (!key_.empty()) key = key_.append(s);
    cur_ = EnvelopeField(key);
    if (cur_ == kFieldCount && !has_unknown_) {
      has_unknown_ = true;
      first_unknown_.assign(key.substr(0, 64));
    }
    key_.clear();
  }
  return true;
}

bool EventParseHandler::on_string_part(std::string_view s, size_t,
                                       boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_chars(s);
  } else if (root_object_ && depth_ == 1) {
    part_.append(s);
  }
  return true;
}

bool EventParseHandler::on_string(std::string_view s, size_t,
                                  boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_string(s);
  } else if (Root(false) && depth_ == 1) {
    std::string& text = strings_[cur_];
    if (part_.empty()) {
      text.assign(s);
    } else {
      text.assign(part_).append(s);
      part_.clear();
    }
    Set(boost::json::kind::string).str = text;
  }
  return true;
}

// Scalars: pushed while building payload/metadata, recorded when they are
// a top-level field's value, ignored elsewhere (inside other containers).
bool EventParseHandler::on_int64(int64_t i, std::string_view,
                                 boost::json::error_code& /*ec*/) {
  number_.Clear();
  if (building_) {
    stack_.push_int64(i);
  } else if (FieldValue* f = TopLevel(boost::json::kind::int64)) {
    f->i = i;
  }
  return true;
}

bool EventParseHandler::on_uint64(uint64_t u, std::string_view,
                                  boost::json::error_code& /*ec*/) {
  number_.Clear();
  if (building_) {
    stack_.push_uint64(u);
  } else if (FieldValue* f = TopLevel(boost::json::kind::uint64)) {
    f->u = u;
  }
  return true;
}

bool EventParseHandler::on_double(double d, std::string_view s,
                                  boost::json::error_code& ec) {
  if (building_) {
    std::optional<double> exact = number_.Finish(s, d);
    if (!exact) {
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    stack_.push_double(*exact);
  } else {
    number_.Clear();
    TopLevel(boost::json::kind::double_);
  }
  return true;
}

bool EventParseHandler::on_bool(bool b, boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_bool(b);
  } else {
    TopLevel(boost::json::kind::bool_);
  }
  return true;
}

bool EventParseHandler::on_null(boost::json::error_code& /*ec*/) {
  if (building_) {
    stack_.push_null();
  } else {
    TopLevel(boost::json::kind::null);
  }
  return true;
}

FieldValue* EventParseHandler::TopLevel(boost::json::kind kind) {
  return Root(false) && depth_ == 1 ? &Set(kind) : nullptr;
}

bool EventParseHandler::Root(bool is_object) {
  if (!root_seen_) {
    root_seen_ = true;
    root_object_ = is_object;
  }
  return root_object_;
}

FieldValue& EventParseHandler::Set(boost::json::kind kind) {
  if (kind != boost::json::kind::object) {
    if (cur_ == kPayload) payload_ = boost::json::object();
    if (cur_ == kMetadata) metadata_ = boost::json::object();
  }
  FieldValue& f = fields_[cur_];
  f = FieldValue();
  f.present = true;
  f.kind = kind;
  return f;
}

EventParser::EventParser(const boost::json::parse_options& options)
    : parser_(options) {}

boost::json::error_code EventParser::Parse(std::string_view text) {
  return ParseWhole(parser_, text);
}

}  // namespace stockpile::core::internal
