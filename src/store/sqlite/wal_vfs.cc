#include "store/sqlite/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

namespace bramka::store::sqlite {
namespace {

constexpr char kVfsName[] = "bramka-wal";
constexpr int kFrameHeaderSize = 24;  // SQLite's WAL frame header (the file format)
// A transaction that appends more than this is written in pieces of at most this size
// (bulk writes, migrations); a commit of the serve is ~35 KB. The default VFS's write
// takes at most 128 KiB - 1 per call (os_unix.c seekAndWriteFd masks the length with
// 0x1ffff and reports the rest as a full disk): stay below it.
constexpr size_t kMaxPending = 120 * 1024;

sqlite3_vfs* g_real = nullptr;  // the default VFS, read once at registration
sqlite3_vfs g_vfs;

std::atomic<uint64_t> g_buffered{0};
std::atomic<uint64_t> g_flushes{0};
std::atomic<uint64_t> g_direct{0};
std::atomic<uint64_t> g_barrier_flushes{0};
std::atomic<bool> g_fail_next_flush{false};

void Count(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

struct DbFile;

// The writer's WAL file. Used by one connection, so by one thread at a time.
struct WalFile {
  sqlite3_file base;  // first: SQLite sees a WalFile as its sqlite3_file
  sqlite3_file* real = nullptr;
  DbFile* db = nullptr;  // the same connection's database file (the xShmBarrier guard)
  std::vector<unsigned char> pending;
  sqlite3_int64 pending_off = 0;  // where pending[0] goes
  // The end of the last append (frames go here next). Below it a write is a rewrite.
  sqlite3_int64 append_end = 0;
  // Where the page of the last commit frame header written goes (-1: none pending).
  sqlite3_int64 commit_page_at = -1;
};

// A main database file of a connection of this VFS.
struct DbFile {
  sqlite3_file base;
  sqlite3_file* real = nullptr;
  const char* name = nullptr;  // SQLite's pointer: the WAL's name leads back to it
  WalFile* wal = nullptr;
};

// The real file lives right after the wrapper in the block SQLite allocates (szOsFile).
constexpr size_t kWrapperSize = (std::max(sizeof(WalFile), sizeof(DbFile)) + 15) / 16 * 16;

sqlite3_file* RealOf(void* wrapper) {
  return reinterpret_cast<sqlite3_file*>(static_cast<char*>(wrapper) + kWrapperSize);
}

// Open main database files of this VFS by SQLite's name pointer; only opens and closes
// take the lock.
std::mutex g_dbs_mu;
std::unordered_map<const char*, DbFile*>& Dbs() {
  static auto* dbs = new std::unordered_map<const char*, DbFile*>;
  return *dbs;
}

// ---- the WAL file ----

WalFile* Wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

int Flush(WalFile* w) {
  if (w->pending.empty()) return SQLITE_OK;
  Count(g_flushes);
  int rc = SQLITE_OK;
  if (g_fail_next_flush.load(std::memory_order_relaxed) && g_fail_next_flush.exchange(false)) {
    rc = SQLITE_IOERR_WRITE;
  } else {
    rc = w->real->pMethods->xWrite(w->real, w->pending.data(), static_cast<int>(w->pending.size()),
                                   w->pending_off);
  }
  // After a failure SQLite rolls the transaction back and writes its next frames where
  // these began.
  if (rc != SQLITE_OK) w->append_end = w->pending_off;
  w->pending.clear();
  return rc;
}

int WalDirect(WalFile* w, const void* buf, int amt, sqlite3_int64 off) {
  Count(g_direct);
  return w->real->pMethods->xWrite(w->real, buf, amt, off);
}

// A frame header's bytes 4-7: the database size after a commit, 0 in other frames.
bool IsCommitHeader(const void* buf, int amt) {
  const auto* b = static_cast<const unsigned char*>(buf);
  return amt == kFrameHeaderSize && (b[4] != 0 || b[5] != 0 || b[6] != 0 || b[7] != 0);
}

int WalWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  WalFile* w = Wal(f);
  const auto size = static_cast<size_t>(amt);
  const bool commit_header = IsCommitHeader(buf, amt);
  if (off == 0 || off < w->append_end || size > kMaxPending) {
    // The WAL header (a new log: frames follow from its end), a rewrite of bytes already
    // written, or a piece too large to buffer: in order, after what is buffered.
    int rc = Flush(w);
    if (rc != SQLITE_OK) return rc;
    rc = WalDirect(w, buf, amt, off);
    if (rc != SQLITE_OK) return rc;
    // After the header the log starts over at its end; a rewrite leaves the end where it is.
    w->append_end = off == 0 ? off + amt : std::max(w->append_end, off + amt);
    w->commit_page_at = commit_header ? off + amt : -1;
    return SQLITE_OK;
  }
  // An append. Not right after the buffer (a first write of this handle, or a gap), or
  // the buffer full: write what is buffered first.
  if (!w->pending.empty() &&
      (off != w->pending_off + static_cast<sqlite3_int64>(w->pending.size()) ||
       w->pending.size() + size > kMaxPending)) {
    const int rc = Flush(w);
    if (rc != SQLITE_OK) return rc;
  }
  if (w->pending.empty()) w->pending_off = off;
  const auto* bytes = static_cast<const unsigned char*>(buf);
  w->pending.insert(w->pending.end(), bytes, bytes + size);
  w->append_end = off + amt;
  Count(g_buffered);
  if (off == w->commit_page_at) {  // the commit frame's page: the commit is complete
    w->commit_page_at = -1;
    return Flush(w);
  }
  w->commit_page_at = commit_header ? off + amt : -1;
  return SQLITE_OK;
}

int WalClose(sqlite3_file* f) {
  WalFile* w = Wal(f);
  const int flushed = Flush(w);
  sqlite3_file* real = w->real;
  const int rc = real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
  if (w->db != nullptr) {
    std::lock_guard lock(g_dbs_mu);
    if (w->db != nullptr) w->db->wal = nullptr;
  }
  w->~WalFile();
  return flushed != SQLITE_OK ? flushed : rc;
}

int WalRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  WalFile* w = Wal(f);
  const int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  return w->real->pMethods->xRead(w->real, buf, amt, off);
}

int WalTruncate(sqlite3_file* f, sqlite3_int64 size) {
  WalFile* w = Wal(f);
  int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  rc = w->real->pMethods->xTruncate(w->real, size);
  if (rc == SQLITE_OK) w->append_end = std::min(w->append_end, size);
  return rc;
}

int WalSync(sqlite3_file* f, int flags) {
  WalFile* w = Wal(f);
  const int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  return w->real->pMethods->xSync(w->real, flags);
}

int WalFileSize(sqlite3_file* f, sqlite3_int64* size) {
  WalFile* w = Wal(f);
  const int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileSize(w->real, size);
}

int WalFileControl(sqlite3_file* f, int op, void* arg) {
  WalFile* w = Wal(f);
  const int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileControl(w->real, op, arg);
}

int WalFetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** p) {
  WalFile* w = Wal(f);
  *p = nullptr;
  const int rc = Flush(w);
  if (rc != SQLITE_OK) return rc;
  if (w->real->pMethods->iVersion < 3) return SQLITE_OK;  // no mapping: SQLite reads instead
  return w->real->pMethods->xFetch(w->real, off, amt, p);
}

// ---- both files: what is only forwarded ----

template <typename T>
sqlite3_file* Real(sqlite3_file* f) {
  return reinterpret_cast<T*>(f)->real;
}

template <typename T>
int Lock(sqlite3_file* f, int level) {
  sqlite3_file* r = Real<T>(f);
  return r->pMethods->xLock(r, level);
}
template <typename T>
int Unlock(sqlite3_file* f, int level) {
  sqlite3_file* r = Real<T>(f);
  return r->pMethods->xUnlock(r, level);
}
template <typename T>
int CheckReservedLock(sqlite3_file* f, int* out) {
  sqlite3_file* r = Real<T>(f);
  return r->pMethods->xCheckReservedLock(r, out);
}
template <typename T>
int SectorSize(sqlite3_file* f) {
  sqlite3_file* r = Real<T>(f);
  return r->pMethods->xSectorSize(r);
}
template <typename T>
int DeviceCharacteristics(sqlite3_file* f) {
  sqlite3_file* r = Real<T>(f);
  return r->pMethods->xDeviceCharacteristics(r);
}
template <typename T>
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** p) {
  sqlite3_file* r = Real<T>(f);
  if (r->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return r->pMethods->xShmMap(r, region, size, extend, p);
}
template <typename T>
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  sqlite3_file* r = Real<T>(f);
  if (r->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return r->pMethods->xShmLock(r, offset, n, flags);
}
template <typename T>
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  sqlite3_file* r = Real<T>(f);
  if (r->pMethods->iVersion < 2) return SQLITE_OK;
  return r->pMethods->xShmUnmap(r, delete_flag);
}
template <typename T>
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  sqlite3_file* r = Real<T>(f);
  if (r->pMethods->iVersion < 3) return SQLITE_OK;
  return r->pMethods->xUnfetch(r, off, p);
}

void WalShmBarrier(sqlite3_file* f) {
  sqlite3_file* r = Real<WalFile>(f);
  if (r->pMethods->iVersion >= 2) r->pMethods->xShmBarrier(r);
}

// ---- the main database file ----

DbFile* Db(sqlite3_file* f) { return reinterpret_cast<DbFile*>(f); }

int DbClose(sqlite3_file* f) {
  DbFile* d = Db(f);
  {
    std::lock_guard lock(g_dbs_mu);
    Dbs().erase(d->name);
    if (d->wal != nullptr) d->wal->db = nullptr;
  }
  sqlite3_file* real = d->real;
  const int rc = real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
  d->~DbFile();
  return rc;
}
int DbRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xRead(r, buf, amt, off);
}
int DbWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xWrite(r, buf, amt, off);
}
int DbTruncate(sqlite3_file* f, sqlite3_int64 size) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xTruncate(r, size);
}
int DbSync(sqlite3_file* f, int flags) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xSync(r, flags);
}
int DbFileSize(sqlite3_file* f, sqlite3_int64* size) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xFileSize(r, size);
}
int DbFileControl(sqlite3_file* f, int op, void* arg) {
  sqlite3_file* r = Db(f)->real;
  return r->pMethods->xFileControl(r, op, arg);
}
int DbFetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** p) {
  sqlite3_file* r = Db(f)->real;
  *p = nullptr;
  if (r->pMethods->iVersion < 3) return SQLITE_OK;
  return r->pMethods->xFetch(r, off, amt, p);
}

// The guard: SQLite publishes a commit in the wal-index around this barrier; the WAL's
// bytes must be in the file before any reader can find them (see the header).
void DbShmBarrier(sqlite3_file* f) {
  DbFile* d = Db(f);
  if (d->wal != nullptr && !d->wal->pending.empty()) {
    Count(g_barrier_flushes);
    if (Flush(d->wal) != SQLITE_OK) {
      spdlog::critical("store: a WAL write failed where SQLite cannot be told; stopping");
      std::abort();
    }
  }
  sqlite3_file* r = d->real;
  if (r->pMethods->iVersion >= 2) r->pMethods->xShmBarrier(r);
}

const sqlite3_io_methods kWalMethods = {
    3,
    WalClose,
    WalRead,
    WalWrite,
    WalTruncate,
    WalSync,
    WalFileSize,
    Lock<WalFile>,
    Unlock<WalFile>,
    CheckReservedLock<WalFile>,
    WalFileControl,
    SectorSize<WalFile>,
    DeviceCharacteristics<WalFile>,
    ShmMap<WalFile>,
    ShmLock<WalFile>,
    WalShmBarrier,
    ShmUnmap<WalFile>,
    WalFetch,
    Unfetch<WalFile>,
};

const sqlite3_io_methods kDbMethods = {
    3,
    DbClose,
    DbRead,
    DbWrite,
    DbTruncate,
    DbSync,
    DbFileSize,
    Lock<DbFile>,
    Unlock<DbFile>,
    CheckReservedLock<DbFile>,
    DbFileControl,
    SectorSize<DbFile>,
    DeviceCharacteristics<DbFile>,
    ShmMap<DbFile>,
    ShmLock<DbFile>,
    DbShmBarrier,
    ShmUnmap<DbFile>,
    DbFetch,
    Unfetch<DbFile>,
};

// ---- the VFS ----

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  const bool wal = (flags & SQLITE_OPEN_WAL) != 0 && name != nullptr;
  const bool main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr;
  if (!wal && !main_db) return g_real->xOpen(g_real, name, f, flags, out_flags);  // unwrapped
  f->pMethods = nullptr;
  sqlite3_file* real = RealOf(f);
  const int rc = g_real->xOpen(g_real, name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite closes nothing after a failed open: close what the default VFS may hold.
    if (real->pMethods != nullptr) real->pMethods->xClose(real);
    return rc;
  }
  if (wal) {
    auto* w = new (f) WalFile;
    w->real = real;
    w->pending.reserve(64 * 1024);
    w->base.pMethods = &kWalMethods;
    // Which connection's WAL this is: SQLite names a WAL file after its database, and
    // sqlite3_filename_database() leads back to the name pointer that database was
    // opened with.
    const char* db_name = sqlite3_filename_database(name);
    std::lock_guard lock(g_dbs_mu);
    auto it = Dbs().find(db_name);
    if (it != Dbs().end() && it->second->wal == nullptr) {
      w->db = it->second;
      it->second->wal = w;
    }
    return SQLITE_OK;
  }
  auto* d = new (f) DbFile;
  d->real = real;
  d->name = name;
  d->base.pMethods = &kDbMethods;
  std::lock_guard lock(g_dbs_mu);
  Dbs()[name] = d;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*DlSym(sqlite3_vfs*, void* lib, const char* sym))(void) {
  return g_real->xDlSym(g_real, lib, sym);
}
void DlClose(sqlite3_vfs*, void* lib) { g_real->xDlClose(g_real, lib); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError != nullptr ? g_real->xGetLastError(g_real, n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}
int SetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xGetSystemCall(g_real, name);
}
const char* NextSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xNextSystemCall(g_real, name);
}

const char* Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  // Version 3 is every VFS of SQLite >= 3.7.10; the forwarders below rely on it.
  if (real == nullptr || real->iVersion < 3) return nullptr;
  g_real = real;
  g_vfs = {};
  g_vfs.iVersion = 3;
  g_vfs.szOsFile = static_cast<int>(kWrapperSize) + real->szOsFile;
  g_vfs.mxPathname = real->mxPathname;
  g_vfs.zName = kVfsName;
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  g_vfs.xSetSystemCall = SetSystemCall;
  g_vfs.xGetSystemCall = GetSystemCall;
  g_vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
  return kVfsName;
}

}  // namespace

const char* WalVfsName() {
  static const char* name = Register();
  return name;
}

WalVfsCounts GetWalVfsCounts() {
  WalVfsCounts c;
  c.buffered = g_buffered.load(std::memory_order_relaxed);
  c.flushes = g_flushes.load(std::memory_order_relaxed);
  c.direct = g_direct.load(std::memory_order_relaxed);
  c.barrier_flushes = g_barrier_flushes.load(std::memory_order_relaxed);
  return c;
}

void FailNextWalFlushForTest() { g_fail_next_flush.store(true); }

}  // namespace bramka::store::sqlite
