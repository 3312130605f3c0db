#include "store/sqlite/page_cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace bramka::store::sqlite {
namespace {

sqlite3_pcache_methods2 g_default;  // SQLite's own, read before installing ours

struct Cache {
  sqlite3_pcache* inner = nullptr;
  unsigned max_fetched = 0;     // the highest key xFetch created a page for (or may have)
  std::vector<unsigned> above;  // keys pages were re-keyed to above max_fetched
};

Cache* Of(sqlite3_pcache* p) { return reinterpret_cast<Cache*>(p); }

sqlite3_pcache* Create(int page_size, int extra, int purgeable) {
  sqlite3_pcache* inner = g_default.xCreate(page_size, extra, purgeable);
  if (inner == nullptr) return nullptr;
  auto* c = new (std::nothrow) Cache;
  if (c == nullptr) {
    g_default.xDestroy(inner);
    return nullptr;
  }
  c->inner = inner;
  return reinterpret_cast<sqlite3_pcache*>(c);
}

void Cachesize(sqlite3_pcache* p, int n) { g_default.xCachesize(Of(p)->inner, n); }
int Pagecount(sqlite3_pcache* p) { return g_default.xPagecount(Of(p)->inner); }

sqlite3_pcache_page* Fetch(sqlite3_pcache* p, unsigned key, int create) {
  Cache* c = Of(p);
  // Without `create` nothing is added: a page found was counted when it was created.
  // (sqlite3PcacheMove looks the re-key's target up this way first.)
  if (create != 0 && key > c->max_fetched) c->max_fetched = key;
  return g_default.xFetch(c->inner, key, create);
}

void Unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) {
  g_default.xUnpin(Of(p)->inner, page, discard);
}

void Rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  Cache* c = Of(p);
  std::erase(c->above, old_key);
  if (new_key > c->max_fetched) c->above.push_back(new_key);
  g_default.xRekey(c->inner, page, old_key, new_key);
}

void Truncate(sqlite3_pcache* p, unsigned limit) {
  Cache* c = Of(p);
  const bool any_above =
      c->max_fetched >= limit ||
      std::any_of(c->above.begin(), c->above.end(), [&](unsigned k) { return k >= limit; });
  if (!any_above) return;  // no cached page has a key >= limit: nothing to discard
  g_default.xTruncate(c->inner, limit);
  if (limit > 0 && c->max_fetched >= limit) c->max_fetched = limit - 1;
  std::erase_if(c->above, [&](unsigned k) { return k >= limit; });
}

void Destroy(sqlite3_pcache* p) {
  Cache* c = Of(p);
  g_default.xDestroy(c->inner);
  delete c;
}

void Shrink(sqlite3_pcache* p) { g_default.xShrink(Of(p)->inner); }

}  // namespace

bool InstallPageCacheWrapper() {
  sqlite3_pcache_methods2 current{};
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &current) != SQLITE_OK) return false;
  if (current.iVersion < 1 || current.xCreate == nullptr) return false;
  g_default = current;
  sqlite3_pcache_methods2 ours = current;
  ours.xCreate = Create;
  ours.xCachesize = Cachesize;
  ours.xPagecount = Pagecount;
  ours.xFetch = Fetch;
  ours.xUnpin = Unpin;
  ours.xRekey = Rekey;
  ours.xTruncate = Truncate;
  ours.xDestroy = Destroy;
  ours.xShrink = Shrink;
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &ours) == SQLITE_OK;
}

}  // namespace bramka::store::sqlite
