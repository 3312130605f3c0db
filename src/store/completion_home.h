#pragma once
// CompletionHome (hops, docs/adr/0067): where a store runs the completions of the writes a
// thread submitted, instead of on its own completion thread.
//
// The SQLite writer (sqlite/writer.h) completes an asynchronous write after the fdatasync
// that covers its commit. Without a home its completion runs on the store's completion
// thread, which for an HTTP or SMPP answer then posts to the connection's strand: two
// thread hand-offs (syncer -> completion thread -> I/O thread), and a wake-up of an I/O
// thread per answer. A thread that runs an io_context (serve's HTTP/SMPP I/O threads)
// names that io_context as the home of what it submits: the syncer then posts ONE task per
// fdatasync round to the home, which completes that round's jobs in commit order on an I/O
// thread (one hand-off, one wake-up per round).
//
// A home's task may make store calls that wait (a completion may), but it holds up the
// home's other work meanwhile: only threads whose submissions' completions are short (an
// answer to post to a strand) should set one.
//
// Thread-safety: Post may be called from any thread. The home must outlive every store
// that may complete a job submitted under it.

#include <functional>

namespace bramka::store {

class CompletionHome {
 public:
  virtual ~CompletionHome() = default;
  // Runs `task` soon on one of the home's threads; never inside the call (the caller is
  // the store's syncer, whose next fdatasync must not wait for it).
  virtual void Post(std::function<void()> task) = 0;

  // The calling thread's home (null: none; the store's completion thread completes).
  static CompletionHome* Current();

  // Makes `home` the calling thread's home while it lives.
  class Scope {
   public:
    explicit Scope(CompletionHome* home);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CompletionHome* saved_;
  };
};

}  // namespace bramka::store
