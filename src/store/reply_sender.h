#pragma once
// s5-writer (docs/adr/0029): which messages replies can come back to. Only messages
// whose sender may be a number (its first byte is '+' ... '9': '+', a digit, or one of
// ",-./") are indexed for FindReplyTarget: messages_reply is a partial index, so a
// message from a named sender costs no index entry, and a reply to a name is matched
// to nothing.

#include <string_view>

namespace bramka::store {

inline bool IsReplySender(std::string_view sender) {
  return !sender.empty() && sender[0] >= '+' && sender[0] <= '9';
}

}  // namespace bramka::store

// The same test as the partial index's condition (byte order: SQLite's BINARY and the
// "C" collation of every PostgreSQL text column), the same text in both engines'
// migrations and in FindReplyTarget's query (SQLite and PostgreSQL use a partial index
// only when the query repeats its condition). Not an IN list (SQLite builds its lookup
// table at every INSERT) and not a range on sender itself (SQLite's planner then
// searches the index by that range instead of by sender = ?).
#define BRAMKA_REPLY_SENDER_TERM "substr(sender, 1, 1) BETWEEN '+' AND '9'"

// Migration (SQLite 20, PostgreSQL 5): messages_reply holds only such messages.
#define BRAMKA_REPLY_INDEX_MIGRATION                                    \
  "DROP INDEX messages_reply;\n"                                        \
  "CREATE INDEX messages_reply ON messages (phone, sender, queued_ms) " \
  "WHERE " BRAMKA_REPLY_SENDER_TERM ";\n"
