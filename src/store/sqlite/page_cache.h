#pragma once
// Page cache wrapper (issue 11, docs/adr/0041): SQLite's default page cache with its
// truncate skipped when no cached page can be at or above the limit.
//
// Every COMMIT truncates the connection's page cache to the database's size
// (pager_end_transaction). SQLite's default cache (pcache1) walks its whole hash
// table for that whenever the highest key it ever held is far above the limit — and a
// b-tree balance that swaps two new pages re-keys one through the page after the
// pending byte (page 262,145 with 4 KiB pages), so on any database below 1 GiB nearly
// every write transaction ends with a walk of every cached page (6-7 % of the serve's
// CPU under SMPP load, docs/performance/session8.md "Session 8: smpp").
//
// The wrapper keeps, per cache, the highest key ever fetched and the keys that pages
// were re-keyed to above it, and passes xTruncate on only when one of them reaches
// the limit: otherwise no page at or above it exists and the truncate has nothing to
// discard. Every other method is the default cache's.
//
// InstallPageCacheWrapper must run before SQLite initialises (the first open); it
// returns false (and changes nothing) if SQLite did not accept the configuration.

namespace bramka::store::sqlite {

bool InstallPageCacheWrapper();

}  // namespace bramka::store::sqlite
