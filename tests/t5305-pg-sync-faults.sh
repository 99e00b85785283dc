#!/bin/sh
# t5005-sync-faults.sh with the case store on PostgreSQL (a cluster the test starts and stops,
# tests/pg-lib.sh): the same checks, the same 2,000 records, the same results as on SQLite.
# The fault proxy makes each upstream connection from its own loopback address
# (127.0.0.2-250), as devices come from their own, so the server's 64-per-address cap is
# not what the test measures.
INLOOP_TEST_STORE=pg exec sh "$(dirname "$0")/t5005-sync-faults.sh"
