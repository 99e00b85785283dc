#!/bin/sh
# t5005-sync-faults.sh with the case store on PostgreSQL (a cluster the test starts and stops,
# tests/pg-lib.sh): the same checks, the same results as on SQLite. 800 records instead of
# 2,000, to stay bounded in CI: through the fault proxy every connection comes from one
# address, and at 2,000 both backends spend minutes against the 64-per-address cap (502).
FAULT_RECORDS=${FAULT_RECORDS:-800} INLOOP_TEST_STORE=pg exec sh "$(dirname "$0")/t5005-sync-faults.sh"
