/* ex-homework.h -- what the checks of Appendix D's exercises share:
 * the numbers of a homework problem's answers, as the model computes
 * them. */
#ifndef EX_HOMEWORK_H
#define EX_HOMEWORK_H
#include <ctype.h>
#include "ex-kernel.h"

/* The numbers of every answer line of topic's output for seed, in
 * order, leaving out a buddyinfo line's node number. */
static inline int answer_numbers(const char *topic, unsigned long seed, long *v,
			  int max)
{
	char *text = NULL, *line;
	size_t size = 0;
	int n = 0, in_answer = 0;
	FILE *out = open_memstream(&text, &size);

	if (homework_run(out, topic, seed, true) < 0) {
		fclose(out);
		free(text);
		return -1;
	}
	fclose(out);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *p = line;

		if (!strncmp(line, "   Answer: ", 11))
			in_answer = 1;
		else if (strncmp(line, "           ", 11))
			in_answer = 0;
		if (!in_answer)
			continue;
		if (strstr(p, "Node "))
			p = strstr(p, "zone");
		for (; p && *p; p++)
			if (isdigit((unsigned char)*p)
			    && (p == line
				|| !isalnum((unsigned char)p[-1]))) {
				if (n < max)
					v[n] = strtol(p, &p, 10);
				n++;
				p--;
			}
	}
	free(text);
	return n;
}
#endif
