#!/bin/sh
# Kill the REAL field program (issue 12): build/inloop-test --mode field goes through an
# intake, answer after answer (typed and chosen through its event path, each followed by the
# replay's `saved TAG`: the events are handled and the draft sealed without a failure), and
# is SIGKILLed at 50 random points (KILL_SEED repeats a run). Each next start signs in,
# opens the draft and dumps every page going back; every answer reported saved before the
# kill must be there, the draft must open (never torn). The last run only checks.
# Negative twins: an option never chosen never shows as chosen; a wrong passphrase opens no
# draft; no canary in plaintext under the state folder or in the logs.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sync-lib.sh"
. "$TOP/tests/field-lib.sh"
P="$T/cs"
S="$P/device"
field_device "$P" || { echo "not ok 1 - consultants enrolled"; echo "1..1"; exit 1; }
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-bus"   # no logind here (t4607 has one)
seed=${KILL_SEED:-$$}
echo "# seed $seed"
soon=$(date -d '+10 days' +%d-%m-%Y)
past=$(date -d '-10 days' +%d-%m-%Y)

# The answers: TAG, the replay lines that give it, and what its page's dump shows then.
cat >"$T/answers" <<EOA
crisis|tap opt-crisis-eviction|id=opt-crisis-eviction role=[a-z]* .* selected
crisis_date|tap field-crisis_date\ntype $soon|id=field-crisis_date role=field .*text="$soon
crisis_note|tap field-crisis_note\ntype Brief|id=field-crisis_note role=field .*text="Brief
page1|tap next|
name|tap field-name\ntype $CANARY_NAME|id=field-name role=field .*text="$CANARY_NAME
household|tap opt-household-alone|id=opt-household-alone role=[a-z]* .* selected
children|tap opt-children-two|id=opt-children-two role=[a-z]* .* selected
page2|tap next|
income|tap opt-income-benefit|id=opt-income-benefit role=[a-z]* .* selected
income_amount|tap field-income_amount\ntype 1234|id=field-income_amount role=field .*text="1234
page3|tap next|
housing|tap opt-housing-social_rent|id=opt-housing-social_rent role=[a-z]* .* selected
landlord|tap field-landlord\ntype Ymere|id=field-landlord role=field .*text="Ymere
rent|tap field-rent\ntype 650|id=field-rent role=field .*text="650
page4|tap next|
arrears|tap opt-arrears-rent|id=opt-arrears-rent role=[a-z]* .* selected
arrears_rent|tap field-arrears_rent\ntype $CANARY_AMOUNT|id=field-arrears_rent role=field .*text="$CANARY_AMOUNT
page5|tap next|
debt1_kind|tap opt-debt1_kind-tax|id=opt-debt1_kind-tax role=[a-z]* .* selected
debt1_name|tap field-debt1_name\ntype CJIB|id=field-debt1_name role=field .*text="CJIB
debt1_amount|tap field-debt1_amount\ntype 2500|id=field-debt1_amount role=field .*text="2500
debt1_letters|tap opt-debt1_letters-reminder|id=opt-debt1_letters-reminder role=[a-z]* .* selected
debt1_letter_date|tap field-debt1_letter_date\ntype $past|id=field-debt1_letter_date role=field .*text="$past
debt1_more|tap opt-debt1_more-no|id=opt-debt1_more-no role=[a-z]* .* selected
page6|tap next|
next_steps|tap opt-next_steps-budget|id=opt-next_steps-budget role=[a-z]* .* selected
page7|tap next|
consent_creditors|tap opt-consent_creditors-yes|id=opt-consent_creditors-yes role=[a-z]* .* selected
consent_partners|tap opt-consent_partners-none|id=opt-consent_partners-none role=[a-z]* .* selected
EOA
ntags=$(wc -l <"$T/answers")

# sign in; open the previous run's draft (none the first time) and dump each page going
# back to the list (check.replay); then (run.replay) a new intake, answer after answer, at
# a brisk typist's pace (15 ms between answers: the kill lands near the answer it follows).
# replays DIR: both, dumping into DIR
replays() {
	{
		printf 'tap cons-anna\ntype %s\nkey Return\nexpect field-drafts\ntap-if draft-0\n' "$ANNA_PASS"
		for d in 0 1 2 3 4 5 6 7 8; do printf 'dump %s/check.%s\ntap-if back\n' "$1" $d; done
		printf 'expect field-drafts\n'
	} >"$1/check.replay"
	{
		cat "$1/check.replay"
		printf 'tap new\nsaved start\n'
		while IFS='|' read -r tag lines pat; do printf '%b\nsaved %s\nwait-real 15\n' "$lines" "$tag"; done <"$T/answers"
	} >"$1/run.replay"
}

rnd() { awk -v s="$seed" -v i="$1" -v n="$2" 'BEGIN { srand(s * 1000 + i); print int(rand() * n) }'; }

# verify DIR RUN: every tag in DIR/prev.saved shows in the check dumps of the run that
# just started; counts into lost, torn, checked
verify() {
	cat "$1"/check.[0-9] >"$1/checks" 2>/dev/null
	cat "$1/checks" >>"$1/all-checks"
	if [ -s "$1/prev.saved" ] && ! grep -q '^screen field-page-' "$1/check.0"; then
		torn=$((torn + 1))
		echo "# run $2: the draft did not open ($(head -1 "$1/check.0" | cut -d' ' -f2))"
	fi
	while read -r tag; do
		pat=$(grep "^$tag|" "$T/answers" | cut -d'|' -f3)
		[ -n "$pat" ] || continue
		checked=$((checked + 1))
		grep -q "$pat" "$1/checks" || { lost=$((lost + 1)); echo "# run $2: $tag was reported saved, the draft lacks it"; }
	done <"$1/prev.saved"
}

# lane N KILLS: a state folder of its own (a copy of the enrolled device), KILLS kills;
# two lanes run side by side (the runs wait on fsync, not on the CPU). Writes N/result.
lane() {
	L="$T/$1" S="$T/$1/device"
	mkdir -p "$L" && cp -a "$P/device" "$S"
	replays "$L"
	lost=0 torn=0 kills=0 checked=0 i=0
	: >"$L/prev.saved"
	: >"$L/logs"
	mkfifo "$L/fifo"
	while [ $kills -lt "$2" ] && [ $i -lt $(($2 + 20)) ]; do   # a run that ended before its kill: one more
		i=$((i + 1))
		k=$(rnd $(($1 * 100 + i)) $((ntags - 2)))   # kill as the k-th answer is reported ...
		d=$(rnd $(($1 * 100 + i + 50)) 80)          # ... at once (d >= 40), or d ms later
		old=$(ls "$S"/drafts/anna/*.draft 2>/dev/null)
		rm -f "$L"/check.[0-9]
		(exec "$B/inloop-test" --state "$S" --mode field --lang nl --windowed 1366x768 \
			--replay "$L/run.replay") 2>"$L/fifo" &
		pid=$!   # the program itself (exec), not a shell around it
		exec 3<"$L/fifo"
		n=-1   # "saved start" is not an answer
		: >"$L/run.log"
		while IFS= read -r line <&3; do   # read and kill are the shell's own: no fork between
			echo "$line" >>"$L/run.log"
			case $line in saved\ *) n=$((n + 1));; esac
			[ $n -lt "$k" ] && continue
			[ "$d" -lt 40 ] && sleep "0.0$(printf '%02d' "$d")"
			kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
			break
		done
		cat <&3 >>"$L/run.log"   # what it reported before it died
		exec 3<&-
		wait $pid 2>/dev/null
		verify "$L" "$1.$i"      # the previous run's answers, in this run's check dumps
		sed -n 's/^saved //p' "$L/run.log" | grep -v '^start$' >"$L/prev.saved"
		cat "$L/run.log" >>"$L/logs"
		[ -n "$old" ] && rm -f $old                  # checked: only this run's draft stays
	done
	field "$L/check.replay" 2>>"$L/logs" || { torn=$((torn + 1)); echo "# lane $1: the last check run failed"; }
	verify "$L" "$1.last"
	echo "$kills $i $checked $lost $torn" >"$L/result"
}

t0=$(date +%s)
lane 1 25 &
lane 2 25 &
wait
read -r ka ia ca la ta <"$T/1/result" || ka=0
read -r kb ib cb lb tb <"$T/2/result" || kb=0
kills=$((ka + kb)) runs=$((ia + ib)) checked=$((ca + cb)) lost=$((la + lb)) torn=$((ta + tb))
echo "# $kills kills in $runs runs, $checked answers checked, $(($(date +%s) - t0)) s"
check "killed at 50 random points" test "$kills" = 50
check "every draft opens after a kill" test "$torn" = 0
check "no answer reported saved is lost ($checked checked)" test "$lost" = 0
check "the check saw answers (not vacuous)" test "$checked" -ge 200
refuse "an option never chosen never shows as chosen" grep -q 'id=opt-crisis-energy role=[a-z]* .* selected' "$T"/1/all-checks "$T"/2/all-checks
S="$T/1/device"
printf 'tap cons-anna\ntype not the pass\nkey Return\nexpect field-signin\ndump %s/wrong.dump\n' "$T" >"$T/wrong.replay"
field "$T/wrong.replay" 2>/dev/null
refuse "a wrong passphrase opens no draft" grep -q "draft-0\|$CANARY_NAME" "$T/wrong.dump"
refuse "no name in plaintext under either state folder" grep -rqa "$CANARY_NAME" "$T/1/device" "$T/2/device"
refuse "no amount in plaintext under either state folder" grep -rqa "$CANARY_AMOUNT" "$T/1/device" "$T/2/device"
refuse "no canary in the program's logs" grep -qa "$CANARY_NAME\|$CANARY_AMOUNT" "$T/1/logs" "$T/2/logs"
done_testing
