/*
 * store_pg.c — the PostgreSQL backend of store.h, through libpq: a region's case store
 * in one database (schema: sync/casestore/store_pg.sql), shared by several stateless front-ends.
 *
 * What is stored where, and who may see it, is the database's to decide: the id is the
 * primary key and inloop.put_record() inserts with ON CONFLICT and then compares, so two
 * front-ends that receive the same record at once store it once (200 for the same bytes,
 * 409 for others); row-level security keeps each municipality's rows to its own roles.
 * The C code never names a tenant: the role it logs in as does.
 *
 * A put is acknowledged only after a durable commit: every connection sets
 * synchronous_commit=on, a put counts only when the statement returned its row, the
 * connection is still good and back in idle (so the implicit transaction committed),
 * and no WARNING came with it (a cancelled wait for the synchronous standby commits
 * locally and says so only in a WARNING; REGION.md §3).
 *
 * Two ways in: the store.h functions (blocking, one connection: the back office, the
 * office, tests) and the pool (store_pool_*: worker threads for the server's event loop).
 */
#include "sync/casestore/store_backend.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PUT_SQL "SELECT inloop.put_record($1::uuid, $2, $3)"
#define ROW_COLS "id::text, device, extract(epoch FROM received_at)::bigint, envelope," \
		 " to_char(contacted, 'YYYY-MM-DD')"
#define GET_SQL "SELECT " ROW_COLS " FROM inloop.records WHERE id = $1::uuid"
#define LIST_SQL "SELECT " ROW_COLS " FROM inloop.records ORDER BY received_at, seq"
#define RECONNECT_MS 250
#define GROUP_MAX STORE_GROUP_MAX   /* puts a worker may commit together (group commit) */

/* One connection with what it saw: a WARNING since the flag was last cleared. */
struct pg_link {
	PGconn *conn;
	int warned;
};

struct store_pg {
	struct store base;        /* first: the operations */
	struct pg_link link;
	int in_txn;
};

static const struct store_ops pg_ops;

/* ------------------------------------------------------------------ one connection */

/* libpq's notices: a WARNING marks the statement under way as not acknowledged. Logged
 * by SQLSTATE and text (the server's words; they hold no envelope bytes). */
static void on_notice(void *arg, const PGresult *res)
{
	struct pg_link *l = arg;
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	if (!sev || strcmp(sev, "WARNING"))
		return;
	l->warned = 1;
	fprintf(stderr, "case store: PostgreSQL warning %s: %s\n",
		PQresultErrorField(res, PG_DIAG_SQLSTATE) ?: "?", msg ? msg : "");
}

static int pg_error(PGconn *c, const char *what)
{
	const char *m = c ? PQerrorMessage(c) : "out of memory";
	int n = (int)strcspn(m, "\n");

	return error("case store (PostgreSQL): %s: %.*s", what, n, m);
}

/* Runs sql (no parameters) and wants status want; -1 with an error otherwise. */
static int pg_exec(PGconn *c, const char *sql, ExecStatusType want)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == want;

	if (!ok)
		pg_error(c, sql);
	PQclear(r);
	return ok ? 0 : -1;
}

/* This role's municipality; -1 with a clear error when the schema or the role is missing. */
static int check_tenant(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT inloop.current_tenant(), current_user");
	int rc = -1;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		pg_error(c, "the inloop schema (run sync/casestore/store_pg.sql first)");
	else if (PQgetisnull(r, 0, 0))
		error("case store (PostgreSQL): the role %s belongs to no municipality"
		      " (CALL inloop.add_tenant('CODE') makes casestore_CODE and office_CODE)",
		      PQgetvalue(r, 0, 1));
	else
		rc = 0;
	PQclear(r);
	return rc;
}

/* PQprepare's result must be checked and cleared: this wraps it. */
static int prepare_one(PGconn *c, const char *name, const char *sql, int n)
{
	PGresult *r = PQprepare(c, name, sql, n, NULL);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		pg_error(c, "prepare");
	PQclear(r);
	return ok ? 0 : -1;
}

/* Connects l to url: durable commits, the schema, a municipality for this role, the
 * prepared statements. 0 when ready, else -1 (l->conn NULL; quiet: no error printed). */
static int link_connect(struct pg_link *l, const char *url, int quiet)
{
	l->conn = PQconnectdb(url);
	l->warned = 0;
	if (PQstatus(l->conn) != CONNECTION_OK) {
		if (!quiet)
			pg_error(l->conn, "cannot connect");
		goto fail;
	}
	PQsetNoticeReceiver(l->conn, on_notice, l);
	if (pg_exec(l->conn, "SET synchronous_commit TO on", PGRES_COMMAND_OK) < 0 ||
	    pg_exec(l->conn, "SET application_name TO 'inloop-casestore'", PGRES_COMMAND_OK) < 0 ||
	    check_tenant(l->conn) < 0 || prepare_one(l->conn, "put", PUT_SQL, 3) < 0 ||
	    prepare_one(l->conn, "get", GET_SQL, 1) < 0)
		goto fail;
	return 0;
fail:
	PQfinish(l->conn);
	l->conn = NULL;
	return -1;
}

/* 1 when the link is usable, no transaction left open, and nothing was warned about. */
static int link_clean(const struct pg_link *l)
{
	return PQstatus(l->conn) == CONNECTION_OK && !l->warned &&
	       PQtransactionStatus(l->conn) == PQTRANS_IDLE;
}

/* One put_record() on l. Outside a transaction it is its own, committed when this
 * returns anything but STORE_PUT_ERROR. */
static enum store_put_result link_put(struct pg_link *l, const char *id, const char *device,
				      const unsigned char *body, size_t len, int in_txn)
{
	const char *vals[3] = { id, device, (const char *)body };
	int lens[3] = { 0, 0, (int)len }, fmts[3] = { 0, 0, 1 };
	enum store_put_result res = STORE_PUT_ERROR;
	PGresult *r;
	int code;

	l->warned = 0;
	r = PQexecPrepared(l->conn, "put", 3, vals, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		pg_error(l->conn, "put_record");
		PQclear(r);
		return STORE_PUT_ERROR;
	}
	code = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!in_txn && !link_clean(l))
		return error("case store (PostgreSQL): put of %s not confirmed durable"
			     " (connection lost or a warning): not acknowledged", id), STORE_PUT_ERROR;
	switch (code) {
	case 201: res = STORE_PUT_CREATED; break;
	case 200: res = STORE_PUT_SAME; break;
	case 409: res = STORE_PUT_CONFLICT; break;
	case 422: res = STORE_PUT_DUPLICATE; break;
	default: error("case store (PostgreSQL): put_record said %d", code); break;
	}
	return res;
}

/* The answer of put_record()'s code. */
static enum store_put_result put_result(int code)
{
	switch (code) {
	case 201: return STORE_PUT_CREATED;
	case 200: return STORE_PUT_SAME;
	case 409: return STORE_PUT_CONFLICT;
	case 422: return STORE_PUT_DUPLICATE;
	default: return STORE_PUT_ERROR;
	}
}

enum group_outcome {
	GROUP_COMMITTED,      /* every job has its answer, durably committed */
	GROUP_ABORTED,        /* the transaction failed and rolled back: nothing stored */
	GROUP_UNSURE,         /* a warning (a cancelled wait for the standby): not acknowledged */
	GROUP_BROKEN,         /* the connection broke: any of them may have committed */
};

/* The next result of a pipeline: its status, the put code into *code when a put's row
 * came with it. Consumes the NULL that ends each query's results. */
static ExecStatusType pipe_result(PGconn *c, int *code)
{
	PGresult *r = PQgetResult(c);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (st == PGRES_TUPLES_OK && code && PQntuples(r) == 1)
		*code = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (st != PGRES_PIPELINE_SYNC && r)
		PQclear(PQgetResult(c));   /* the NULL after the query's result */
	return st;
}

/* Sends the n puts as one pipeline (sorted by id: two front-ends take row locks in the
 * same order, so two groups never deadlock) ending in one Sync: between Syncs the
 * statements are one transaction, committed at the Sync. 0 sent, -1 not. */
static int by_id(const void *a, const void *b)
{
	return strcmp((*(struct store_job *const *)a)->id, (*(struct store_job *const *)b)->id);
}

static int group_send(struct pg_link *l, struct store_job **jobs, int n)
{
	qsort(jobs, (size_t)n, sizeof(*jobs), by_id);
	if (PQenterPipelineMode(l->conn) != 1)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *vals[3] = { jobs[i]->id, jobs[i]->device, (const char *)jobs[i]->body };
		int lens[3] = { 0, 0, (int)jobs[i]->len }, fmts[3] = { 0, 0, 1 };
		if (PQsendQueryPrepared(l->conn, "put", 3, vals, lens, fmts, 0) != 1)
			return -1;
	}
	return PQpipelineSync(l->conn) == 1 ? 0 : -1;
}

/*
 * Group commit: n puts (n >= 2) in one transaction, so one durable commit answers them
 * all. A job's result is set only when the whole group committed (the Sync came back,
 * the connection is clean and nothing warned); otherwise the outcome says what the
 * caller may do: retry each alone (ABORTED, BROKEN: put_record is idempotent, a put that
 * had committed answers SAME) or answer 503 (UNSURE: committed locally, not confirmed).
 */
static enum group_outcome link_put_group(struct pg_link *l, struct store_job **jobs, int n)
{
	int codes[GROUP_MAX], failed = 0, sync = 0;

	l->warned = 0;
	if (n > GROUP_MAX || group_send(l, jobs, n) < 0) {
		pg_error(l->conn, "put_record group");
		if (PQpipelineStatus(l->conn) != PQ_PIPELINE_OFF)
			PQpipelineSync(l->conn);   /* so the results below end */
		failed = 1;
	}
	for (int i = 0; !failed && i < n; i++) {
		codes[i] = 0;
		if (pipe_result(l->conn, &codes[i]) != PGRES_TUPLES_OK || put_result(codes[i]) == STORE_PUT_ERROR)
			failed = 1;
	}
	/* read up to the Sync whatever happened, so the connection leaves pipeline mode clean */
	for (int guard = 0; PQstatus(l->conn) == CONNECTION_OK && !sync && guard < n + 2; guard++)
		sync = pipe_result(l->conn, NULL) == PGRES_PIPELINE_SYNC;
	if (PQpipelineStatus(l->conn) != PQ_PIPELINE_OFF && (!sync || PQexitPipelineMode(l->conn) != 1))
		return GROUP_BROKEN;
	if (PQstatus(l->conn) != CONNECTION_OK)
		return GROUP_BROKEN;
	if (l->warned)
		return error("case store (PostgreSQL): a group of %d puts warned: not acknowledged", n), GROUP_UNSURE;
	if (failed || !link_clean(l))
		return error("case store (PostgreSQL): a group of %d puts did not commit (%s): each is put alone",
			     n, failed ? PQerrorMessage(l->conn) : "not idle after it"), GROUP_ABORTED;
	for (int i = 0; i < n; i++)
		jobs[i]->result = put_result(codes[i]);
	return GROUP_COMMITTED;
}

/* The parts of one result row (columns of ROW_COLS) kept alive for a store_row. */
struct pg_row {
	PGresult *res;
	unsigned char *body;
};

static void pg_row_release(struct store_row *row)
{
	struct pg_row *pr = row->priv_;

	if (!pr)
		return;
	PQfreemem(pr->body);
	PQclear(pr->res);
	free(pr);
}

/* Fills row from row i of r (text format; the envelope unescaped into pr->body). */
static int fill_row(PGresult *r, int i, struct pg_row *pr, struct store_row *row)
{
	size_t len = 0;

	pr->body = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 3), &len);
	if (!pr->body)
		return error("out of memory");
	memset(row, 0, sizeof(*row));
	row->id = PQgetvalue(r, i, 0);
	row->device = PQgetvalue(r, i, 1);
	row->received_at = (time_t)strtoll(PQgetvalue(r, i, 2), NULL, 10);
	row->body = pr->body;
	row->len = len;
	row->contacted = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4);
	return 0;
}

/* Looks id up on l: 0 found (row filled, release with store_row_release), 1 absent (or
 * another municipality's: the policy hides it), -1 error. */
static int link_get(struct pg_link *l, const char *id, struct store_row *row)
{
	const char *vals[1] = { id };
	struct pg_row *pr;
	PGresult *r = PQexecPrepared(l->conn, "get", 1, vals, NULL, NULL, 0);

	memset(row, 0, sizeof(*row));
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return pg_error(l->conn, "get record");
	}
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 1;
	}
	pr = calloc(1, sizeof(*pr));
	if (!pr || fill_row(r, 0, pr, row) < 0) {
		free(pr);
		PQclear(r);
		return error("out of memory");
	}
	pr->res = r;
	row->priv_ = pr;
	row->release_ = pg_row_release;
	return 0;
}

/* ------------------------------------------------------------------ store.h, blocking */

static struct pg_link *link_of(struct store *s)
{
	return &((struct store_pg *)s)->link;
}

int store_pg_open(const char *url, int flags, struct store **out)
{
	struct store_pg *s = calloc(1, sizeof(*s));

	(void)flags;   /* the schema is the administrator's (store_pg.sql); roles limit writes */
	*out = NULL;
	if (!s)
		return error("out of memory");
	s->base.ops = &pg_ops;
	if (link_connect(&s->link, url, 0) < 0) {
		free(s);
		return -1;
	}
	*out = &s->base;
	return 0;
}

static void pg_close(struct store *s)
{
	PQfinish(link_of(s)->conn);
	free(s);
}

static int pg_begin(struct store *s)
{
	struct store_pg *p = (struct store_pg *)s;

	if (p->in_txn)
		return 0;
	if (pg_exec(p->link.conn, "BEGIN", PGRES_COMMAND_OK) < 0)
		return -1;
	p->in_txn = 1;
	p->link.warned = 0;
	return 0;
}

static void pg_rollback(struct store *s)
{
	struct store_pg *p = (struct store_pg *)s;

	if (PQtransactionStatus(p->link.conn) != PQTRANS_IDLE)
		pg_exec(p->link.conn, "ROLLBACK", PGRES_COMMAND_OK);
	p->in_txn = 0;
}

/* COMMIT, durable when it says so and warned of nothing (see the file's comment). */
static int pg_commit(struct store *s)
{
	struct store_pg *p = (struct store_pg *)s;
	PGresult *r;
	int ok;

	if (!p->in_txn)
		return 0;
	r = PQexec(p->link.conn, "COMMIT");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT") &&
	     link_clean(&p->link);
	PQclear(r);
	p->in_txn = 0;
	if (!ok) {
		pg_rollback(s);
		return pg_error(p->link.conn, "commit not confirmed durable");
	}
	return 0;
}

static int pg_in_transaction(const struct store *s)
{
	const struct store_pg *p = (const struct store_pg *)s;

	return p->in_txn && PQtransactionStatus(p->link.conn) != PQTRANS_IDLE;
}

static enum store_put_result pg_put(struct store *s, const char *id, const char *device,
				    const unsigned char *body, size_t len, time_t received)
{
	(void)received;   /* the database's clock: one for every front-end */
	return link_put(link_of(s), id, device, body, len, ((struct store_pg *)s)->in_txn);
}

static int pg_get(struct store *s, const char *id, struct store_row *row)
{
	return link_get(link_of(s), id, row);
}

static int pg_list(struct store *s, store_row_fn fn, void *arg)
{
	PGconn *c = link_of(s)->conn;
	PGresult *r = PQexecParams(c, LIST_SQL, 0, NULL, NULL, NULL, NULL, 0);
	struct store_row row;
	struct pg_row pr;
	int stop = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return pg_error(c, "list records");
	}
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		memset(&pr, 0, sizeof(pr));
		if (fill_row(r, i, &pr, &row) < 0) {
			stop = -1;
			break;
		}
		stop = fn(&row, arg);
		PQfreemem(pr.body);
	}
	PQclear(r);
	return stop;
}

static int pg_mark_contacted(struct store *s, const char *id, const char *date)
{
	PGconn *c = link_of(s)->conn;
	const char *vals[2] = { id, date };
	PGresult *r = PQexecParams(c, "UPDATE inloop.records SET contacted = $2::date"
				   " WHERE id = $1::uuid", 2, NULL, vals, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		rc = strcmp(PQcmdTuples(r), "1") == 0 ? 0 : 1;
	else
		pg_error(c, "mark contacted");
	PQclear(r);
	return rc;
}

static long long pg_count(struct store *s)
{
	PGconn *c = link_of(s)->conn;
	PGresult *r = PQexec(c, "SELECT count(*) FROM inloop.records");
	long long n = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		pg_error(c, "count");
	PQclear(r);
	return n;
}

/* The oldest transaction still running as this transaction's snapshot sees it, or -1. */
static long long snapshot_horizon(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text");
	long long h = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		h = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return h;
}

/*
 * Positions are transaction ids (xid8), not the arrival counter: front-ends commit in
 * any order, so a row with a lower counter may become visible after a higher one was
 * read. The new position is the oldest transaction still running when the rows were
 * read (every row of an older one is visible then); rows of transactions from there on
 * may come again on the next call (the office skips ids it knows).
 */
static int pg_list_since(struct store *s, long long *since, store_row_fn fn, void *arg)
{
	PGconn *c = link_of(s)->conn;
	char from[32];
	const char *vals[1] = { from };
	PGresult *r = NULL;
	struct store_row row;
	struct pg_row pr;
	long long horizon, txid;
	int stop = 0;

	/* one snapshot for the rows and the horizon: nothing commits between them unseen */
	if (pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK) < 0)
		return -1;
	snprintf(from, sizeof(from), "%lld", *since);
	r = PQexecParams(c, "SELECT " ROW_COLS ", txid::text FROM inloop.records"
			 " WHERE txid >= $1::xid8 ORDER BY txid, seq", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || (horizon = snapshot_horizon(c)) < 0) {
		stop = pg_error(c, "list records since");
		goto out;
	}
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		memset(&pr, 0, sizeof(pr));
		if (fill_row(r, i, &pr, &row) < 0) {
			stop = -1;
			break;
		}
		txid = strtoll(PQgetvalue(r, i, 5), NULL, 10);
		if (!(stop = fn(&row, arg)) && txid < horizon && txid > *since)
			*since = txid;   /* the next walk starts at this row's transaction again */
		PQfreemem(pr.body);
	}
	if (!stop && horizon > *since)
		*since = horizon;
out:
	PQclear(r);
	pg_exec(c, "COMMIT", PGRES_COMMAND_OK);
	return stop;
}

static int pg_erase(struct store *s, const char *id)
{
	PGconn *c = link_of(s)->conn;
	const char *vals[1] = { id };
	PGresult *r = PQexecParams(c, "SELECT inloop.erase_record($1::uuid)", 1, NULL, vals, NULL,
				   NULL, 0);
	int rc = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && link_clean(link_of(s)))
		rc = atoi(PQgetvalue(r, 0, 0));
	else
		pg_error(c, "erase record");
	PQclear(r);
	return rc;
}

static const struct store_ops pg_ops = {
	.close = pg_close, .begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback,
	.in_transaction = pg_in_transaction, .put = pg_put, .get = pg_get, .list = pg_list,
	.mark_contacted = pg_mark_contacted, .count = pg_count, .list_since = pg_list_since,
	.erase = pg_erase,
};

/* ------------------------------------------------------------------ the pool */

struct pg_worker {
	struct store_pool *pool;
	struct pg_link link;
	pthread_t th;
	int started;
};

struct store_pool {
	char *url;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* a job queued, or stop */
	struct store_job *head, *tail, *done;
	int busy;                 /* queued + running */
	int live;                 /* workers holding a connection */
	int stop;
	int pipe[2];              /* [0] readable: done jobs wait */
	int group;                /* puts per commit, at most */
	unsigned long groups, grouped;   /* group commits made, and the puts they answered */
	int n;
	struct pg_worker w[];
};

/* One attempt at job j on w's link. */
static void attempt(struct pg_worker *w, struct store_job *j)
{
	struct store_row row;

	if (j->kind == STORE_JOB_PUT) {
		j->result = link_put(&w->link, j->id, j->device, j->body, j->len, 0);
		return;
	}
	j->result = link_get(&w->link, j->id, &row);
	if (j->result == 0 && strcmp(row.device, j->device) != 0)
		j->result = 1;   /* another device's record: as if absent */
	if (j->result == 0 && (j->body = malloc(row.len ? row.len : 1)) != NULL) {
		memcpy(j->body, row.body, row.len);
		j->len = row.len;
	} else if (j->result == 0) {
		j->result = -1;
	}
	store_row_release(&row);
}

/* Closes a link that lost its connection; 1 when it had. */
static int drop_if_lost(struct pg_worker *w)
{
	if (PQstatus(w->link.conn) == CONNECTION_OK)
		return 0;
	PQfinish(w->link.conn);
	w->link.conn = NULL;
	pthread_mutex_lock(&w->pool->mu);
	w->pool->live--;
	pthread_mutex_unlock(&w->pool->mu);
	fprintf(stderr, "case store: lost the PostgreSQL connection: reconnecting\n");
	return 1;
}

/* Runs job j on a live link. A connection found lost (an idle one whose server went
 * away, a failover) is made anew once and the job tried again: both are idempotent, and
 * a put that had committed before the loss then says SAME, never CREATED twice. */
static void run_job(struct pg_worker *w, struct store_job *j)
{
	attempt(w, j);
	if (!drop_if_lost(w) || link_connect(&w->link, w->pool->url, 1) < 0)
		return;
	pthread_mutex_lock(&w->pool->mu);
	w->pool->live++;
	pthread_mutex_unlock(&w->pool->mu);
	fprintf(stderr, "case store: connected to PostgreSQL\n");
	if (j->kind == STORE_JOB_GET) {
		free(j->body);
		j->body = NULL;
	}
	attempt(w, j);
	drop_if_lost(w);
}

/*
 * Runs the puts jobs[0..n) together (group commit): one transaction, one durable commit.
 * When the group did not commit, each is run alone (run_job), so a failure of one
 * (or a lost connection) never loses or mis-answers the others; a group that warned
 * (committed locally, the standby not confirmed) answers STORE_PUT_ERROR for all, as a
 * single put would (503; the device's retry gets SAME).
 */
static void run_group(struct pg_worker *w, struct store_job **jobs, int n)
{
	enum group_outcome g = link_put_group(&w->link, jobs, n);

	if (g == GROUP_COMMITTED) {
		pthread_mutex_lock(&w->pool->mu);
		w->pool->groups++;
		w->pool->grouped += (unsigned long)n;
		pthread_mutex_unlock(&w->pool->mu);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (g == GROUP_UNSURE || !w->link.conn)   /* no connection came back: 503 */
			jobs[i]->result = STORE_PUT_ERROR;
		else
			run_job(w, jobs[i]);
	}
}

static void job_finished(struct store_pool *p, struct store_job *j)
{
	char one = 1;

	pthread_mutex_lock(&p->mu);
	j->next = p->done;
	p->done = j;
	p->busy--;
	pthread_mutex_unlock(&p->mu);
	if (write(p->pipe[1], &one, 1) < 0 && errno != EAGAIN)
		fprintf(stderr, "case store: cannot wake the event loop: %s\n", strerror(errno));
}

/* Waits for work; a worker without a connection takes a job only when no worker has one
 * (so a job never waits for a reconnect that a live worker would not need). NULL: try to
 * (re)connect now; *quit set when the pool stops and nothing is queued. */
static struct store_job *next_job(struct pg_worker *w, int *quit)
{
	struct store_pool *p = w->pool;
	struct store_job *j = NULL;
	struct timespec until;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->head && (w->link.conn || p->live == 0)) {
			j = p->head;
			p->head = j->next;
			if (!p->head)
				p->tail = NULL;
			break;
		}
		if (p->stop && !p->head) {
			*quit = 1;
			break;
		}
		if (!w->link.conn) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += RECONNECT_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT)
				break;
		} else {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return j;
}

/* More puts queued right behind first (a put) join it, up to GROUP_MAX, into jobs;
 * returns how many jobs there are (first included). GETs stay queued. */
static int take_group(struct store_pool *p, struct store_job *first, struct store_job **jobs)
{
	struct store_job **link;
	int n = 1;

	jobs[0] = first;
	if (first->kind != STORE_JOB_PUT)
		return 1;
	pthread_mutex_lock(&p->mu);
	for (link = &p->head; *link && n < p->group;) {
		struct store_job *j = *link;
		if (j->kind != STORE_JOB_PUT) {
			link = &j->next;
			continue;
		}
		*link = j->next;
		jobs[n++] = j;
	}
	p->tail = NULL;
	for (struct store_job *j = p->head; j; j = j->next)
		p->tail = j;
	pthread_mutex_unlock(&p->mu);
	return n;
}

static void *worker_main(void *arg)
{
	struct pg_worker *w = arg;
	struct store_pool *p = w->pool;
	struct store_job *j, *group[GROUP_MAX];
	int quit = 0, n;

	while (!quit) {
		j = next_job(w, &quit);
		if (!w->link.conn && !quit && link_connect(&w->link, p->url, 1) == 0) {
			pthread_mutex_lock(&p->mu);
			p->live++;
			pthread_mutex_unlock(&p->mu);
			fprintf(stderr, "case store: connected to PostgreSQL\n");
		}
		if (!j)
			continue;
		n = w->link.conn ? take_group(p, j, group) : (group[0] = j, 1);
		if (n > 1)
			run_group(w, group, n);
		else if (w->link.conn)
			run_job(w, j);
		else
			j->result = -1;   /* STORE_PUT_ERROR for a put, error for a get */
		for (int i = 0; i < n; i++)
			job_finished(p, group[i]);
	}
	PQfinish(w->link.conn);
	w->link.conn = NULL;
	return NULL;
}

static void pool_free(struct store_pool *p)
{
	if (p->pipe[0] >= 0)
		close(p->pipe[0]);
	if (p->pipe[1] >= 0)
		close(p->pipe[1]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->url);
	free(p);
}

int store_pool_open(const char *url, int n, int group, struct store_pool **out)
{
	struct store_pool *p;

	*out = NULL;
	if (n < 1 || n > 256)
		return error("case store: %d PostgreSQL connections (1 to 256)", n);
	p = calloc(1, sizeof(*p) + (size_t)n * sizeof(p->w[0]));
	if (!p)
		return error("out of memory");
	p->pipe[0] = p->pipe[1] = -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->n = n;
	p->group = group < 1 ? 1 : group > GROUP_MAX ? GROUP_MAX : group;
	if (!(p->url = strdup(url)) || pipe2(p->pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		pool_free(p);
		return error("case store: cannot make the pool: %s", strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		p->w[i].pool = p;
		if (link_connect(&p->w[i].link, url, 0) < 0)
			goto fail;
		p->live++;
	}
	for (int i = 0; i < n; i++) {
		if (pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]) != 0)
			goto fail;
		p->w[i].started = 1;
	}
	*out = p;
	return 0;
fail:
	store_pool_close(p);
	return -1;
}

int store_pool_fd(const struct store_pool *p)
{
	return p->pipe[0];
}

int store_pool_submit(struct store_pool *p, struct store_job *job)
{
	int ok;

	pthread_mutex_lock(&p->mu);
	ok = p->live > 0 && !p->stop;
	if (ok) {
		job->next = NULL;
		if (p->tail)
			p->tail->next = job;
		else
			p->head = job;
		p->tail = job;
		p->busy++;
		pthread_cond_broadcast(&p->cv);   /* a worker without a connection would swallow a signal */
	}
	pthread_mutex_unlock(&p->mu);
	return ok ? 0 : -1;
}

struct store_job *store_pool_done(struct store_pool *p)
{
	struct store_job *d;
	char buf[256];

	while (read(p->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&p->mu);
	d = p->done;
	p->done = NULL;
	pthread_mutex_unlock(&p->mu);
	return d;
}

int store_pool_busy(const struct store_pool *p)
{
	int n;

	pthread_mutex_lock((pthread_mutex_t *)&p->mu);
	n = p->busy;
	pthread_mutex_unlock((pthread_mutex_t *)&p->mu);
	return n;
}

struct store_job *store_pool_close(struct store_pool *p)
{
	struct store_job *left;

	if (!p)
		return NULL;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->n; i++) {
		if (p->w[i].started)
			pthread_join(p->w[i].th, NULL);
		else
			PQfinish(p->w[i].link.conn);
	}
	left = p->done;
	if (p->groups)   /* counts only: how much group commit did */
		fprintf(stderr, "case store: %lu PUTs committed in %lu group commits\n", p->grouped, p->groups);
	pool_free(p);
	return left;
}
