// fdatasync latency on this machine, with and without a thread that naps while the sync
// is in flight (docs/adr/0035, docs/performance/session6.md "Session 6: latency").
//
// Build and run (no bramka needed):
//   g++ -O2 -std=c++20 -pthread -o /tmp/fsync_latency scripts/fsync_latency.cc
//   /tmp/fsync_latency plain 400 && /tmp/fsync_latency nap 400 && /tmp/fsync_latency spin 400
// Each sample overwrites one 4 KiB block of a file written and synced beforehand (as SQLite
// rewrites WAL frames after a restart: no size change, so no journal commit), calls
// fdatasync, then waits 200 µs. Modes: plain; nap (a second thread nanosleeps NAP_US,
// default 20, in a loop while the sync runs: bramka's SyncWaker); spin (it busy-waits).
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s plain|nap|spin SAMPLES [FILE]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const int n = std::atoi(argv[2]);
  const char* path = argc > 3 ? argv[3] : "/tmp/fsync_latency.dat";
  const long nap_us = std::getenv("NAP_US") ? std::atol(std::getenv("NAP_US")) : 20;
  const int fd = ::open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 1;
  char block[4096];
  std::memset(block, 'z', sizeof block);
  for (int i = 0; i < n; ++i) {
    if (::pwrite(fd, block, sizeof block, static_cast<off_t>(i) * 4096) != 4096) return 1;
  }
  ::fsync(fd);

  std::atomic<bool> in_flight{false}, stop{false};
  std::thread helper;
  if (mode != "plain") {
    helper = std::thread([&] {
      ::prctl(PR_SET_TIMERSLACK, nap_us * 100UL, 0, 0, 0);
      const timespec nap{0, nap_us * 1000L}, idle{0, 100'000};
      while (!stop.load()) {
        if (!in_flight.load()) {
          ::nanosleep(&idle, nullptr);
        } else if (mode == "nap") {
          ::nanosleep(&nap, nullptr);
        } else {
          __builtin_ia32_pause();
        }
      }
    });
  }
  std::memset(block, 'x', sizeof block);
  std::vector<double> us;
  rusage r0{}, r1{};
  ::getrusage(RUSAGE_SELF, &r0);
  for (int i = 0; i < n; ++i) {
    if (::pwrite(fd, block, sizeof block, static_cast<off_t>(i) * 4096) != 4096) return 1;
    const auto t0 = Clock::now();
    in_flight = true;
    ::fdatasync(fd);
    in_flight = false;
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    const timespec gap{0, 200'000};
    ::nanosleep(&gap, nullptr);
  }
  ::getrusage(RUSAGE_SELF, &r1);
  stop = true;
  if (helper.joinable()) helper.join();
  ::close(fd);
  ::unlink(path);
  std::sort(us.begin(), us.end());
  auto p = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<size_t>(q * us.size()))];
  };
  const double cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                     (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                     1e-6 * ((r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) +
                             (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec));
  double load[3];
  ::getloadavg(load, 3);
  std::printf(
      "%-5s n=%d fdatasync p50 %.0f p90 %.0f p99 %.0f max %.0f us; process CPU %.3f s; load %.1f\n",
      mode.c_str(), n, p(.5), p(.9), p(.99), us.back(), cpu, load[0]);
}
