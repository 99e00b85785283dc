/*
 * web_page.c — the page frame every office page shares: NL Design System layout
 * (utrecht-page-layout, voorbeeld theme), the navigation of the signed-in role, and the
 * plain error page (web.h).
 */
#include "sync/office/web.h"
#include "sync/office/html.h"

#include <event2/buffer.h>

static const struct { const char *path, *label; int roles; } nav[] = {
	{ "/worklist", "Werklijst", ROLE_TEAM | ROLE_COORD },
	{ "/stats", "Statistiek", ROLE_COORD },
	{ "/audit", "Auditlog", ROLE_COORD },
	{ "/devices", "Apparaten", ROLE_ICT },
};

static void nav_bar(struct req *q)
{
	evbuffer_add_printf(q->out, "<nav class=\"office-nav\" aria-label=\"Hoofdmenu\"><ul class=\"office-nav__list\">");
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		int here = !strncmp(q->path, nav[i].path, strlen(nav[i].path));
		if (nav[i].roles & q->s->role)
			html_printf(q->out, "<li><a class=\"utrecht-link utrecht-link--html-a\" href=\"%r\"%r>%r</a></li>",
				    nav[i].path, here ? " aria-current=\"page\"" : "", nav[i].label);
	}
	html_printf(q->out, "</ul><form class=\"office-nav__user\" method=\"post\" action=\"/logout\">"
		    "<span>%s (%s)</span>", q->s->user, auth_role_name(q->s->role));
	web_csrf_field(q);
	evbuffer_add_printf(q->out, "<button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action\""
			    " id=\"logout\">Afmelden</button></form></nav>");
}

void web_page_begin(struct req *q, const char *title)
{
	html_printf(q->out,
		"<!DOCTYPE html>\n<html lang=\"nl\" class=\"utrecht-root voorbeeld-theme\"><head>"
		"<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>%s - Schuldhulp werkplaats</title>"
		"<link rel=\"stylesheet\" href=\"/static/nlds/theme.css\">"
		"<link rel=\"stylesheet\" href=\"/static/nlds/components.css\">"
		"<link rel=\"stylesheet\" href=\"/static/fonts.css\">"
		"<link rel=\"stylesheet\" href=\"/static/office.css\"></head>"
		"<body class=\"utrecht-body utrecht-document\">"
		"<a class=\"utrecht-skip-link utrecht-skip-link--visible-on-focus\" href=\"#main\">Naar de inhoud</a>"
		"<div class=\"utrecht-page-layout\"><header class=\"utrecht-page-header\">"
		"<div class=\"utrecht-page-header__content office-header\">"
		"<p class=\"office-brand\">Gemeente Voorbeeld <span>Schuldhulp werkplaats</span></p>", title);
	if (q->s)
		nav_bar(q);
	evbuffer_add_printf(q->out, "</div></header><main id=\"main\" class=\"utrecht-page-body\">"
			    "<div class=\"utrecht-page-body__content\">");
}

void web_fail(struct req *q, int code, const char *title, const char *sentence)
{
	web_page_begin(q, title);
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>"
		    "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\" id=\"error\" data-code=\"%d\">"
		    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s</p>"
		    "</div></div>", title, code, sentence);
	web_page_end(q, code);
}
