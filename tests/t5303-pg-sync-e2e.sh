#!/bin/sh
# t5003-sync-e2e.sh with the case store on PostgreSQL (a cluster the test starts and stops,
# tests/pg-lib.sh): the same checks, the same results as on SQLite.
INLOOP_TEST_STORE=pg exec sh "$(dirname "$0")/t5003-sync-e2e.sh"
