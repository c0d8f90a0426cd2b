#ifndef CSQLITE3_SHIM_H
#define CSQLITE3_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a function-pointer cast macro that Swift cannot import. */
static inline sqlite3_destructor_type csqlite3_transient(void) { return SQLITE_TRANSIENT; }

/* The virtual table and cursor of SQLiteRowTable's module (Sources/SQLite/SQLiteRowTable.swift):
   SQLite's own structs first, as SQLite requires, then what the module keeps beside them. */
typedef struct csqlite3_rows_vtab {
    sqlite3_vtab base;
    void *table;
} csqlite3_rows_vtab;

typedef struct csqlite3_rows_cursor {
    sqlite3_vtab_cursor base;
    sqlite3_int64 row;
} csqlite3_rows_cursor;

#endif
