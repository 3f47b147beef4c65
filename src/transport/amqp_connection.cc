#include "transport/amqp_connection.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/status_macros.h"

namespace stockpile::transport {
namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t Bytes(const std::string& s) {
  return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
}

std::string Text(amqp_bytes_t b) {
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

core::Status LibraryError(int code, std::string_view what) {
  return core::UnavailableError(std::string(what) + ": " +
                                amqp_error_string2(code));
}

// Turns the reply of a synchronous call into a Status.
core::Status ReplyStatus(const amqp_rpc_reply_t& reply, std::string_view what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return core::Status::Ok();
    case AMQP_RESPONSE_NONE:
      return core::UnavailableError(std::string(what) + ": no reply");
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return LibraryError(reply.library_error, what);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      break;
  }
  std::string detail = "closed by the broker";
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
    detail = "connection closed by the broker: " + Text(m->reply_text);
  } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
    detail = "channel closed by the broker: " + Text(m->reply_text);
  }
  return core::UnavailableError(std::string(what) + ": " + detail);
}

// An AMQP table with string values; the strings must outlive the table.
class StringTable {
 public:
  void Add(const char* key, const std::string& value) {
    amqp_table_entry_t e{};
    e.key = amqp_cstring_bytes(key);
    e.value.kind = AMQP_FIELD_KIND_UTF8;
    e.value.value.bytes = Bytes(value);
    entries_.push_back(e);
  }
  amqp_table_t table() {
    return amqp_table_t{static_cast<int>(entries_.size()), entries_.data()};
  }

 private:
  std::vector<amqp_table_entry_t> entries_;
};

// Set on a message a consumer sent back to a queue (see Republish).
constexpr char kRepublishedHeader[] = "republished";

bool HasHeader(const amqp_table_t& table, std::string_view key) {
  for (int i = 0; i < table.num_entries; ++i) {
    const amqp_bytes_t& k = table.entries[i].key;
    if (std::string_view(static_cast<const char*>(k.bytes), k.len) == key) {
      return true;
    }
  }
  return false;
}

// Publishes `body` (`count` envelopes) persistent and mandatory, with
// `props` completed by the content type, delivery mode and `headers`.
core::Status SendMessage(amqp_connection_state_t conn,
                         const std::string& exchange,
                         const std::string& routing_key, StringTable& headers,
                         amqp_basic_properties_t& props, size_t count,
                         const std::string& body) {
  props._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                  AMQP_BASIC_HEADERS_FLAG;
  props.content_type =
      count == 1
          ? amqp_cstring_bytes("application/json")
          : amqp_bytes_t{kEventLinesContentType.size(),
                         const_cast<char*>(kEventLinesContentType.data())};
  props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  props.headers = headers.table();
  int rc = amqp_basic_publish(conn, kChannel, Bytes(exchange),
                              Bytes(routing_key), /*mandatory=*/1,
                              /*immediate=*/0, &props, Bytes(body));
  if (rc != AMQP_STATUS_OK) return LibraryError(rc, "basic.publish");
  return core::Status::Ok();
}

}  // namespace

core::Result<AmqpEndpoint> ParseAmqpUrl(std::string_view url) {
  std::string copy(url);  // amqp_parse_url writes into its input
  amqp_connection_info info{};
  amqp_default_connection_info(&info);
  if (amqp_parse_url(copy.data(), &info) != AMQP_STATUS_OK) {
    return core::InvalidArgumentError(
        "bad AMQP URL '" + std::string(url) +
        "': expected amqp://user:pass@host:port/vhost");
  }
  if (info.ssl) {
    return core::InvalidArgumentError("amqps:// is not supported");
  }
  AmqpEndpoint e;
  e.host = info.host;
  e.port = info.port;
  e.user = info.user;
  e.password = info.password;
  e.vhost = (info.vhost == nullptr || *info.vhost == '\0') ? "/" : info.vhost;
  return e;
}

struct AmqpConnection::Impl {
  amqp_connection_state_t conn = nullptr;
  bool open = false;  // logged in and channel open
};

AmqpConnection::AmqpConnection(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

AmqpConnection::~AmqpConnection() {
  if (impl_->open) {
    amqp_channel_close(impl_->conn, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(impl_->conn, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(impl_->conn);
}

core::Result<std::unique_ptr<AmqpConnection>> AmqpConnection::Open(
    const AmqpEndpoint& endpoint, const AmqpSettings& settings,
    const std::string& name) {
  auto impl = std::make_unique<Impl>();
  impl->conn = amqp_new_connection();
  if (impl->conn == nullptr) return core::InternalError("out of memory");
  // From here on the destructor frees the connection.
  std::unique_ptr<AmqpConnection> c(new AmqpConnection(std::move(impl)));
  amqp_connection_state_t conn = c->impl_->conn;
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  if (socket == nullptr)
    return core::InternalError("amqp_tcp_socket_new failed");
  std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  timeval connect_tv = ToTimeval(settings.connect_timeout);
  int rc = amqp_socket_open_noblock(socket, endpoint.host.c_str(),
                                    endpoint.port, &connect_tv);
  if (rc != AMQP_STATUS_OK) return LibraryError(rc, "connect to " + where);
  timeval rpc_tv = ToTimeval(settings.rpc_timeout);
  amqp_set_handshake_timeout(conn, &connect_tv);
  amqp_set_rpc_timeout(conn, &rpc_tv);
  StringTable properties;
  properties.Add("connection_name", name);
  amqp_table_t table = properties.table();
  RETURN_IF_ERROR(ReplyStatus(
      amqp_login_with_properties(
          conn, endpoint.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE,
          settings.heartbeat_seconds, &table, AMQP_SASL_METHOD_PLAIN,
          endpoint.user.c_str(), endpoint.password.c_str()),
      "login to " + where));
  amqp_channel_open(conn, kChannel);
  RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "channel.open"));
  c->impl_->open = true;
  return c;
}

core::Status AmqpConnection::Declare(const AmqpNames& names,
                                     const Topology& topology) {
  amqp_connection_state_t conn = impl_->conn;
  const std::string events = names.events_exchange();
  const std::string dlx = names.dead_letter_exchange();
  amqp_exchange_declare(conn, kChannel, Bytes(events),
                        amqp_cstring_bytes("topic"),
                        /*passive=*/0, /*durable=*/1, /*auto_delete=*/0,
                        /*internal=*/0, amqp_empty_table);
  RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "declare " + events));
  amqp_exchange_declare(conn, kChannel, Bytes(dlx),
                        amqp_cstring_bytes("direct"), 0, 1, 0, 0,
                        amqp_empty_table);
  RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "declare " + dlx));
  for (const QueueSpec& q : topology.queues) {
    const std::string queue = names.Queue(q.name);
    const std::string dlq = names.Queue(DeadLetterQueue(q.name));
    StringTable args;
    args.Add("x-dead-letter-exchange", dlx);
    args.Add("x-dead-letter-routing-key", q.name);
    amqp_queue_declare(conn, kChannel, Bytes(queue), /*passive=*/0,
                       /*durable=*/1, /*exclusive=*/0, /*auto_delete=*/0,
                       args.table());
    RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "declare " + queue));
    amqp_queue_declare(conn, kChannel, Bytes(dlq), 0, 1, 0, 0,
                       amqp_empty_table);
    RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "declare " + dlq));
    amqp_queue_bind(conn, kChannel, Bytes(dlq), Bytes(dlx), Bytes(q.name),
                    amqp_empty_table);
    RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), "bind " + dlq));
    for (const std::string& pattern : q.bindings) {
      amqp_queue_bind(conn, kChannel, Bytes(queue), Bytes(events),
                      Bytes(pattern), amqp_empty_table);
      std::string what = "bind ";
      what.append(queue).append(" to ").append(pattern);
      RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(conn), what));
    }
  }
  return core::Status::Ok();
}

core::Status AmqpConnection::EnableConfirms() {
  amqp_confirm_select(impl_->conn, kChannel);
  return ReplyStatus(amqp_get_rpc_reply(impl_->conn), "confirm.select");
}

core::Status AmqpConnection::Publish(const AmqpNames& names,
                                     std::span<const core::EventPtr> events,
                                     const std::string& body) {
  const core::Event& first = *events.front();
  const std::string correlation(first.correlation_id());
  const std::string count = std::to_string(events.size());
  StringTable headers;
  headers.Add("eventType", first.event_type);
  headers.Add("tenantId", first.tenant_id);
  if (events.size() == 1) {
    headers.Add("correlationId", correlation);
  } else {
    headers.Add("eventCount", count);
  }
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
  props.message_id = Bytes(first.event_id);
  props.type = Bytes(first.event_type);
  return SendMessage(impl_->conn, names.events_exchange(), first.event_type,
                     headers, props, events.size(), body);
}

core::Status AmqpConnection::Republish(const std::string& queue,
                                       const std::string& body, size_t count) {
  const std::string yes = "true";
  const std::string count_text = std::to_string(count);
  StringTable headers;
  headers.Add(kRepublishedHeader, yes);
  if (count > 1) headers.Add("eventCount", count_text);
  amqp_basic_properties_t props{};
  return SendMessage(impl_->conn, /*exchange=*/"", queue, headers, props, count,
                     body);
}

core::Status AmqpConnection::Consume(const std::string& queue,
                                     uint32_t prefetch) {
  amqp_basic_qos(impl_->conn, kChannel, 0,
                 static_cast<uint16_t>(std::min<uint32_t>(prefetch, 65535)), 0);
  RETURN_IF_ERROR(ReplyStatus(amqp_get_rpc_reply(impl_->conn), "basic.qos"));
  amqp_basic_consume(impl_->conn, kChannel, Bytes(queue), amqp_empty_bytes,
                     /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/0,
                     amqp_empty_table);
  return ReplyStatus(amqp_get_rpc_reply(impl_->conn), "consume " + queue);
}

core::Status AmqpConnection::Ack(uint64_t tag) {
  int rc = amqp_basic_ack(impl_->conn, kChannel, tag, /*multiple=*/0);
  if (rc != AMQP_STATUS_OK) return LibraryError(rc, "basic.ack");
  return core::Status::Ok();
}

core::Status AmqpConnection::Reject(uint64_t tag, bool requeue) {
  int rc = amqp_basic_reject(impl_->conn, kChannel, tag, requeue ? 1 : 0);
  if (rc != AMQP_STATUS_OK) return LibraryError(rc, "basic.reject");
  return core::Status::Ok();
}

core::Result<AmqpIncoming> AmqpConnection::Next(
    std::chrono::milliseconds timeout) {
  amqp_connection_state_t conn = impl_->conn;
  amqp_maybe_release_buffers(conn);
  amqp_frame_t frame{};
  timeval tv = ToTimeval(timeout);
  int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
  if (rc == AMQP_STATUS_TIMEOUT) return AmqpIncoming{};
  if (rc != AMQP_STATUS_OK) {
    impl_->open = false;
    return LibraryError(rc, "connection lost");
  }
  if (frame.frame_type != AMQP_FRAME_METHOD) return AmqpIncoming{};
  AmqpIncoming in;
  switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      auto* m = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
      in.kind = AmqpIncoming::Kind::kAck;
      in.tag = m->delivery_tag;
      in.multiple = m->multiple != 0;
      return in;
    }
    case AMQP_BASIC_NACK_METHOD: {
      auto* m = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
      in.kind = AmqpIncoming::Kind::kNack;
      in.tag = m->delivery_tag;
      in.multiple = m->multiple != 0;
      return in;
    }
    case AMQP_BASIC_RETURN_METHOD:
    case AMQP_BASIC_DELIVER_METHOD: {
      bool deliver = frame.payload.method.id == AMQP_BASIC_DELIVER_METHOD;
      if (deliver) {
        auto* m =
            static_cast<amqp_basic_deliver_t*>(frame.payload.method.decoded);
        in.tag = m->delivery_tag;
        in.redelivered = m->redelivered != 0;
        in.routing_key = Text(m->routing_key);
      } else {
        auto* m =
            static_cast<amqp_basic_return_t*>(frame.payload.method.decoded);
        in.routing_key = Text(m->routing_key);
        in.reply_text = Text(m->reply_text);
      }
      amqp_message_t message{};
      amqp_rpc_reply_t reply =
          amqp_read_message(conn, frame.channel, &message, 0);
      if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        impl_->open = false;
        return ReplyStatus(reply, "read message");
      }
      in.kind = deliver ? AmqpIncoming::Kind::kDelivery
                        : AmqpIncoming::Kind::kReturned;
      in.body = Text(message.body);
      const amqp_basic_properties_t& props = message.properties;
      in.event_lines = (props._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) != 0 &&
                       Text(props.content_type) == kEventLinesContentType;
      if (deliver && (props._flags & AMQP_BASIC_HEADERS_FLAG) != 0) {
        in.redelivered |= HasHeader(props.headers, kRepublishedHeader);
      }
      amqp_destroy_message(&message);
      return in;
    }
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD: {
      impl_->open = false;
      amqp_rpc_reply_t reply{};
      reply.reply_type = AMQP_RESPONSE_SERVER_EXCEPTION;
      reply.reply = frame.payload.method;
      return ReplyStatus(reply, "broker");
    }
    default:
      return in;
  }
}

}  // namespace stockpile::transport
