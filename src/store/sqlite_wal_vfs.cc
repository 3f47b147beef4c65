#include "store/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <new>
#include <vector>

namespace stockpile::store {

namespace {

constexpr char kVfsName[] = "stockpile-buffered-wal";

// A WAL file opened through this VFS: this header, then the default VFS's
// own file object (root->szOsFile bytes) at kRealOffset.
struct WalFile {
  sqlite3_file base;  // first: the handle SQLite holds
  sqlite3_file* real;
  std::vector<char>* pending;  // not yet written, starting at pending_offset
  sqlite3_int64 pending_offset;
};
constexpr size_t kRealOffset =
    (sizeof(WalFile) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);

WalFile* Wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Wal(file)->real; }
sqlite3_vfs* Root(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

// The default (unix) VFS writes at most 128 KiB - 1 per call: it never
// needs more for one page, and masks the length to 17 bits.
constexpr size_t kMaxWriteBytes = 96 << 10;

// Hands the pending bytes to the real file in as few writes as it takes.
// They are dropped even when a write fails: the failure fails the commit
// that wrote them.
int Flush(WalFile* f) {
  std::vector<char>& pending = *f->pending;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < pending.size() && rc == SQLITE_OK;) {
    const size_t n = std::min(kMaxWriteBytes, pending.size() - done);
    rc = f->real->pMethods->xWrite(
        f->real, pending.data() + done, static_cast<int>(n),
        f->pending_offset + static_cast<sqlite3_int64>(done));
    done += n;
  }
  pending.clear();
  return rc;
}

int WalClose(sqlite3_file* file) {
  WalFile* f = Wal(file);
  const int flushed = Flush(f);
  const int rc = f->real->pMethods->xClose(f->real);
  delete f->pending;
  f->pending = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

int WalRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xRead(Real(file), out, amount, offset);
}

int WalWrite(sqlite3_file* file, const void* data, int amount,
             sqlite3_int64 offset) {
  WalFile* f = Wal(file);
  std::vector<char>& pending = *f->pending;
  const size_t n = static_cast<size_t>(amount);
  const bool follows =
      offset == f->pending_offset + static_cast<sqlite3_int64>(pending.size());
  if (!pending.empty() &&
      (!follows || pending.size() + n > kMaxBufferedWalBytes)) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (pending.empty()) f->pending_offset = offset;
  try {
    const char* bytes = static_cast<const char*>(data);
    pending.insert(pending.end(), bytes, bytes + n);
  } catch (const std::bad_alloc&) {
    pending.clear();
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int WalSync(sqlite3_file* file, int flags) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int WalFileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int WalLock(sqlite3_file* file, int lock) {
  return Real(file)->pMethods->xLock(Real(file), lock);
}

int WalUnlock(sqlite3_file* file, int lock) {
  return Real(file)->pMethods->xUnlock(Real(file), lock);
}

int WalCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}

// File controls may size or inspect the file: the buffer goes first.
int WalFileControl(sqlite3_file* file, int op, void* arg) {
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}

int WalSectorSize(sqlite3_file* file) {
  return Real(file)->pMethods->xSectorSize(Real(file));
}

int WalDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}

// Shared memory belongs to the database file, not the WAL; these forward
// for completeness.
int WalShmMap(sqlite3_file* file, int page, int size, int extend,
              void volatile** out) {
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return real->pMethods->xShmMap(real, page, size, extend, out);
}

int WalShmLock(sqlite3_file* file, int offset, int n, int flags) {
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return real->pMethods->xShmLock(real, offset, n, flags);
}

void WalShmBarrier(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion >= 2) real->pMethods->xShmBarrier(real);
}

int WalShmUnmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_OK;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int WalFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  *out = nullptr;
  if (int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xFetch(real, offset, amount, out);
}

int WalUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = Real(file);
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xUnfetch(real, offset, page);
}

constexpr sqlite3_io_methods kWalMethods = {
    3,
    WalClose,
    WalRead,
    WalWrite,
    WalTruncate,
    WalSync,
    WalFileSize,
    WalLock,
    WalUnlock,
    WalCheckReservedLock,
    WalFileControl,
    WalSectorSize,
    WalDeviceCharacteristics,
    WalShmMap,
    WalShmLock,
    WalShmBarrier,
    WalShmUnmap,
    WalFetch,
    WalUnfetch,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  sqlite3_vfs* root = Root(vfs);
  // Every other file is the default VFS's own object, at the same address.
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    return root->xOpen(root, name, file, flags, out_flags);
  }
  WalFile* f = Wal(file);
  f->base.pMethods = nullptr;  // SQLite calls no xClose unless it is set
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) +
                                            kRealOffset);
  f->real->pMethods = nullptr;
  f->pending = nullptr;
  f->pending_offset = 0;
  const int rc = root->xOpen(root, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    return rc;
  }
  f->pending = new (std::nothrow) std::vector<char>();
  if (f->pending == nullptr) {
    f->real->pMethods->xClose(f->real);
    return SQLITE_NOMEM;
  }
  f->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

// The rest is the default VFS's.
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Root(vfs)->xDelete(Root(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Root(vfs)->xAccess(Root(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Root(vfs)->xFullPathname(Root(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Root(vfs)->xDlOpen(Root(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  Root(vfs)->xDlError(Root(vfs), n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Root(vfs)->xDlSym(Root(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  Root(vfs)->xDlClose(Root(vfs), handle);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xRandomness(Root(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Root(vfs)->xSleep(Root(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Root(vfs)->xCurrentTime(Root(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xGetLastError(Root(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Root(vfs)->xCurrentTimeInt64(Root(vfs), out);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name,
                  sqlite3_syscall_ptr call) {
  return Root(vfs)->xSetSystemCall(Root(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Root(vfs)->xGetSystemCall(Root(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Root(vfs)->xNextSystemCall(Root(vfs), name);
}

const char* Register() {
  sqlite3_vfs* root = sqlite3_vfs_find(nullptr);
  if (root == nullptr) return nullptr;
  // SQLite keeps a pointer to the VFS for the life of the process.
  static sqlite3_vfs vfs;
  vfs.iVersion = root->iVersion < 3 ? root->iVersion : 3;
  vfs.szOsFile = static_cast<int>(kRealOffset) + root->szOsFile;
  vfs.mxPathname = root->mxPathname;
  vfs.zName = kVfsName;
  vfs.pAppData = root;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  vfs.xSetSystemCall = SetSystemCall;
  vfs.xGetSystemCall = GetSystemCall;
  vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
  return kVfsName;
}

}  // namespace

const char* BufferedWalVfsName() {
  static const char* const name = Register();  // once per process
  return name;
}

}  // namespace stockpile::store
