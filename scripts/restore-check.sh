#!/usr/bin/env bash
# Proves that a backup restores: restores the dump into a scratch database on the same server, compares the
# row count of every table with the database it came from, checks that no migration is missing, checks that
# every file the restored database refers to is in the files archive (when given), and drops the scratch
# database again.
#   DATABASE_URL=postgres://user@host:5432/grants scripts/restore-check.sh /backups/grants-….dump \
#     /backups/files-….tar.gz
# Compare against the live database only right after the backup (rows change meanwhile); otherwise
# the counts are printed for a person to judge.
set -euo pipefail
dump="${1:?usage: scripts/restore-check.sh DUMP_FILE [FILES_ARCHIVE]}"
files="${2:-}"
: "${DATABASE_URL:?DATABASE_URL must point to the database the dump came from}"
python="${PYTHON:-python3}"
server="${DATABASE_URL%/*}"
scratch="restore_check_$$"

psql -q "$server/postgres" -c "CREATE DATABASE $scratch"
trap 'psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $scratch" >/dev/null 2>&1 || true' EXIT
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$server/$scratch" "$dump"

row_counts() {
  psql -At "$1" <<'SQL'
SELECT format('%s %s', table_name,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name),
                                              false, true, '')))[1]::text)
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
}
source_counts="$(row_counts "$DATABASE_URL")"
restored_counts="$(row_counts "$server/$scratch")"
if [ "$source_counts" != "$restored_counts" ]; then
  echo "restore check FAILED: row counts differ (source < > restored)" >&2
  diff <(echo "$source_counts") <(echo "$restored_counts") >&2 || true
  exit 1
fi
DATABASE_URL="$server/$scratch" "$python" manage.py migrate --check >/dev/null
tables=$(echo "$restored_counts" | wc -l)
rows=$(echo "$restored_counts" | awk '{s += $2} END {print s}')
echo "restore check passed: $tables tables, $rows rows, no missing migrations"
if [ -n "$files" ]; then
  # Against the restored database: what it refers to must be in the archive.
  DATABASE_URL="$server/$scratch" "$python" manage.py restore_files --check "$files"
fi
