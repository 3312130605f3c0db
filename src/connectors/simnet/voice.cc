#include "connectors/simnet/voice.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

extern char** environ;

namespace bramka::simnet {
namespace {

Unexpected Unavailable(std::string message) {
  return Fail(ErrorCode::kUnavailable, std::move(message));
}

}  // namespace

Result<void> WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Unavailable("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot rename " + tmp + ": " + ec.message());
  return Ok();
}

Result<void> RenderSpeech(const SpeechOptions& options, const std::string& text,
                          const std::string& wav_path) {
  // The text goes through a file (-f), never the command line: it may start with
  // '-' or be long. -b 1: the file is UTF-8.
  const std::string text_path = wav_path + ".txt";
  const std::string tmp_wav = wav_path + ".tmp";
  BRAMKA_RETURN_IF_ERROR(WriteFileAtomically(text_path, text));
  std::vector<std::string> args = {options.command, "-b", "1",    "-v", options.voice, "-f",
                                   text_path,       "-w", tmp_wav};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const int rc =
      posix_spawnp(&pid, options.command.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  auto cleanup = [&] {
    std::error_code ec;
    std::filesystem::remove(text_path, ec);
    std::filesystem::remove(tmp_wav, ec);
  };
  if (rc != 0) {
    cleanup();
    return Unavailable("cannot run " + options.command +
                       " (Debian package espeak-ng): " + std::strerror(rc));
  }
  // A bounded wait for the child; the voice thread has nothing else to do meanwhile.
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      cleanup();
      return Unavailable(std::string("waitpid: ") + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      cleanup();
      return Unavailable(options.command + " took longer than " +
                         std::to_string(options.timeout.count()) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    cleanup();
    return Unavailable(options.command + " failed (status " + std::to_string(status) + ")");
  }
  std::error_code ec;
  std::filesystem::rename(tmp_wav, wav_path, ec);
  std::filesystem::remove(text_path, ec);
  if (!std::filesystem::exists(wav_path)) {
    cleanup();
    return Unavailable(options.command + " wrote no WAV file");
  }
  return Ok();
}

}  // namespace bramka::simnet
