#pragma once
// Requests and answers of GatewayService's media and number-check functions
// (files/*, send_mms, send_voice with a file, phones/check, phones/lookup).
// Plain structs; the rules are in media.cc and phones.cc.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "delivery/hlr.h"
#include "store/model.h"

namespace bramka::core {

// Limits of media files (CoreOptions::media).
struct MediaOptions {
  // A voice WAV of 60 s at 8 kHz, 16 bit, mono is 960,044 bytes.
  size_t max_voice_bytes = 1'000'000;
  size_t max_mms_bytes = 1 << 20;  // per file
  int max_mms_files = 10;          // per message
};

// files/add: either `url` (fetched by bramka) or `data` (an upload).
struct AddFileRequest {
  store::MessageType type = store::MessageType::kMms;  // kMms or kVoice
  std::string url;
  std::optional<std::string> data;
  std::string name;  // empty: the URL's or upload's file name, else "file"
};

enum class NumberCheck { kHlr, kLookup };

// One number of phones/check or phones/lookup, in request order.
struct NumberCheckItem {
  std::string phone;  // normalised when valid, else as given
  bool valid = false;
  delivery::HlrAnswer answer;  // status kErr, description "INVALID_NUMBER" when !valid
};

}  // namespace bramka::core
