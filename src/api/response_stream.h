// ResponseStream: the open body of a streamed HTTP response (Server-Sent
// Events, long exports). A handler returns Response::Stream(...); once the
// status line and headers are on the wire the server calls the handler's
// StreamStarter with a ResponseStream, which the handler (or anything it
// hands the stream to, such as a bus subscription) writes to for as long as
// it likes:
//
//   return Response::Stream(200, "text/event-stream",
//       [](std::shared_ptr<ResponseStream> out) {
//         out->Write("data: {\"n\":1}\n\n");
//         out->Close();     // ends the body; the connection may be reused
//       });
//
// Writes are queued and sent in order; Write never blocks. The stream closes
// when the writer calls Close(), the client disconnects, the client reads
// too slowly (more than the server's stream buffer limit is queued), or the
// server stops. After that every Write returns false.
//
// Thread-safety: every member may be called from any thread. The object may
// outlive the connection and the server; it then just reports closed().
#ifndef STOCKPILE_API_RESPONSE_STREAM_H_
#define STOCKPILE_API_RESPONSE_STREAM_H_

#include <functional>
#include <memory>
#include <string>

namespace stockpile::api {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;

  // Queues `data` as the next bytes of the body. Returns false, dropping the
  // data, when the stream is closed (or closes because of this write: the
  // client is not reading fast enough).
  virtual bool Write(std::string data) = 0;

  // Ends the body once everything queued has been sent. Idempotent.
  virtual void Close() = 0;

  // True once the stream no longer accepts writes.
  virtual bool closed() const = 0;

  // Runs `callback` once when the stream closes for any reason, or at once
  // on the calling thread if it already has. Callbacks run without any
  // server lock held, usually on a server I/O thread; they must not block.
  virtual void OnClosed(std::function<void()> callback) = 0;
};

// Called once with the open stream after the response headers were sent.
using StreamStarter = std::function<void(std::shared_ptr<ResponseStream>)>;

}  // namespace stockpile::api

#endif  // STOCKPILE_API_RESPONSE_STREAM_H_
