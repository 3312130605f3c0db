// The one instantiation of sql::SqlStore for SQLite (see store/sql/sql_store.h).

#include "store/sql/sql_store_addressbook.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

template class bramka::store::sql::SqlStore<bramka::store::sqlite::Backend>;
