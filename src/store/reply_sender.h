#pragma once
// s5-writer (docs/adr/0029): which messages replies can come back to. Only messages
// whose sender is a number (starts with '+' or a digit) are indexed for
// FindReplyTarget: messages_reply is a partial index, so a message from a named
// sender costs no index entry, and a reply to a name is matched to nothing.

#include <string_view>

namespace bramka::store {

inline bool IsReplySender(std::string_view sender) {
  return !sender.empty() && (sender[0] == '+' || (sender[0] >= '0' && sender[0] <= '9'));
}

}  // namespace bramka::store

// The same test as the partial index's condition, the same text in both engines'
// migrations and in FindReplyTarget's query (SQLite and PostgreSQL use a partial index
// only when the query repeats its condition).
#define BRAMKA_REPLY_SENDER_TERM \
  "substr(sender, 1, 1) IN ('+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')"

// Migration (SQLite 20, PostgreSQL 5): messages_reply holds only such messages.
#define BRAMKA_REPLY_INDEX_MIGRATION                                    \
  "DROP INDEX messages_reply;\n"                                        \
  "CREATE INDEX messages_reply ON messages (phone, sender, queued_ms) " \
  "WHERE " BRAMKA_REPLY_SENDER_TERM ";\n"
