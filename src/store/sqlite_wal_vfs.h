// A SQLite VFS that writes each commit's WAL frames with one write call.
//
// SQLite appends a commit to the write-ahead log frame by frame, two
// write(2) calls per page (a 24-byte frame header, then the page), and then
// syncs. A group commit of a few dozen events dirties a few dozen pages
// (one index leaf per stream it touches), so the commit was ~80 system calls
// before the fsync; on a virtual machine each costs microseconds, and the
// fsync after many small writes was measured slower than after one large
// one (bench/store_bench). This VFS wraps the default one and, for WAL files
// only, gathers consecutive frame writes in memory and hands them to the
// real file in one write when SQLite syncs, reads, truncates, asks the size
// or closes the file, or when the buffer holds kMaxBufferedBytes.
//
// Why it is safe: a WAL frame becomes visible to readers only when the
// writer publishes the new wal-index header, which SQLite does after the
// sync of a commit — and the sync writes the buffer first. That holds only
// with synchronous = FULL: with NORMAL or OFF a commit does not sync, so
// the header would be published before the frames are written. Only
// connections that keep FULL may use this VFS (SqliteDb::kBuffered: the
// event store's; read models run at NORMAL and use the default VFS). A crash
// before the sync loses only frames of a commit nobody was told about, exactly
// what the unbuffered VFS risks; WAL recovery discards a partial tail by its
// checksums. A failed buffered write surfaces at that sync as its error, so
// the commit fails instead of being acknowledged.
//
//   const char* vfs = store::BufferedWalVfsName();  // registers once
//   sqlite3_open_v2(path, &db, flags, vfs);
//
// Thread-safety: the VFS object is immutable once registered; each file is
// used by one connection at a time, as SQLite uses its files.
#ifndef STOCKPILE_STORE_SQLITE_WAL_VFS_H_
#define STOCKPILE_STORE_SQLITE_WAL_VFS_H_

#include <cstddef>

namespace stockpile::store {

// Writes buffered beyond this are flushed before the next one is taken.
inline constexpr size_t kMaxBufferedWalBytes = 4 << 20;

// The name of the buffered-WAL VFS, registered with SQLite on first use
// (not as the default). Returns nullptr when SQLite has no default VFS to
// wrap; callers then open with SQLite's default.
const char* BufferedWalVfsName();

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_SQLITE_WAL_VFS_H_
