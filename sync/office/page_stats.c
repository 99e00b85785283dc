/*
 * page_stats.c — stats with pictures (coordinator) and the devices page (ICT).
 */
#include "sync/office/web.h"
#include "sync/office/html.h"

#include <event2/buffer.h>

void page_stats(struct req *q)
{
	web_page_begin(q, "Statistiek");
	evbuffer_add_printf(q->out, "<h1 class=\"utrecht-heading-1\">Statistiek</h1>");
	web_page_end(q, 200);
}

void page_devices(struct req *q)
{
	web_page_begin(q, "Apparaten");
	evbuffer_add_printf(q->out, "<h1 class=\"utrecht-heading-1\">Apparaten</h1>");
	web_page_end(q, 200);
}

void page_devices_post(struct req *q)
{
	web_fail(q, 400, "Niet gedaan", "Nog niet beschikbaar.");
}
