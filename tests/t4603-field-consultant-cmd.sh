#!/bin/sh
# `inloop consultant` (issue 12): the passphrase comes from stdin or a file descriptor,
# never argv; the file holds the Argon2id cost and salt, no passphrase and no key in the
# clear; list, remove and the office's disabled list. Negative twins: a short passphrase,
# a second enrolment of the same id, a bad id and a malformed disabled list are refused.
. "$(dirname "$0")/lib.sh"
S="$T/state"
check "add anna (passphrase on stdin)" sh -c "printf 'canary-pass-123\n' | '$B/inloop' --state '$S' consultant add anna"
check "add bram (passphrase on fd 3)" sh -c "'$B/inloop' --state '$S' consultant add bram --passphrase-fd 3 3<<EOF
bram passphrase
EOF"
check "the file is 0600 in a 0700 folder" sh -c "[ \$(stat -c %a '$S/consultants/anna.json') = 600 ] && [ \$(stat -c %a '$S/consultants') = 700 ]"
check "the file names Argon2id with its cost and salt" sh -c "grep -q argon2id13 '$S/consultants/anna.json' && grep -q '\"memlimit\": 67108864' '$S/consultants/anna.json' && grep -q '\"salt\"' '$S/consultants/anna.json'"
refuse "the passphrase is not on disk" grep -rq canary-pass "$S"
check "list names both" sh -c "'$B/inloop' --state '$S' consultant list | tr '\n' ' ' | grep -qx 'anna bram '"
refuse "a short passphrase is refused" sh -c "printf '12345\n' | '$B/inloop' --state '$S' consultant add cees"
refuse "the same id twice is refused" sh -c "printf 'another pass\n' | '$B/inloop' --state '$S' consultant add anna"
refuse "a bad id is refused" sh -c "printf 'another pass\n' | '$B/inloop' --state '$S' consultant add ../x"
refuse "an empty passphrase is refused" sh -c "'$B/inloop' --state '$S' consultant add cees </dev/null"
echo '["bram"]' >"$T/disabled.json"
check "the office's disabled list removes bram" "$B/inloop" --state "$S" consultant disabled "$T/disabled.json"
check "only anna is left" sh -c "'$B/inloop' --state '$S' consultant list | tr '\n' ' ' | grep -qx 'anna '"
echo '{"bram": 1}' >"$T/bad.json"
refuse "a malformed disabled list is refused" "$B/inloop" --state "$S" consultant disabled "$T/bad.json"
check "remove anna" "$B/inloop" --state "$S" consultant remove anna
check "nobody is left" sh -c "[ -z \"\$('$B/inloop' --state '$S' consultant list)\" ]"
done_testing
