#pragma once
// One write per commit for the WAL (issue 11, docs/adr/0064): a VFS over SQLite's default
// ("unix") that changes only how the writer's WAL file is written.
//
// SQLite writes every WAL frame as two pwrites, the 24-byte frame header and the page
// (~17 system calls per commit of ~8.6 pages end to end, docs/performance/
// session13-writerprice.md). The shim copies the frames a transaction appends into a
// buffer and writes them with one pwrite when the commit frame's page arrives (the
// frame whose header has a non-zero "database size after commit"), inside that xWrite:
// SQLite publishes the commit in the wal-index (where readers of other connections find
// it) only after the loop that writes the frames returns, and the COMMIT returns — and
// the writer's syncer (writer.h) fdatasyncs — only after that. A failed write fails that
// xWrite, so the COMMIT fails with SQLite's own IOERR / FULL and nothing is published.
//
// Everything else goes straight through, after the buffer is written (in order):
// a write that is not an append (SQLite's rewrite of a frame of the same transaction,
// its checksum rewrites, the WAL header at offset 0 after a restart), xRead, xSync,
// xTruncate, xFileSize, xFileControl, xFetch, xClose. So every read through this file
// and every sync sees every byte written before it, as without the shim. As a second
// guard the database file's xShmBarrier (SQLite calls it between the two copies of the
// wal-index header it writes to publish a commit) writes whatever the same connection's
// WAL still holds; it never holds anything there unless SQLite changed how it writes
// frames, and if that write then fails the process aborts (the commit is not yet
// acknowledged: a crash loses nothing the gateway promised).
//
// Other files (journals, temp files) are the default VFS's own, unwrapped. The VFS is
// used by the writer's and the checkpointer's connections (connection.cc); readers open
// with the default VFS (they never write the WAL).

#include <cstdint>

namespace bramka::store::sqlite {

// Registers the VFS (once, not as the default); its name for sqlite3_open_v2, or null
// when it could not be registered (then open with the default VFS).
const char* WalVfsName();

// Process-wide counts (tests): buffered WAL writes, the writes of a buffer (one pwrite
// each), WAL writes passed straight through, and buffers written by the xShmBarrier
// guard (0 unless SQLite's WAL writes changed).
struct WalVfsCounts {
  uint64_t buffered = 0;
  uint64_t flushes = 0;
  uint64_t direct = 0;
  uint64_t barrier_flushes = 0;
};
WalVfsCounts GetWalVfsCounts();

// Tests: the next write of a buffer fails as with EIO (SQLITE_IOERR_WRITE), writing nothing.
void FailNextWalFlushForTest();

}  // namespace bramka::store::sqlite
