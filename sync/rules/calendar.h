/*
 * calendar.h — dates and the Wgs deadline calendar.
 *
 * Working days follow the Algemene termijnenwet (Atw): Saturdays, Sundays, the holidays of
 * art. 3(1) (computed here: New Year, Easter Monday, King's Day, Liberation Day 5 May,
 * Ascension, Whit Monday, 25-26 Dec), Good Friday (art. 3(2)) and the days equalled by royal
 * decree (art. 3(3)) are not working days. The decree days and the years the table covers
 * live in assets/holidays.json, so next year's decree needs no recompile. Past the covered
 * years the statutory holidays are still computed, but a decree day cannot be known: such a
 * deadline is marked provisional (never silently final, never refused: the kiosk goes on).
 */
#ifndef INLOOP_CALENDAR_H
#define INLOOP_CALENDAR_H

struct ymd { int y, m, d; };

/* Parses strict "YYYY-MM-DD" that is a real date (years 1900-2199). 0 ok, -1 otherwise
 * (no message printed: the caller decides what to tell whom). */
int ymd_parse(const char *s, struct ymd *out);

/* Writes "YYYY-MM-DD" (NUL-terminated) into out. */
void ymd_format(struct ymd d, char out[11]);

/* Today's date in Europe/Amsterdam (sets TZ to Europe/Amsterdam if the process has not).
 * 0 ok, -1 when the clock cannot be read. */
int ymd_today(struct ymd *out);

/* d plus n days (n may be negative). */
struct ymd ymd_add_days(struct ymd d, int n);

/* <0, 0, >0 as a is before, equal to, after b. */
int ymd_cmp(struct ymd a, struct ymd b);

/* 0 = Monday .. 6 = Sunday. */
int ymd_weekday(struct ymd d);

/* Days from 1970-01-01 to d (negative before). */
long ymd_to_days(struct ymd d);

/* Easter Sunday of year y (Gregorian, anonymous algorithm). */
struct ymd ymd_easter(int y);

struct calendar;

/*
 * Loads the holiday table (assets/holidays.json). On success *out is set (caller frees
 * with calendar_free) and 0 is returned; a missing, malformed or inconsistent file is
 * refused with an error naming the file, the place and the reason.
 */
int calendar_load(const char *path, struct calendar **out);

/* Frees a calendar; NULL is a no-op. */
void calendar_free(struct calendar *c);

/* The table's version string (owned by c, valid until calendar_free). */
const char *calendar_version(const struct calendar *c);

/* First and last year the table covers. */
int calendar_first_year(const struct calendar *c);
int calendar_last_year(const struct calendar *c);

/* 1 when the table vouches for d's year (its decree days are known). */
int calendar_covers(const struct calendar *c, struct ymd d);

/* 1 when d is a working day, 0 when not. Outside the covered years only the statutory
 * holidays and weekends count (see calendar_covers). */
int calendar_is_working_day(const struct calendar *c, struct ymd d);

/* Why d is not a working day: "Saturday", "Good Friday", "day equalled by royal decree",
 * ... ; NULL for a working day. Static string. */
const char *calendar_day_reason(const struct calendar *c, struct ymd d);

/* How many days ahead of the table's end the host is warned. */
#define CALENDAR_WARN_DAYS 90

/*
 * Whether the host should be told to have the holiday table updated: 1 when `today` is
 * CALENDAR_WARN_DAYS or fewer days before the last day the table covers (31 December of
 * its last year), or past it; 0 otherwise. *days_left is set either way (negative once the
 * table has run out).
 */
int calendar_table_warning(const struct calendar *c, struct ymd today, int *days_left);

struct deadline {
	struct ymd target;   /* plain date: +28 days, or the 3rd working day in a crisis */
	struct ymd legal;    /* latest legal date (Atw art. 1 moves a non-working target) */
	int crisis;
	int provisional;     /* a day it needed lies outside the table: decree days unknown */
};

/*
 * The first-conversation deadline for a registration on `registered` (day 0, Amsterdam).
 * crisis: target = legal = the 3rd working day after day 0 (Wgs art. 4(2)).
 * otherwise: target = registered + 28 days; legal = first working day on/after the target
 * (Wgs art. 4(1), Atw art. 1). Always 0; out->provisional is 1 when any day it looked at
 * (day 0 included) lies outside the years the table covers.
 */
int deadline_for(const struct calendar *c, struct ymd registered, int crisis,
		 struct deadline *out);

#endif
