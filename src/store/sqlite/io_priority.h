#pragma once
// The I/O class of the SQLite store's durability threads (docs/adr/0053).
//
// The writer (COMMIT's WAL writes, the catch-up checkpoint's copy and syncs), the syncer
// (each commit's fdatasync) and the checkpointer (the rounds' copy and write-back) ask for
// the realtime I/O class, so that with an I/O scheduler that honours classes (mq-deadline,
// bfq: the usual defaults for virtio and SATA disks) their requests go before the
// best-effort ones of everything else on the host: on the project's shared VM other
// processes' writes made every accept wait for them (docs/performance/session11-p99.md).
// The class needs CAP_SYS_NICE or CAP_SYS_ADMIN (root has them; the systemd unit may grant
// CAP_SYS_NICE); without it the thread keeps the default class and bramka runs as before.
// Device cache flushes bypass the scheduler: the class orders the data writes, not the
// flushes.

namespace bramka::store::sqlite {

// The calling thread's I/O requests in the realtime class, level 4 of 0-7. true: set;
// false: not permitted (or no such system call), nothing changed. Logs the first outcome
// at debug level (CLI commands that open the store print their results on stdout).
bool RaiseThreadIoPriority();

// Tests: the calling thread's I/O priority as ioprio_get reports it (-1: error).
int ThreadIoPriorityForTest();

// The value RaiseThreadIoPriority sets (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_RT, 4)).
inline constexpr int kRealtimeIoPriority = (1 << 13) | 4;

}  // namespace bramka::store::sqlite
