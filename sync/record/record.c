/*
 * record.c — what both ends agree on about a record that is not its seal: the short
 * reference printed on the receipt and typed into the office (record.h).
 */
#include "sync/record/record.h"

void record_ref_from_id(const char *record_id, char out[12])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned long long bits = 0;
	int nibbles = 0, k = 0;

	out[0] = '\0';
	for (const char *p = record_id; p && *p && nibbles < 10; p++) {
		int v;

		if (*p == '-')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			v = (*p | 0x20) - 'a' + 10;
		else
			return;
		bits = bits << 4 | (unsigned)v;
		nibbles++;
	}
	if (nibbles < 10)
		return;
	for (int i = 7; i >= 0; i--) {
		out[k++] = alphabet[(bits >> (i * 5)) & 31];
		if (i == 4)
			out[k++] = '-';
	}
	out[k] = '\0';
}
