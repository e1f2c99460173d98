#!/usr/bin/env bash
# Backs up the database (pg_dump, custom format) and the uploaded files (tar) into one folder.
#   DATABASE_URL=postgres://user@host:5432/grants DJANGO_MEDIA_ROOT=/srv/grants/media scripts/backup.sh /backups
# Run it from cron (daily, say) on a host that can reach the database; keep copies off the host.
# Restore: scripts/restore-check.sh proves a dump restores; see README "Backups" for a real restore.
set -euo pipefail
target="${1:?usage: scripts/backup.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must point to the PostgreSQL database}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
dump="$target/grants-$stamp.dump"
# Custom format: compressed, and pg_restore can restore it table by table or in parallel.
pg_dump --format=custom --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
if [ -n "${DJANGO_MEDIA_ROOT:-}" ] && [ -d "$DJANGO_MEDIA_ROOT" ]; then
  tar -czf "$target/media-$stamp.tar.gz" -C "$DJANGO_MEDIA_ROOT" .
fi
echo "$dump"
