#!/usr/bin/env bash
# The school server of docs/school-setup.md, done on a PostgreSQL server:
#
#   tools/school-server-setup.sh --check    create the role and database with the guide's SQL,
#                                           connect the program as that (non-superuser) role
#                                           through a machine-wide configuration file, create
#                                           the first administrator and sign in, make the
#                                           program's backup and a pg_dump as documented,
#                                           check them, then remove all of it
#
# The server: SUPERUSER_URL (a superuser's libpq address; default
# postgresql://postgres@127.0.0.1:5432/postgres). The program: DIGCOMP_APP (default
# digcomp-app). psql, pg_dump and pg_restore must be on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--check" ]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

superuser_url="${SUPERUSER_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
read -r -a app <<< "${DIGCOMP_APP:-digcomp-app}"
suffix="$(date +%s)_$$"
role="digcomp_app_t$suffix"
database="digcomp_t$suffix"
password="pw-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d)"

# the server's host and port, from the superuser's address
hostport="$(psql "$superuser_url" -Atc "SELECT coalesce(inet_server_addr()::text, 'localhost') || ':' || current_setting('port')")"
host="${hostport%:*}"
host="${host%/*}"
port="${hostport##*:}"

cleanup() {
    psql "$superuser_url" -q -v ON_ERROR_STOP=0 \
        -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }

step "1. the role and the database (the guide's SQL, names made unique)"
# The first sql block of the guide, verbatim but for the names and the password.
sed -n '/^```sql$/,/^```$/{/^```/d;p}' docs/school-setup.md \
    | sed -e "s/digcomp_app/$role/g" -e "s/\\bdigcomp\\b/$database/g" \
          -e "s/'change-me'/'$password'/" > "$work/setup.sql"
grep -q "CREATE ROLE $role" "$work/setup.sql"
psql "$superuser_url" -q -v ON_ERROR_STOP=1 -f "$work/setup.sql"
test "$(psql "$superuser_url" -Atc "SELECT rolsuper FROM pg_roles WHERE rolname = '$role'")" = f
test "$(psql "$superuser_url" -Atc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$database'")" = "$role"
echo "role $role (not a superuser) owns database $database"

ssl="$(psql "$superuser_url" -Atc 'SHOW ssl')"
if [ "$ssl" = on ]; then sslmode=require; else sslmode=disable; fi
echo "TLS: the server has ssl=$ssl; the program connects with sslmode=$sslmode"
url="postgresql://$role:$password@$host:$port/$database?sslmode=$sslmode"

step "2. the machine-wide configuration file of the 30 PCs, pointing at the server"
cat > "$work/config.ini" <<INI
[locked]
database_url = $url
idle_lock_minutes = 10
[defaults]
language = lv
verification_address = https://www.school.example/apliecinajumi/
INI
export DIGCOMP_MACHINE_CONFIG="$work/config.ini"
export DIGCOMP_SETTINGS="$work/user-settings.ini"
unset DIGCOMP_DATABASE_URL

step "3. the program as the role: tables created, the first administrator, signing in"
DIGCOMP_NEW_PASSWORD="first admin password" "${app[@]}" --language en setup admin 2>"$work/err" \
    || { cat "$work/err"; exit 1; }
if [ -s "$work/err" ]; then cat "$work/err"; exit 1; fi  # no warning about the file
DIGCOMP_PASSWORD="first admin password" "${app[@]}" --language en --user admin users list \
    | tee "$work/users.txt"
grep -q admin "$work/users.txt"
role_url="postgresql://$role@$host:$port/$database?sslmode=$sslmode"
owner="$(PGPASSWORD="$password" psql "$role_url" -Atc "SELECT tableowner FROM pg_tables WHERE tablename = 'users'")"
test "$owner" = "$role"
echo "the program's tables belong to $role"

step "4. backups: the program's own, and pg_dump as documented"
DIGCOMP_PASSWORD="first admin password" DIGCOMP_BACKUP_PASSPHRASE="a long backup passphrase" \
    "${app[@]}" --language en --user admin backup "$work/school.backup"
test -s "$work/school.backup"
PGPASSWORD="$password" pg_dump --format=custom --file="$work/digcomp-$(date +%F).dump" "$role_url"
pg_restore --list "$work/digcomp-$(date +%F).dump" > "$work/dump.list"
grep -q "TABLE DATA public users $role" "$work/dump.list"
echo "pg_dump: $(grep -c 'TABLE DATA' "$work/dump.list") tables of data"

step "done: removing the test role and database"
