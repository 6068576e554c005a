#!/usr/bin/env bash
# Återställ en säkerhetskopia från ops/backup.sh till en tom databas och en tom MEDIA_ROOT.
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/ledmot/media ops/restore.sh /var/backups/ledmot/ledmot-…
#
# Kontrollerar först kopians kontrollsummor, vägrar om databasen eller MEDIA_ROOT inte
# är tomma, läser in databasen i en enda transaktion (pg_restore) och packar upp
# filerna, och kontrollerar sist varje återställd fil mot media.sha256.
set -euo pipefail

# shellcheck source=ops/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -eq 1 ] || die "användning: ops/restore.sh KOPIANS-KATALOG"
require_env
backup="$(cd "$1" && pwd)" || die "$1 finns inte"

echo "Kontrollerar säkerhetskopian i $backup"
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || die "kopian är skadad (SHA256SUMS stämmer inte)"

find_pg_bin
tables="$("$PG_BIN/psql" -X -Atc \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')" "$DATABASE_URL")"
[ "$tables" = "0" ] || die "databasen är inte tom ($tables tabeller); återställ bara till en ny, tom databas"
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    die "MEDIA_ROOT ($MEDIA_ROOT) är inte tom"
fi

echo "Läser in databasen"
"$PG_BIN/pg_restore" --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$DATABASE_URL" "$backup/ledmot.dump"

echo "Packar upp filerna till $MEDIA_ROOT"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
files="$(wc -l <"$backup/media.sha256")"
if [ "$files" -gt 0 ]; then
    (cd "$MEDIA_ROOT" && sha256sum --quiet -c "$backup/media.sha256") \
        || die "filerna i MEDIA_ROOT stämmer inte med media.sha256"
fi
echo "Klart: databasen och $files filer återställda och kontrollerade"
