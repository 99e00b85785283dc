/*
 * theme.c — the WCAG contrast ratio the tests check every text/background pair with.
 */
#include "app/ui/theme.h"

#include <math.h>

/* Relative luminance of one sRGB channel (0..255), WCAG 2.x definition. */
static double channel(unsigned c)
{
	double s = c / 255.0;
	return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb)
{
	return 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) +
	       0.0722 * channel(rgb & 255);
}

double theme_contrast(uint32_t a, uint32_t b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
