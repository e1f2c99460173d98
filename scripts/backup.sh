#!/usr/bin/env bash
# Backs up the database (pg_dump, custom format) and every stored file (a .tar.gz made through Django's
# storage, so from MEDIA_ROOT or from the object storage bucket, whichever the settings use) into one folder.
# Run it with the application's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, DJANGO_MEDIA_ROOT or
# OBJECT_STORAGE_BUCKET and the AWS_* variables; README "Topology"), from the project folder:
#   scripts/backup.sh /backups
# Run it from cron (daily, say) on a host that can reach the database and the storage; keep copies off the
# host. The files are copied after the dump, so every file the dump refers to is in the archive.
# Restore: scripts/restore-check.sh proves a backup restores; see README "Backups" for a real restore.
set -euo pipefail
target="${1:?usage: scripts/backup.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must point to the PostgreSQL database}"
python="${PYTHON:-python3}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
dump="$target/grants-$stamp.dump"
# Custom format: compressed, and pg_restore can restore it table by table or in parallel.
pg_dump --format=custom --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
files="$target/files-$stamp.tar.gz"
"$python" manage.py backup_files "$files" >&2
echo "$dump"
echo "$files"
