#!/bin/sh
# After "don't know" on the crisis question, the date question is worded for that case:
# the form's variant title ("Is there a date in a letter?"), shown and read aloud; after a
# known crisis the usual title (the twin). In Dutch and Arabic.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/replays/kiosk-lib.sh"
make_state
F="$TOP/assets/forms/registration.json"
for l in nl ar; do
	alt=$(jq -r --arg l $l '.questions[] | select(.id == "crisis_date") | .variant.title[$l]' "$F")
	usual=$(jq -r --arg l $l '.questions[] | select(.id == "crisis_date") | .title[$l]' "$F")
	check "$l: the form has a variant title for the crisis date" test -n "$alt" -a "$alt" != null -a "$alt" != "$usual"
	printf 'tap start\ntap opt-unknown\ntap next\nexpect q-crisis_date\ndump %s\ntap back\ntap opt-water\ntap next\nexpect q-crisis_date\ndump %s\n' \
		"$T/$l-unknown.dump" "$T/$l-known.dump" >"$T/$l.replay"
	check "$l: the crisis date after don't know and after water" kiosk $l 1280x800 "$T/$l.replay"
	check "$l: after don't know the date question is worded for it" sh -c "grep '^widget id=title ' '$T/$l-unknown.dump' | grep -qF 'text=\"$alt\"'"
	check "$l: after a known crisis the usual wording (twin)" grep -qF "text=\"$usual\"" "$T/$l-known.dump"
	refuse "$l: ... and not the variant" grep -qF "text=\"$alt\"" "$T/$l-known.dump"
done
done_testing
