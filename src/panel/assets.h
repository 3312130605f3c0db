#pragma once
// The panel's static files (src/panel/assets/), embedded into the binary at build
// time: embed_assets.cmake turns each file into a byte array in a generated .cc.
// No files are read at run time. Thread-safe (constant data).

#include <span>
#include <string_view>

namespace bramka::panel {

struct Asset {
  std::string_view name;          // file name, e.g. "app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted, from the content's SHA-256
  std::string_view body;
};

// Every embedded file, by name.
std::span<const Asset> AllAssets();

// The asset of that name, or nullptr.
inline const Asset* FindAsset(std::string_view name) {
  for (const Asset& a : AllAssets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace bramka::panel
