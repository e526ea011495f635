# The example operator for MariaDB (examples/mariadb/voipgrow.sql) is the SQLite one
# (examples/voipgrow.sql): the same tables, columns, types (INTEGER as INT, TEXT as TEXT or
# VARCHAR), NOT NULLs, defaults, unique keys, indexes (and the ones InnoDB adds for foreign
# keys) and foreign keys (but the two a partitioned table cannot have), and the same rows, with
# call records range-partitioned by month and every row in its month's partition.
source "$(dirname "$0")/lib.sh"
DB=$(example_db)
md_start
load_example mariadb md_createdb examples/mariadb/voipgrow.sql
lite() { sqlite3 -bail "$DB" "$@"; }
# md SQL: the rows of SQL run in voipgrow, fields separated by tabs, nothing escaped.
md() { md_client --batch --raw --skip-column-names voipgrow -e "$1"; }
server() { md "$1"; }
SERVER=MariaDB
US=$'\x1f'
# Names in MariaDB's order by bytes, as SQLite orders them.
by() { echo "CAST($1 AS BINARY)"; }
IS="TABLE_SCHEMA = 'voipgrow'"
# only WHAT LINES QUERY: QUERY gives exactly LINES.
only() {
  local got
  got=$(md "$3")
  if [ "$got" = "$2" ]; then ok "$1"; else fail "$1: '$(echo "$got" | tr '\n' ' ')', expected '$(echo "$2" | tr '\n' ' ')'"; fi
}

same_as_example tables "$EXAMPLE_TABLES" \
  "SELECT TABLE_NAME FROM information_schema.TABLES WHERE $IS ORDER BY $(by TABLE_NAME)"
only "every table is InnoDB in utf8mb4_unicode_ci" "InnoDB utf8mb4_unicode_ci" \
  "SELECT DISTINCT CONCAT(ENGINE, ' ', TABLE_COLLATION) FROM information_schema.TABLES WHERE $IS"
# Columns in order, with their type (SQLite's INTEGER is INT, its TEXT TEXT or VARCHAR), NOT
# NULL and default (a column that may be NULL has the default NULL in MariaDB, none in SQLite).
same_as_example "columns, types, NOT NULL and defaults" "$EXAMPLE_COLUMNS" \
  "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ',
                 CASE WHEN COLUMN_TYPE = 'int(11)' THEN 'integer'
                      WHEN DATA_TYPE IN ('text', 'varchar') THEN 'text' ELSE COLUMN_TYPE END,
                 IF(IS_NULLABLE = 'NO', ' not null', ''),
                 IF(COLUMN_DEFAULT IS NULL OR COLUMN_DEFAULT = 'NULL', '',
                    CONCAT(' default ', COLUMN_DEFAULT)))
   FROM information_schema.COLUMNS WHERE $IS ORDER BY $(by TABLE_NAME), ORDINAL_POSITION"
only "the text columns are utf8mb4_unicode_ci" "utf8mb4_unicode_ci" \
  "SELECT DISTINCT COLLATION_NAME FROM information_schema.COLUMNS WHERE $IS AND COLLATION_NAME IS NOT NULL"
# The primary keys: call_records' has started_at too, the partition column.
same_as_example "primary keys" \
  "SELECT m.name || ' (' || (SELECT group_concat(name, ', ') FROM pragma_table_info(m.name) WHERE pk > 0) || ')'
   FROM sqlite_master m WHERE m.type = 'table' ORDER BY 1" \
  "SELECT line FROM (
     SELECT CONCAT(TABLE_NAME, ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ', '), ')') AS line
     FROM information_schema.STATISTICS WHERE $IS AND INDEX_NAME = 'PRIMARY' GROUP BY TABLE_NAME) k
   ORDER BY $(by line)" \
  "call_records (id)" "call_records (id, started_at)"
# UNIQUE constraints and the indexes made by hand, with their columns; InnoDB indexes the
# columns of a foreign key that no index leads with.
same_as_example "unique keys and indexes" "$EXAMPLE_INDEXES" \
  "SELECT line FROM (
     SELECT CONCAT(TABLE_NAME, ' ', IF(NON_UNIQUE = 0, 'unique', INDEX_NAME), ' (',
                   GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ', '), ')') AS line
     FROM information_schema.STATISTICS WHERE $IS AND INDEX_NAME <> 'PRIMARY'
     GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE) k
   ORDER BY $(by line)" \
  "" "credit_checks customer_id (customer_id)
disputes customer_id (customer_id)
subscriptions product (product)"
# Foreign keys, but call_records.subscription_id's and call_recordings.call_record_id's:
# MariaDB has no foreign key from or to a partitioned table.
same_as_example "foreign keys" "$EXAMPLE_FOREIGN_KEYS" \
  "SELECT line FROM (
     SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' -> ', REFERENCED_TABLE_NAME, '.',
                   REFERENCED_COLUMN_NAME) AS line
     FROM information_schema.KEY_COLUMN_USAGE WHERE $IS AND REFERENCED_TABLE_NAME IS NOT NULL) k
   ORDER BY $(by line)" \
  "call_recordings.call_record_id -> call_records.id
call_records.subscription_id -> subscriptions.id"
lite "$EXAMPLE_TABLES" > "$WORK/tables.sqlite"

# The same rows in every table.
while read -r table; do
  # MariaDB's header, and its rows as one field each: the columns joined by US, NULL as \N.
  COLUMNS="FROM information_schema.COLUMNS WHERE $IS AND TABLE_NAME = '$table'"
  read -r first fields < <(md "SELECT (SELECT COLUMN_NAME $COLUMNS AND ORDINAL_POSITION = 1),
    GROUP_CONCAT('IFNULL(\`', COLUMN_NAME, '\`, ', QUOTE(CONCAT(CHAR(92), 'N')), ')' ORDER BY ORDINAL_POSITION)
    $COLUMNS")
  {
    md "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR '$US') $COLUMNS"
    md "SELECT CONCAT_WS('$US', $fields) FROM \`$table\` ORDER BY \`$first\`"
  } > "$WORK/rows.md"
  same_rows "$table" "$WORK/rows.md"
  # An id numbered by the database goes on after the example's rows, as in SQLite.
  if [ "$(lite "SELECT count(*) FROM pragma_table_info('$table') WHERE name = 'id'")" = 1 ]; then
    next=$(md "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE $IS AND TABLE_NAME = '$table'")
    if [ "$next" = "$(lite "SELECT max(id) + 1 FROM \"$table\"")" ]; then
      ok "$table: new ids follow the example's"
    else
      fail "$table: the next AUTO_INCREMENT id is '$next', not the one after the highest id"
    fi
  fi
done < "$WORK/tables.sqlite"

# call_records: partitioned by RANGE COLUMNS of started_at, a partition a month that holds
# calls and a last MAXVALUE one, and every row in the partition of its month.
only "call_records is partitioned by RANGE COLUMNS (started_at), MAXVALUE last" \
  "RANGE COLUMNS \`started_at\` MAXVALUE" \
  "SELECT CONCAT_WS(' ', PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION) FROM information_schema.PARTITIONS
   WHERE $IS AND TABLE_NAME = 'call_records' ORDER BY PARTITION_ORDINAL_POSITION DESC LIMIT 1"
md "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE $IS AND TABLE_NAME = 'call_records'
    ORDER BY PARTITION_ORDINAL_POSITION" > "$WORK/partitions"
misplaced=""
while read -r partition; do
  misplaced+="${misplaced:+ UNION ALL }SELECT COUNT(*) AS n FROM call_records PARTITION ($partition)
    WHERE CONCAT('p', REPLACE(LEFT(started_at, 7), '-', '_')) <> '$partition'"
done < "$WORK/partitions"
misplaced=$(md "SELECT SUM(n) FROM ($misplaced) x")
expect_equal "every call record is in the partition of its month ($(wc -l < "$WORK/partitions") partitions)" \
  "$misplaced" 0
only "every month of calls has its partition" "" \
  "SELECT DISTINCT CONCAT('p', REPLACE(LEFT(started_at, 7), '-', '_')) AS p FROM call_records
   WHERE CONCAT('p', REPLACE(LEFT(started_at, 7), '-', '_')) NOT IN
     (SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE $IS AND TABLE_NAME = 'call_records')"
finish
