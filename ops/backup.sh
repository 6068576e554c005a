#!/usr/bin/env bash
# Säkerhetskopia av en LedMot-installation: databasen och filerna i MEDIA_ROOT.
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/ledmot/media ops/backup.sh /var/backups/ledmot
#
# Skapar en ny katalog /var/backups/ledmot/ledmot-ÅÅÅÅMMDD-TTMMSS med
#   ledmot.dump    databasen (pg_dump -Fc, PostgreSQL:s eget format)
#   media.tar.gz   filerna i MEDIA_ROOT (rapport-PDF:erna som fullmäktige fick, importer)
#   media.sha256   kontrollsumma för varje fil i MEDIA_ROOT
#   SHA256SUMS     kontrollsummor för de tre filerna ovan
# och skriver ut katalogens sökväg. Katalogen får sitt namn först när allt är skrivet,
# så en avbruten kopia syns som *.pagar och aldrig som en hel kopia.
#
# Databasen kopieras före filerna: filer läggs bara till (en PDF skrivs innan raden som
# pekar på den), så varje fil som databaskopian pekar på finns också i filkopian.
set -euo pipefail

# shellcheck source=ops/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -eq 1 ] || die "användning: ops/backup.sh KATALOG"
require_env
find_pg_bin

target_root="$1"
mkdir -p "$target_root"
name="ledmot-$(date +%Y%m%d-%H%M%S)"
work="$target_root/$name.pagar"
final="$target_root/$name"
[ ! -e "$final" ] || die "$final finns redan"
rm -rf "$work"
mkdir -m 700 "$work"

"$PG_BIN/pg_dump" --format=custom --file="$work/ledmot.dump" "$DATABASE_URL"

if [ -d "$MEDIA_ROOT" ]; then
    (cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) \
        >"$work/media.sha256"
    tar -C "$MEDIA_ROOT" -czf "$work/media.tar.gz" .
else
    # A new installation may not have made any file yet.
    : >"$work/media.sha256"
    tar -czf "$work/media.tar.gz" --files-from /dev/null
fi

(cd "$work" && sha256sum ledmot.dump media.tar.gz media.sha256 >SHA256SUMS)
mv "$work" "$final"
echo "$final"
