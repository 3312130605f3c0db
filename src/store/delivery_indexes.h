#pragma once
// s6-delivery (docs/adr/0033): the messages indexes the delivery side writes, kept
// fewer. The same text in both engines' migrations (SQLite 22, PostgreSQL 7).
//
// messages_sent_via (connector, sent_ms) WHERE status = 2 cost two b-tree writes per
// message (in at kSent, out at the receipt) for one reader: simnet's resume at start
// (Store::ListSentVia). That now reads messages_upstream by its connector prefix (every
// message sent through the connector has an upstream id), checking the status on the
// row: a cost at simnet's start proportional to what it ever sent that is still in the
// table, none per message.

// Migration (SQLite 22, PostgreSQL 7).
#define BRAMKA_DELIVERY_INDEX_MIGRATION "DROP INDEX messages_sent_via;\n"

// ListSentVia's query (both engines): "upstream_id <> ''" repeats messages_upstream's
// partial condition so both engines search that index by connector.
#define BRAMKA_LIST_SENT_VIA_WHERE "connector = ?1 AND upstream_id <> '' AND status = 2 "
