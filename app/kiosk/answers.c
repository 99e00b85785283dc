/*
 * answers.c — the person's answers and typed text, and the one wipe of every copy
 * (answers.h).
 */
#include "app/kiosk/answers.h"
#include "app/ui/text.h"
#include "platform/util.h"

int answers_init(struct answers *a)
{
	util_cleanse(a, sizeof(*a));
	a->answers = json_object();
	return a->answers ? 0 : error("out of memory");
}

void answers_wipe(struct answers *a)
{
	json_decref(a->answers);          /* jansson wipes every allocation on free */
	util_cleanse(a, sizeof(*a));
	text_forget();                    /* the last line measured may be a typed name */
	a->answers = json_object();
}

void answers_release(struct answers *a)
{
	answers_wipe(a);
	json_decref(a->answers);
	a->answers = NULL;
}
