# Shared by ops/backup.sh and ops/restore.sh (sourced, not run).
#
# PostgreSQL's own tools must be of the same major version as the server: a dump made
# by a newer pg_dump may not be readable by the server's pg_restore, and an older
# pg_dump refuses a newer server. The server is asked for its version and the tools
# are taken from /usr/lib/postgresql/<version>/bin (Debian/Ubuntu), or from PG_BIN.

die() {
    printf 'fel: %s\n' "$*" >&2
    exit 1
}

require_env() {
    [ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL saknas (samma värde som LedMot körs med)"
    case "$DATABASE_URL" in
        postgres://* | postgresql://*) ;;
        *) die "DATABASE_URL måste vara en PostgreSQL-adress (postgres://…)" ;;
    esac
    [ -n "${MEDIA_ROOT:-}" ] || die "MEDIA_ROOT saknas (samma värde som LedMot körs med)"
}

# Any psql will do to ask the server its version.
any_psql() {
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN/psql"
    elif command -v psql >/dev/null; then
        command -v psql
    else
        local found
        found="$(compgen -G '/usr/lib/postgresql/*/bin/psql' | sort -V | tail -n 1 || true)"
        [ -n "$found" ] || die "psql saknas; installera postgresql-client eller sätt PG_BIN"
        echo "$found"
    fi
}

# Sets PG_BIN to the directory with pg_dump/pg_restore/psql of the server's version.
find_pg_bin() {
    local psql server_num major tool_major
    psql="$(any_psql)"
    server_num="$("$psql" -X -Atc 'SHOW server_version_num' "$DATABASE_URL")" \
        || die "kan inte ansluta till databasen"
    major=$((server_num / 10000))
    if [ -z "${PG_BIN:-}" ]; then
        if [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ]; then
            PG_BIN="/usr/lib/postgresql/$major/bin"
        else
            die "pg_dump för PostgreSQL $major saknas; installera postgresql-client-$major eller sätt PG_BIN"
        fi
    fi
    tool_major="$("$PG_BIN/pg_dump" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
    [ "$tool_major" = "$major" ] \
        || die "pg_dump i $PG_BIN är version $tool_major men servern är version $major"
}
