#pragma once
// The messages table's columns as Message fields: store/sql/message_row.h's, in this
// engine's namespace for its queries.

#include "store/sql/message_row.h"
#include "store/sql/rows.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

using sql::BindNewMessage;
using sql::BindNewMessageAt;
using sql::InsertMessagesSql;
using sql::JoinAttachments;
using sql::kInsertColumns;
using sql::kInsertMessage;
using sql::kMessageColumnCount;
using sql::ReadMessage;
using sql::ReadMessages;
using sql::SplitAttachments;
using sql::ValidMessageType;

}  // namespace bramka::store::sqlite
