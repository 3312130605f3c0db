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
// the whole hours inside the range plus the index counts of the two partial hours at
// its ends (rows that are in the range, so never more rows than counting the range
// itself read), minus the cancelled messages (their own small partial index).

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
#define BRAMKA_MESSAGE_COUNTS_MIGRATION(table_options, triggers)                        \
  "CREATE TABLE message_counts (\n"                                                     \
  "  account_id BIGINT NOT NULL,\n"                                                     \
  "  hour       BIGINT NOT NULL,\n"                                                     \
  "  n          BIGINT NOT NULL,\n"                                                     \
  "  PRIMARY KEY (account_id, hour)\n"                                                  \
  ") " table_options ";\n"                                                              \
  "INSERT INTO message_counts (account_id, hour, n)\n"                                  \
  "  SELECT account_id, queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT ", COUNT(*) FROM messages\n" \
  "  GROUP BY 1, 2;\n" triggers

namespace bramka::store {

inline constexpr int64_t kCountHourMs = BRAMKA_COUNT_HOUR_MS;

// How a range of queued_ms [lo, hi] is counted: message_counts
// rows first_hour..last_hour (none when first_hour > last_hour), plus the index ranges
// [head_lo, head_hi] and [tail_lo, tail_hi] (an empty one has lo > hi).
struct CountRanges {
  int64_t first_hour = 1;
  int64_t last_hour = 0;
  int64_t head_lo = 0, head_hi = -1;
  int64_t tail_lo = 0, tail_hi = -1;
};

// Hour 0 is never summed: SQL's integer division truncates towards zero, so the row of
// hour 0 would also count negative queued_ms; hours >= 1 are exactly
// [h * kCountHourMs, (h + 1) * kCountHourMs - 1].
constexpr CountRanges CountRangesFor(int64_t lo, int64_t hi) {
  CountRanges r;
  const int64_t first = std::max<int64_t>(1, lo / kCountHourMs + (lo % kCountHourMs != 0));
  const int64_t last = hi >= kCountHourMs - 1 ? (hi - (kCountHourMs - 1)) / kCountHourMs : 0;
  if (first > last) {  // no whole hour inside: the range is counted from the index
    r.head_lo = lo;
    r.head_hi = hi;
    return r;
  }
  r.first_hour = first;
  r.last_hour = last;
  r.head_lo = lo;
  r.head_hi = first * kCountHourMs - 1;  // empty when lo is an hour's start
  r.tail_lo = (last + 1) * kCountHourMs;
  r.tail_hi = hi;  // empty when hi is an hour's last millisecond
  return r;
}

}  // namespace bramka::store
