/*
 * i18n.c — the kiosk's own reader of GNU .mo catalogues (see i18n.h): each language's
 * file is read whole at start-up, its two string tables checked against the file size,
 * and looked up by binary search (msgfmt writes the msgids sorted). The Plural-Forms
 * expression of the header is evaluated by a small recursive-descent reader of the C
 * subset gettext allows (n, numbers, ! * / % + - < <= > >= == != && || ?: and brackets).
 * Why not libintl: it picks the language from LANGUAGE in the environment, and changing
 * that on a tap raced libcurl's getenv on the uploader thread.
 */
#include "platform/i18n.h"
#include "platform/util.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define I18N_MAX_LANGS 16
#define I18N_MAX_BYTES (4 * 1024 * 1024)
#define I18N_MO_MAGIC 0x950412deU

struct catalogue {
	char lang[8];
	char *data;              /* the whole file (owned) */
	size_t size;
	uint32_t n;              /* number of strings */
	uint32_t orig, trans;    /* offsets of the two tables */
	int swap;                /* written on a machine of the other byte order */
	char plural[256];        /* the plural= expression ("" : n != 1) */
	int nplurals;
};

static struct catalogue cats[I18N_MAX_LANGS];
static size_t n_cats;
static char cur_lang[8], host_lang[8];

static uint32_t word(const struct catalogue *c, size_t off)
{
	uint32_t v;

	memcpy(&v, c->data + off, 4);
	return c->swap ? __builtin_bswap32(v) : v;
}

/* String i of table tab (orig or trans), NULL when it lies outside the file. */
static const char *entry(const struct catalogue *c, uint32_t tab, uint32_t i, uint32_t *len)
{
	size_t at = (size_t)tab + (size_t)i * 8;
	uint32_t l, off;

	if (at + 8 > c->size)
		return NULL;
	l = word(c, at);
	off = word(c, at + 4);
	if ((size_t)off + l >= c->size || c->data[off + l] != '\0')
		return NULL;
	if (len)
		*len = l;
	return c->data + off;
}

/* ---- Plural-Forms: a reader of gettext's C expression ---- */

struct pexpr {
	const char *p;
	unsigned long n;
	int bad;
};

static unsigned long p_ternary(struct pexpr *e);

static void p_space(struct pexpr *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

/* 1 (and consumes it) when the text at p starts with op. */
static int p_eat(struct pexpr *e, const char *op)
{
	size_t l = strlen(op);

	p_space(e);
	if (strncmp(e->p, op, l))
		return 0;
	e->p += l;
	return 1;
}

static unsigned long p_primary(struct pexpr *e)
{
	unsigned long v = 0;

	p_space(e);
	if (p_eat(e, "!"))
		return !p_primary(e);
	if (p_eat(e, "(")) {
		v = p_ternary(e);
		if (!p_eat(e, ")"))
			e->bad = 1;
		return v;
	}
	if (*e->p == 'n') {
		e->p++;
		return e->n;
	}
	if (*e->p < '0' || *e->p > '9') {
		e->bad = 1;
		return 0;
	}
	while (*e->p >= '0' && *e->p <= '9' && v < 100000000UL)
		v = v * 10 + (unsigned long)(*e->p++ - '0');
	return v;
}

static unsigned long p_mul(struct pexpr *e)
{
	unsigned long v = p_primary(e), r;

	for (;;) {
		if (p_eat(e, "*"))
			v *= p_primary(e);
		else if (p_eat(e, "/") || p_eat(e, "%")) {
			int mod = e->p[-1] == '%';
			r = p_primary(e);
			if (!r)
				return e->bad = 1, 0;
			v = mod ? v % r : v / r;
		} else
			return v;
	}
}

static unsigned long p_add(struct pexpr *e)
{
	unsigned long v = p_mul(e);

	for (;;) {
		if (p_eat(e, "+"))
			v += p_mul(e);
		else if (p_eat(e, "-"))
			v -= p_mul(e);
		else
			return v;
	}
}

static unsigned long p_rel(struct pexpr *e)
{
	unsigned long v = p_add(e);

	for (;;) {
		if (p_eat(e, "<="))
			v = v <= p_add(e);
		else if (p_eat(e, ">="))
			v = v >= p_add(e);
		else if (p_eat(e, "<"))
			v = v < p_add(e);
		else if (p_eat(e, ">"))
			v = v > p_add(e);
		else
			return v;
	}
}

static unsigned long p_eq(struct pexpr *e)
{
	unsigned long v = p_rel(e);

	for (;;) {
		if (p_eat(e, "=="))
			v = v == p_rel(e);
		else if (p_eat(e, "!="))
			v = v != p_rel(e);
		else
			return v;
	}
}

static unsigned long p_and(struct pexpr *e)
{
	unsigned long v = p_eq(e);

	while (p_eat(e, "&&")) {
		unsigned long r = p_eq(e);
		v = v && r;
	}
	return v;
}

static unsigned long p_or(struct pexpr *e)
{
	unsigned long v = p_and(e);

	while (p_eat(e, "||")) {
		unsigned long r = p_and(e);
		v = v || r;
	}
	return v;
}

static unsigned long p_ternary(struct pexpr *e)
{
	unsigned long c = p_or(e), a, b;

	if (!p_eat(e, "?"))
		return c;
	a = p_ternary(e);
	if (!p_eat(e, ":"))
		e->bad = 1;
	b = p_ternary(e);
	return c ? a : b;
}

/* The form index for n, or -1 when the expression is malformed. */
static int plural_eval(const char *expr, unsigned long n)
{
	struct pexpr e = { expr, n, 0 };
	unsigned long v;

	if (!*expr)
		return n != 1;
	v = p_ternary(&e);
	p_space(&e);
	if (*e.p == ';')
		e.p++;
	p_space(&e);
	return e.bad || *e.p ? -1 : v > 100 ? -1 : (int)v;
}

/* Reads "nplurals=N; plural=EXPR;" from the header entry (msgid ""). */
static int read_plural_forms(struct catalogue *c)
{
	const char *h = c->n ? entry(c, c->trans, 0, NULL) : NULL, *pf, *ex, *end;
	const char *first = c->n ? entry(c, c->orig, 0, NULL) : NULL;

	c->nplurals = 2;
	c->plural[0] = '\0';
	if (!h || !first || *first || !(pf = strstr(h, "Plural-Forms:")))
		return 0;
	if (!(ex = strstr(pf, "nplurals=")) || sscanf(ex, "nplurals=%d", &c->nplurals) != 1 ||
	    c->nplurals < 1 || c->nplurals > 6)
		return error("%s catalogue: bad nplurals in Plural-Forms", c->lang);
	if (!(ex = strstr(pf, "plural=")) || !(end = strchr(ex, '\n')))
		return error("%s catalogue: no plural= in Plural-Forms", c->lang);
	ex += strlen("plural=");
	if ((size_t)(end - ex) >= sizeof(c->plural))
		return error("%s catalogue: the plural expression is too long", c->lang);
	memcpy(c->plural, ex, (size_t)(end - ex));
	c->plural[end - ex] = '\0';
	for (unsigned long n = 0; n <= 1000; n++) {
		int i = plural_eval(c->plural, n);
		if (i < 0 || i >= c->nplurals)
			return error("%s catalogue: the plural expression is malformed or out of range",
				     c->lang);
	}
	return 0;
}

/* ---- catalogues ---- */

static int parse(struct catalogue *c)
{
	uint32_t magic;

	if (c->size < 28)
		return error("%s catalogue: not a .mo file", c->lang);
	memcpy(&magic, c->data, 4);
	c->swap = magic == __builtin_bswap32(I18N_MO_MAGIC);
	if (!c->swap && magic != I18N_MO_MAGIC)
		return error("%s catalogue: not a .mo file", c->lang);
	c->n = word(c, 8);
	c->orig = word(c, 12);
	c->trans = word(c, 16);
	if (c->n > c->size / 16 || (size_t)c->orig + (size_t)c->n * 8 > c->size ||
	    (size_t)c->trans + (size_t)c->n * 8 > c->size)
		return error("%s catalogue: its tables lie outside the file", c->lang);
	for (uint32_t i = 0; i < c->n; i++)
		if (!entry(c, c->orig, i, NULL) || !entry(c, c->trans, i, NULL))
			return error("%s catalogue: string %u lies outside the file", c->lang, i);
	return read_plural_forms(c);
}

static struct catalogue *find(const char *lang)
{
	for (size_t i = 0; lang && i < n_cats; i++)
		if (!strcmp(cats[i].lang, lang))
			return &cats[i];
	return NULL;
}

static void cat_free(struct catalogue *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

int i18n_load_file(const char *lang, const char *path)
{
	struct catalogue c, *old;

	memset(&c, 0, sizeof(c));
	if (!lang || strlen(lang) >= sizeof(c.lang) || !*lang)
		return error("bad language code for catalogue %s", path);
	memcpy(c.lang, lang, strlen(lang) + 1);
	if (util_read_file(path, I18N_MAX_BYTES, &c.data, &c.size) < 0)
		return -1;
	if (parse(&c) < 0)
		return cat_free(&c), -1;
	if ((old = find(lang)))
		return cat_free(old), *old = c, 0;
	if (n_cats >= I18N_MAX_LANGS)
		return cat_free(&c), error("more than %d catalogues", I18N_MAX_LANGS);
	cats[n_cats++] = c;
	return 0;
}

/* The locale folder: $INLOOP_LOCALEDIR, else build/locale beside the binary. */
static int locale_dir(char *buf, size_t size)
{
	const char *env = getenv("INLOOP_LOCALEDIR");
	char exe[4096];
	ssize_t n;

	if (env && *env)
		return util_fmt(buf, size, "%s", env);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	return util_fmt(buf, size, "%s/locale", exe);
}

int i18n_init(void)
{
	char dir[4096], path[4400];
	struct dirent *d;
	DIR *dp;

	i18n_free();
	if (locale_dir(dir, sizeof(dir)) < 0 || !(dp = opendir(dir)))
		return 0;
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.' && strlen(d->d_name) < sizeof(cats[0].lang) &&
		    util_fmt(path, sizeof(path), "%s/%s/LC_MESSAGES/inloop.mo", dir, d->d_name) >= 0 &&
		    access(path, R_OK) == 0 && i18n_load_file(d->d_name, path) < 0)
			warning("the %s interface texts are not used", d->d_name);
	closedir(dp);
	return (int)n_cats;
}

void i18n_free(void)
{
	for (size_t i = 0; i < n_cats; i++)
		cat_free(&cats[i]);
	n_cats = 0;
}

void i18n_set_lang(const char *lang)
{
	if (lang)
		snprintf(cur_lang, sizeof(cur_lang), "%s", lang);
}

void i18n_set_host_lang(const char *lang)
{
	if (lang)
		snprintf(host_lang, sizeof(host_lang), "%s", lang);
}

const char *i18n_lang(void)
{
	return cur_lang;
}

const char *i18n_host_lang(void)
{
	return host_lang;
}

int i18n_has_lang(const char *lang)
{
	return find(lang) != NULL;
}

/* The index of msgid (its singular) in c, or -1. */
static long lookup(const struct catalogue *c, const char *msgid)
{
	uint32_t lo = 0, hi = c->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, entry(c, c->orig, mid, NULL));
		if (!cmp)
			return mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *i18n_text_in(const char *lang, const char *msgid)
{
	const struct catalogue *c = find(lang);
	const char *t;
	long i;
	uint32_t len;

	if (!c || !msgid || !*msgid || (i = lookup(c, msgid)) < 0)
		return msgid;
	t = entry(c, c->trans, (uint32_t)i, &len);
	return t && len ? t : msgid;
}

const char *i18n_text(const char *msgid)
{
	return i18n_text_in(cur_lang, msgid);
}

const char *i18n_host_text(const char *msgid)
{
	return i18n_text_in(host_lang, msgid);
}

int i18n_plural_index(const char *lang, unsigned long n)
{
	const struct catalogue *c = find(lang);

	return c ? plural_eval(c->plural, n) : -1;
}

const char *i18n_plural(const char *lang, const char *msgid, const char *msgid_plural,
			unsigned long n)
{
	const struct catalogue *c = find(lang);
	const char *t, *end;
	uint32_t len;
	long i;
	int form;

	if (!c || (i = lookup(c, msgid)) < 0 || !(t = entry(c, c->trans, (uint32_t)i, &len)) || !len)
		return n == 1 ? msgid : msgid_plural;
	form = plural_eval(c->plural, n);
	end = t + len;
	while (form-- > 0 && t < end)
		t += strlen(t) + 1;
	return t < end ? t : n == 1 ? msgid : msgid_plural;
}
