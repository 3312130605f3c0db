#pragma once
// reportcount (docs/adr/0061): the paging total of `messages/reports` from per-hour
// counts instead of a count over the account's whole index range.
//
// message_counts holds, per account and hour of queued_ms (queued_ms / kCountHourMs),
// how many message rows there are, cancelled ones included. The accept paths add their
// new rows in the transaction that inserts them (store/sql/message_counts_tx.h: one
// UPSERT per account and hour of a request or writer batch); nothing deletes messages
// or changes their account_id or queued_ms today, and triggers would keep the counts
// right if something did (they fire only then). A total over [lo, hi] is the sum of
// the whole hours inside the range, plus the two partial hours at its ends counted from
// the index (the part inside the range, or the hour's count minus the part outside when
// that part is small: CountPiece), minus the cancelled messages (their own small partial
// index).

#include <algorithm>
#include <cstdint>

// The hour's width in milliseconds: the same number in both engines' migrations and in
// CountRanges below.
#define BRAMKA_COUNT_HOUR_MS 3600000
#define BRAMKA_COUNT_STR2(x) #x
#define BRAMKA_COUNT_STR(x) BRAMKA_COUNT_STR2(x)
#define BRAMKA_COUNT_HOUR_MS_TEXT BRAMKA_COUNT_STR(BRAMKA_COUNT_HOUR_MS)

// The migration (SQLite 13, PostgreSQL 6): the table, filled from the messages there
// are, and the engine's triggers (`triggers`). `table_options`: SQLite's WITHOUT ROWID.
#define BRAMKA_MESSAGE_COUNTS_MIGRATION(table_options, triggers) \
  "CREATE TABLE message_counts (\n"                              \
  "  account_id BIGINT NOT NULL,\n"                              \
  "  hour       BIGINT NOT NULL,\n"                              \
  "  n          BIGINT NOT NULL,\n"                              \
  "  PRIMARY KEY (account_id, hour)\n"                           \
  ") " table_options                                             \
  ";\n"                                                          \
  "INSERT INTO message_counts (account_id, hour, n)\n"           \
  "  SELECT account_id, queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT  \
  ", COUNT(*) FROM messages\n"                                   \
  "  GROUP BY 1, 2;\n" triggers

namespace bramka::store {

inline constexpr int64_t kCountHourMs = BRAMKA_COUNT_HOUR_MS;

// A part of a range that lies inside one hour, counted from messages_account_queued:
// directly, or as the hour's count minus the rest of the hour when that rest holds fewer
// than kCountRestLimit rows (a bulk request's millisecond inside the range, with little
// else in its hour: the common report "since a moment ago" after a big send).
struct CountPiece {
  int64_t lo = 0;
  int64_t hi = -1;   // empty when lo > hi
  int64_t hour = 0;  // >= 1: the hour it lies in; 0: counted directly only
};

// How a range of queued_ms [lo, hi] is counted: message_counts rows first_hour..last_hour
// (none when first_hour > last_hour), plus the pieces at either end.
struct CountRanges {
  int64_t first_hour = 1;
  int64_t last_hour = 0;
  CountPiece head;
  CountPiece tail;
};

inline constexpr int64_t kCountRestLimit = 2048;

// [lo, hi] inside one hour, or at or below hour 0: hour 0 is never used, because SQL's
// integer division truncates towards zero, so its row would also count negative
// queued_ms; hours >= 1 are exactly [h * kCountHourMs, (h + 1) * kCountHourMs - 1].
// The int64 range's last, partial hour is counted directly too (its end would overflow).
constexpr CountPiece PieceIn(int64_t lo, int64_t hi) {
  CountPiece p{lo, hi, 0};
  if (lo >= kCountHourMs && lo <= hi && lo <= INT64_MAX - kCountHourMs) p.hour = lo / kCountHourMs;
  return p;
}

constexpr CountRanges CountRangesFor(int64_t lo, int64_t hi) {
  CountRanges r;
  if (lo > hi) return r;
  const int64_t first = std::max<int64_t>(1, lo / kCountHourMs + (lo % kCountHourMs != 0));
  const int64_t last = hi >= kCountHourMs - 1 ? (hi - (kCountHourMs - 1)) / kCountHourMs : 0;
  if (first <= last) {
    r.first_hour = first;
    r.last_hour = last;
    if (lo < first * kCountHourMs) r.head = PieceIn(lo, first * kCountHourMs - 1);
    if (hi >= (last + 1) * kCountHourMs) r.tail = PieceIn((last + 1) * kCountHourMs, hi);
    return r;
  }
  // No whole hour inside: the range lies in one hour or in two neighbours.
  const int64_t next_hour = (lo < kCountHourMs ? 1 : lo / kCountHourMs + 1) * kCountHourMs;
  if (hi < next_hour) {
    r.head = PieceIn(lo, hi);
  } else {
    r.head = PieceIn(lo, next_hour - 1);
    r.tail = PieceIn(next_hour, hi);
  }
  return r;
}

}  // namespace bramka::store
