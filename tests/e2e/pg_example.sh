# The example operator for PostgreSQL (examples/postgresql/voipgrow.sql) is the SQLite one
# (examples/voipgrow.sql): the same tables, columns and types, and the same rows, with call
# records range-partitioned by month and every row in its month's partition.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)
pg_start
if pg_createdb voipgrow "$SRC/examples/postgresql/voipgrow.sql" 2> "$WORK/err"; then
  ok "psql loads examples/postgresql/voipgrow.sql"
else
  fail "psql cannot load examples/postgresql/voipgrow.sql"
  sed 's/^/  | /' "$WORK/err" | head -20
  finish
  exit
fi
lite() { sqlite3 -bail "$DB" "$@"; }
pg() { pg_psql voipgrow "$1"; }

# The same tables (a partition is part of its table, not a table of its own).
lite "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" > "$WORK/tables.sqlite"
pg "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY 1" > "$WORK/tables.pg"
if diff "$WORK/tables.sqlite" "$WORK/tables.pg" > "$WORK/diff"; then
  ok "the same $(wc -l < "$WORK/tables.sqlite") tables"
else
  fail "the tables differ (< SQLite, > PostgreSQL): $(grep '^[<>]' "$WORK/diff" | tr '\n' ' ')"
fi

# The same columns, in the same order, with the same declared types.
lite "SELECT m.name || '.' || p.name || ' ' || lower(p.type) FROM sqlite_master m, pragma_table_info(m.name) p
      WHERE m.type = 'table' ORDER BY m.name, p.cid" > "$WORK/columns.sqlite"
pg "SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name IN (SELECT relname FROM pg_class WHERE NOT relispartition)
    ORDER BY table_name, ordinal_position" > "$WORK/columns.pg"
if diff "$WORK/columns.sqlite" "$WORK/columns.pg" > "$WORK/diff"; then
  ok "the same $(wc -l < "$WORK/columns.sqlite") columns and types"
else
  fail "the columns differ (< SQLite, > PostgreSQL): $(grep '^[<>]' "$WORK/diff" | tr '\n' ' ')"
fi

# The same rows in every table: both dumped with a header, fields separated by US (0x1f), NULL
# as \N, ordered by the primary key (the first column of every table).
while read -r table; do
  lite -header -separator $'\x1f' -nullvalue '\N' "SELECT * FROM \"$table\" ORDER BY 1" > "$WORK/rows.sqlite"
  pg_sql voipgrow -Aq -P footer=off -F $'\x1f' -P null='\N' -c "SELECT * FROM \"$table\" ORDER BY 1" > "$WORK/rows.pg"
  if cmp -s "$WORK/rows.sqlite" "$WORK/rows.pg"; then
    ok "$table: the same $(($(wc -l < "$WORK/rows.sqlite") - 1)) rows"
  else
    fail "$table: the rows differ (< SQLite, > PostgreSQL)"
    diff "$WORK/rows.sqlite" "$WORK/rows.pg" | grep '^[<>]' | head -6 | tr '\037' '|' | sed 's/^/  | /'
  fi
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
