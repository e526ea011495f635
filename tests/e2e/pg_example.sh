# The example operator for PostgreSQL (examples/postgresql/voipgrow.sql) is the SQLite one
# (examples/voipgrow.sql): the same tables, columns, types, NOT NULLs, defaults, unique keys,
# indexes and foreign keys (but the one PostgreSQL cannot have), and the same rows, with call
# records range-partitioned by month and every row in its month's partition.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)
pg_start
load_example psql pg_createdb examples/postgresql/voipgrow.sql
lite() { sqlite3 -bail "$DB" "$@"; }
pg() { pg_psql voipgrow "$1"; }
server() { pg "$1"; }
SERVER=PostgreSQL
# The tables of PostgreSQL's public schema, a partition being part of its table.
PG_TABLES="SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace
           AND relkind IN ('r', 'p') AND NOT relispartition"

same_as_example tables "$EXAMPLE_TABLES" \
  "SELECT relname FROM pg_class WHERE oid IN ($PG_TABLES) ORDER BY 1"
# Columns in order, with their declared type, NOT NULL (a primary key's columns are never
# NULL in either) and default.
same_as_example "columns, types, NOT NULL and defaults" "$EXAMPLE_COLUMNS" \
  "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
          CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
          coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
   FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE c.oid IN ($PG_TABLES) ORDER BY c.relname, a.attnum"
# UNIQUE constraints and the indexes made by hand, with their columns.
same_as_example "unique keys and indexes" "$EXAMPLE_INDEXES" \
  "SELECT c.relname || ' ' || CASE WHEN k.contype = 'u' THEN 'unique' ELSE x.relname END || ' (' ||
          (SELECT string_agg(pg_get_indexdef(i.indexrelid, n, true), ', ' ORDER BY n)
           FROM generate_series(1, i.indnkeyatts) n) || ')'
   FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
     LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
   WHERE c.oid IN ($PG_TABLES) AND coalesce(k.contype, 'i') IN ('u', 'i') ORDER BY 1"
# Foreign keys, but call_recordings.call_record_id's: PostgreSQL cannot reference the id of a
# partitioned table alone.
same_as_example "foreign keys" "$EXAMPLE_FOREIGN_KEYS" \
  "SELECT k.conrelid::regclass || '.' || a.attname || ' -> ' || k.confrelid::regclass || '.' || r.attname
   FROM pg_constraint k
     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
     JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
   WHERE k.contype = 'f' AND k.conrelid IN ($PG_TABLES) ORDER BY 1" \
  "call_recordings.call_record_id -> call_records.id"
lite "$EXAMPLE_TABLES" > "$WORK/tables.sqlite"

# The same rows in every table.
while read -r table; do
  pg_sql voipgrow -Aq -P footer=off -F $'\x1f' -P null='\N' -c "SELECT * FROM \"$table\" ORDER BY 1" > "$WORK/rows.pg"
  same_rows "$table" "$WORK/rows.pg"
  # An id numbered by the database goes on after the example's rows, as in SQLite.
  if [ "$(lite "SELECT count(*) FROM pragma_table_info('$table') WHERE name = 'id'")" = 1 ]; then
    next=$(pg "SELECT last_value FROM pg_sequences
               WHERE format('%I.%I', schemaname, sequencename) = pg_get_serial_sequence('$table', 'id')")
    if [ "$next" = "$(lite "SELECT max(id) FROM \"$table\"")" ]; then
      ok "$table: new ids follow the example's"
    else
      fail "$table: the id sequence stands at '$next', not at the highest id"
    fi
  fi
done < "$WORK/tables.sqlite"

# call_records: partitioned by range of started_at, with a DEFAULT partition that stays empty,
# and every row in the partition of its month.
expect_pg() {
  local got
  got=$(pg "$2")
  if [ "$got" = "$1" ]; then ok "$3"; else fail "$3: '$got', expected '$1'"; fi
}
expect_pg "r|started_at|t" "SELECT p.partstrat, a.attname, p.partdefid <> 0 FROM pg_partitioned_table p
  JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
  WHERE p.partrelid = 'call_records'::regclass" \
  "call_records is range-partitioned by started_at, with a DEFAULT partition"
expect_pg 0 "SELECT count(*) FROM call_records_default" "the DEFAULT partition is empty"
expect_pg 0 "SELECT count(*) FROM call_records
  WHERE tableoid::regclass::text <> 'call_records_' || translate(left(started_at, 7), '-', '_')" \
  "every call record is in the partition of its month"
finish
