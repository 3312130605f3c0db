#pragma once
// What simnet does with a voice message it "delivers": it renders the text with
// espeak-ng (text-to-speech), or copies the message's WAV file, to
// <voice_dir>/<message id>.wav, so that a user can listen to what was sent.
//
// Text-to-speech runs the espeak-ng program (Debian package espeak-ng) in a
// child process, not the library in ours: espeak-ng keeps global state, and a
// crash on odd input (there have been CVEs for that) must not take bramka down.
// Blocking; called on simnet's voice thread only.

#include <chrono>
#include <string>

#include "common/result.h"

namespace bramka::simnet {

struct SpeechOptions {
  std::string command = "espeak-ng";  // looked up in PATH
  std::string voice = "pl";           // espeak-ng -v
  std::chrono::seconds timeout{30};
};

// Writes `text` spoken as a WAV (RIFF, 16-bit PCM, mono, espeak's 22050 Hz) to
// `wav_path` atomically (a temporary file renamed into place). kUnavailable when
// the program is missing, fails or times out.
Result<void> RenderSpeech(const SpeechOptions& options, const std::string& text,
                          const std::string& wav_path);

// Writes `bytes` to `path` atomically. kUnavailable on an I/O error.
Result<void> WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace bramka::simnet
