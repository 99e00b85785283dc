# tests/pg-lib.sh — a throwaway PostgreSQL for the tests (REGION.md §1), sourced after
# lib.sh (and sync-lib.sh, which sources it itself when INLOOP_TEST_STORE=pg).
#   pg_init NAME [durable]   initdb in its own temp folder (a Unix socket there, no TCP
#                            port); "durable" keeps fsync on (else off: logic tests)
#   pg_start NAME / pg_stop NAME / pg_kill NAME (SIGKILL of the postmaster and children)
#   pg_schema NAME TENANT... sync/casestore/store_pg.sql, then CALL inloop.add_tenant per tenant
#   pg_url NAME ROLE [EXTRA] a postgresql:// URL (EXTRA: more &key=value)
#   pg_sql NAME [ROLE] SQL   psql -XAtq, ON_ERROR_STOP (ROLE: default the superuser)
#   pg_standby NAME PRIMARY  a synchronous streaming standby of PRIMARY; pg_promote NAME
#   pg_copy_sqlite ROOT      an SQLite file with ROOT's rows, columns as the SQLite store's
# As root (CI) the server runs as nobody: initdb and postgres refuse root. Every cluster
# still running when the test ends is stopped by the EXIT trap, before its folder goes.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
_pg_names=""
_pg_port=5432
trap '_sync_cleanup 2>/dev/null; _pg_cleanup; rm -rf "$T"' EXIT

_pg_as() {
	if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

# the folder of cluster NAME (short: a socket path must stay under 107 bytes)
_pg_dir() { eval echo "\${_pg_dir_$1:-}"; }
_pg_portof() { eval echo "\${_pg_port_$1:-}"; }

_pg_cleanup() {
	for _pgn in $_pg_names; do
		_pgd=$(_pg_dir "$_pgn")
		[ -f "$_pgd/data/postmaster.pid" ] && _pg_as "$PG_BIN/pg_ctl" -D "$_pgd/data" -m immediate -w stop >/dev/null 2>&1
		rm -rf "$_pgd"
	done
}

pg_init() { # NAME [durable]
	[ -x "$PG_BIN/initdb" ] || { echo "# no PostgreSQL server (Debian package postgresql)"; return 1; }
	_pgd=$(mktemp -d /tmp/inloop-pg.XXXXXX) || return 1
	chmod 755 "$_pgd"; mkdir "$_pgd/sock"
	[ "$(id -u)" = 0 ] && chown -R nobody "$_pgd"
	_pg_port=$((_pg_port + 1))
	eval "_pg_dir_$1=$_pgd; _pg_port_$1=$_pg_port"
	_pg_names="$_pg_names $1"
	_pgsync=--no-sync; [ "${2:-}" = durable ] && _pgsync=""
	_pg_as "$PG_BIN/initdb" -D "$_pgd/data" -U inloop_admin --auth-local=trust --auth-host=reject \
		-E UTF8 --locale=C -k $_pgsync >"$_pgd/initdb.log" 2>&1 || { sed 's/^/# initdb: /' "$_pgd/initdb.log"; return 1; }
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$_pgd/sock'"
		echo "port = $_pg_port"
		echo "max_connections = 200"
		echo "wal_retrieve_retry_interval = '100ms'"
		if [ "${2:-}" = durable ]; then echo "fsync = on"; echo "synchronous_commit = on"
		else echo "fsync = off"; fi
	} >>"$_pgd/data/postgresql.conf"
}

pg_start() { # NAME
	_pgd=$(_pg_dir "$1")
	_pg_as "$PG_BIN/pg_ctl" -D "$_pgd/data" -l "$_pgd/log" -w -t 30 start >/dev/null 2>&1 ||
		{ tail -5 "$_pgd/log" | sed 's/^/# postgres: /'; return 1; }
}

pg_stop() { _pgd=$(_pg_dir "$1"); _pg_as "$PG_BIN/pg_ctl" -D "$_pgd/data" -m fast -w stop >/dev/null 2>&1; }

pg_kill() { # NAME: SIGKILL the postmaster and every backend (a crash of the machine's database)
	_pgd=$(_pg_dir "$1")
	_pgpid=$(head -1 "$_pgd/data/postmaster.pid" 2>/dev/null)
	[ -n "$_pgpid" ] || return 1
	_pgkids=$(pgrep -P "$_pgpid")
	kill -KILL "$_pgpid" $_pgkids 2>/dev/null
	while kill -0 "$_pgpid" 2>/dev/null; do sleep 0.05; done
	return 0
}

# the connection parameters of NAME as ROLE, key=value form for psql
_pg_conn() { echo "host=$(_pg_dir "$1")/sock port=$(_pg_portof "$1") user=$2 dbname=${3:-inloop}"; }

pg_sql() { # NAME [ROLE] SQL
	_pgn=$1; shift
	if [ $# -ge 2 ]; then _pgr=$1; shift; else _pgr=inloop_admin; fi
	psql "$(_pg_conn "$_pgn" "$_pgr")" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

pg_url() { # NAME ROLE [EXTRA]
	echo "postgresql:///inloop?host=$(_pg_dir "$1")/sock&port=$(_pg_portof "$1")&user=$2${3:+&$3}"
}

pg_schema() { # NAME TENANT...
	_pgn=$1; shift
	psql "$(_pg_conn "$_pgn" inloop_admin postgres)" -XAtq -c "CREATE DATABASE inloop" >/dev/null || return 1
	psql "$(_pg_conn "$_pgn" inloop_admin)" -XAtq -v ON_ERROR_STOP=1 -f "$TOP/sync/casestore/store_pg.sql" >/dev/null || return 1
	for _pgt in "$@"; do pg_sql "$_pgn" "CALL inloop.add_tenant('$_pgt')" || return 1; done
}

pg_standby() { # NAME PRIMARY: a streaming standby of PRIMARY (pg_basebackup, its own slot),
	# started, then made PRIMARY's synchronous standby (REGION.md §3: only once it runs)
	_pgd=$(mktemp -d /tmp/inloop-pg.XXXXXX) || return 1
	chmod 755 "$_pgd"; mkdir "$_pgd/sock"
	[ "$(id -u)" = 0 ] && chown -R nobody "$_pgd"
	_pg_port=$((_pg_port + 1))
	eval "_pg_dir_$1=$_pgd; _pg_port_$1=$_pg_port"
	_pg_names="$_pg_names $1"
	_pg_as "$PG_BIN/pg_basebackup" -h "$(_pg_dir "$2")/sock" -p "$(_pg_portof "$2")" -U inloop_admin \
		-D "$_pgd/data" -R -X stream -C -S "$1" -c fast >"$_pgd/basebackup.log" 2>&1 ||
		{ sed 's/^/# pg_basebackup: /' "$_pgd/basebackup.log"; return 1; }
	{
		echo "port = $_pg_port"
		echo "unix_socket_directories = '$_pgd/sock'"
		echo "cluster_name = '$1'"
		echo "synchronous_standby_names = ''"   # once promoted it must not wait for itself
	} >>"$_pgd/data/postgresql.conf"
	pg_start "$1" || return 1
	pg_sql "$2" "ALTER SYSTEM SET synchronous_standby_names = '$1'" >/dev/null &&
		pg_sql "$2" "SELECT pg_reload_conf()" >/dev/null || return 1
	_pgn=0
	while [ $_pgn -lt 100 ]; do
		[ "$(pg_sql "$2" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$1'")" = sync ] && return 0
		sleep 0.1; _pgn=$((_pgn + 1))
	done
	echo "# $1 never became a synchronous standby"; return 1
}

pg_promote() { _pgd=$(_pg_dir "$1"); _pg_as "$PG_BIN/pg_ctl" -D "$_pgd/data" -w -t 30 promote >/dev/null 2>&1; }

pg_copy_sqlite() { # ROOT: prints the path of a fresh SQLite copy of ROOT's PostgreSQL rows
	# (read through ROOT/office/store.url: that municipality's rows)
	_db="$T/pgcopy.$$.sqlite"
	rm -f "$_db"
	{
		echo "CREATE TABLE records(id TEXT PRIMARY KEY NOT NULL, device TEXT NOT NULL,"
		echo " received_at INTEGER NOT NULL, size INTEGER NOT NULL, body BLOB NOT NULL,"
		echo " contacted TEXT, sha256 BLOB); BEGIN;"
		psql "$(cat "$1/office/store.url")" -XAtq -v ON_ERROR_STOP=1 -c "SELECT format(
			'INSERT INTO records VALUES(%L,%L,%s,%s,x%L,%L,x%L);', id, device,
			extract(epoch FROM received_at)::bigint, length(envelope), encode(envelope, 'hex'),
			to_char(contacted, 'YYYY-MM-DD'), encode(sha256, 'hex')) FROM inloop.records ORDER BY seq"
		echo "COMMIT;"
	} | sqlite3 "$_db"
	echo "$_db"
}

# ---- INLOOP_TEST_STORE=pg: the sync tests' case stores on PostgreSQL ----------------
# pki ROOT makes the demo PKI as before, and points ROOT/casestore and ROOT/office at a
# tenant of their own on one cluster (casestore/store.url, office/store.url). store_db
# ROOT copies that tenant's rows (read through the office's role, so row-level security
# picks them) into an SQLite file of the SQLite store's columns, so the tests' SQL reads
# both backends alike.
if [ "${INLOOP_TEST_STORE:-sqlite}" = pg ]; then
_pg_tenants=0
pki() {
	"$B/inloopctl" init-demo "$1" >"$T/init.out" 2>&1 || {
		echo "not ok 1 - inloopctl init-demo"; sed 's/^/# /' "$T/init.out"; echo "1..1"; exit 1; }
	if [ -z "$(_pg_dir main)" ]; then
		{ pg_init main && pg_start main && pg_schema main; } >"$T/pg.out" 2>&1 || {
			echo "not ok 1 - a PostgreSQL for the test"; sed 's/^/# /' "$T/pg.out"; echo "1..1"; exit 1; }
	fi
	_pg_tenants=$((_pg_tenants + 1))
	pg_sql main "CALL inloop.add_tenant('t$_pg_tenants')" >/dev/null
	pg_url main "casestore_t$_pg_tenants" >"$1/casestore/store.url"
	pg_url main "office_t$_pg_tenants" >"$1/office/store.url"
}

store_db() { pg_copy_sqlite "$@"; }
fi
