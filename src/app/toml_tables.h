#pragma once
// Line-level edits of the array tables of bramka.toml ([[connector]], [[route]]) that
// keep the operator's comments and layout, for `bramka admin connector remove|set` and
// `route remove`. Pure text in, text out; callers load the result (config::LoadConfig)
// before it replaces the file, so an edit never leaves an invalid config behind.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bramka::app {

// The [[`table`]] blocks of `text`, in file order: [first line, end line) indexes into the
// text's lines, and the value of its `name` key ("" when it has none). A block runs from
// its header to the next table header, without the comment and blank lines just before
// that header (they introduce the next table).
struct TomlBlock {
  size_t begin = 0;
  size_t end = 0;
  std::string name;
};
std::vector<TomlBlock> FindTomlBlocks(const std::string& text, const std::string& table);

// `text` without the lines of `block`.
std::string RemoveTomlBlock(const std::string& text, const TomlBlock& block);

// `text` with `key = value` set in `block` (`value` already a TOML literal): the key's
// line replaced, or a new line after the block's last key line.
std::string SetTomlKey(const std::string& text, const TomlBlock& block, const std::string& key,
                       const std::string& value);

// A TOML basic string literal of `s` ("…" with \" and \\ escaped).
std::string TomlQuote(const std::string& s);

}  // namespace bramka::app
