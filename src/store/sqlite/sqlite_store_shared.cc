// The one instantiation of sql::SqlStore for SQLite (see store/sql/sql_store.h).

#include "store/sql/sql_store_accounts.h"
#include "store/sql/sql_store_addressbook.h"
#include "store/sql/sql_store_basics.h"
#include "store/sql/sql_store_billing.h"
#include "store/sql/sql_store_callbacks.h"
#include "store/sql/sql_store_ftp.h"
#include "store/sql/sql_store_inbound.h"
#include "store/sql/sql_store_media.h"
#include "store/sql/sql_store_messages.h"
#include "store/sql/sql_store_panel.h"
#include "store/sql/sql_store_sql.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

template class bramka::store::sql::SqlStore<bramka::store::sqlite::Backend>;
