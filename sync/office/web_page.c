/*
 * web_page.c — the page frame every office page shares: NL Design System layout
 * (utrecht-page-layout, voorbeeld theme), the navigation of the signed-in role, the
 * language switch (Dutch, English), and the plain error page (web.h).
 */
#include "sync/office/web.h"
#include "sync/office/html.h"

#include <event2/buffer.h>

static const struct { const char *path, *label; int roles; } nav[] = {
	{ "/worklist", WN_("Werklijst"), ROLE_TEAM | ROLE_COORD },
	{ "/stats", WN_("Statistiek"), ROLE_COORD },
	{ "/handover", WN_("Overdracht"), ROLE_COORD },
	{ "/audit", WN_("Auditlog"), ROLE_COORD },
	{ "/devices", WN_("Apparaten"), ROLE_ICT },
	{ "/consultants", WN_("Consulenten"), ROLE_ICT },
};

static void nav_bar(struct req *q)
{
	html_printf(q->out, "<nav class=\"office-nav\" aria-label=\"%s\"><ul class=\"office-nav__list\">",
		    W_(q, "Hoofdmenu"));
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		int here = !strncmp(q->path, nav[i].path, strlen(nav[i].path));
		if (nav[i].roles & q->s->role)
			html_printf(q->out, "<li><a class=\"utrecht-link utrecht-link--html-a\" href=\"%r\"%r>%s</a></li>",
				    nav[i].path, here ? " aria-current=\"page\"" : "", W_(q, nav[i].label));
	}
	html_printf(q->out, "</ul><form class=\"office-nav__user\" method=\"post\" action=\"/logout\">"
		    "<span>%s (%s)</span>", q->s->user, auth_role_name(q->s->role));
	web_csrf_field(q);
	html_printf(q->out, "<button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action\""
		    " id=\"logout\">%s</button></form></nav>", W_(q, "Afmelden"));
}

/* A link to this page in the other language, named in that language (hreflang, lang). The
 * path is the server's own (a whitelisted route), so it may stand in the href. */
static void lang_switch(struct req *q)
{
	int en = !strcmp(q->lang, "en");
	const char *path = q->path && q->path[0] == '/' && !strchr(q->path, '"') ? q->path : "/";

	html_printf(q->out, "<a class=\"utrecht-link utrecht-link--html-a office-lang\" id=\"lang-switch\""
		    " href=\"%s?lang=%r\" hreflang=\"%r\" lang=\"%r\">%r</a>", path, en ? "nl" : "en",
		    en ? "nl" : "en", en ? "nl" : "en", en ? "Nederlands" : "English");
}

void web_page_begin(struct req *q, const char *title)
{
	html_printf(q->out,
		"<!DOCTYPE html>\n<html lang=\"%r\" class=\"utrecht-root voorbeeld-theme\"><head>"
		"<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>%s - %s</title>"
		"<link rel=\"stylesheet\" href=\"/static/nlds/theme.css\">"
		"<link rel=\"stylesheet\" href=\"/static/nlds/components.css\">"
		"<link rel=\"stylesheet\" href=\"/static/fonts.css\">"
		"<link rel=\"stylesheet\" href=\"/static/office.css\"></head>"
		"<body class=\"utrecht-body utrecht-document\">"
		"<a class=\"utrecht-skip-link utrecht-skip-link--visible-on-focus\" href=\"#main\">%s</a>"
		"<div class=\"utrecht-page-layout\"><header class=\"utrecht-page-header\">"
		"<div class=\"utrecht-page-header__content office-header\">"
		"<p class=\"office-brand\">Gemeente Voorbeeld <span>%s</span></p>", q->lang, W_(q, title),
		W_(q, "Schuldhulp werkplaats"), W_(q, "Naar de inhoud"), W_(q, "Schuldhulp werkplaats"));
	if (q->s)
		nav_bar(q);
	lang_switch(q);
	evbuffer_add_printf(q->out, "</div></header><main id=\"main\" class=\"utrecht-page-body\">"
			    "<div class=\"utrecht-page-body__content\">");
}

void web_fail(struct req *q, int code, const char *title, const char *sentence)
{
	web_page_begin(q, title);
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>"
		    "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\" id=\"error\" data-code=\"%d\">"
		    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s</p>"
		    "</div></div>", W_(q, title), code, W_(q, sentence));
	web_page_end(q, code);
}
