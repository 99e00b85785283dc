# soon.sh — soon_sed: a sed script that turns the demo replay's eviction date (tap day-15,
# month-6, year-next) into the day after tomorrow in Amsterdam, whatever day it runs, so
# that make demo (platform/demo.sh) and the tests show an ACUUT registration. The date
# picker names the years near today (year-this, year-next).
soon_sed() {
	set -- $(TZ=Europe/Amsterdam date -d '+2 days' +'%-d %-m %Y')
	_y=this; [ "$3" = "$(TZ=Europe/Amsterdam date +%Y)" ] || _y=next
	echo "s/^tap day-15\$/tap day-$1/; s/^tap month-6\$/tap month-$2/; s/^tap year-next\$/tap year-$_y/"
}
