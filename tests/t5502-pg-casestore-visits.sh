#!/bin/sh
# t5501-casestore-visits.sh with the case store on PostgreSQL (tests/pg-lib.sh): the visit
# spool is files beside the store, so the same checks give the same results on both backends.
INLOOP_TEST_STORE=pg exec sh "$(dirname "$0")/t5501-casestore-visits.sh"
