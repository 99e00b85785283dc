/*
 * casestore_main.c — build/inloop-casestore: the case-store server (issue "3 of 3").
 */
#include "app/util.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("the case-store server is not built yet"), 1;
}
