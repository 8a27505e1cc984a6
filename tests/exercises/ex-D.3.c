/* ex-D.3.c -- exercise D.3: a homework topic "mremap" for Chapter 9.
 * A feature check: homework_run knows the topic; for seeds 1 to 20 it
 * boots and shuts its machine down, says the topic is Chapter 9's, asks
 * at least two questions and answers each one; and the seeds make more
 * than one problem. */
#include "ex-kernel.h"

#define EX "D.3"

int main(void)
{
	char *first = NULL;
	int differ = 0;

	for (unsigned long seed = 1; seed <= 20; seed++) {
		char *text = NULL, *p, *scene;
		size_t size = 0;
		int questions = 0, answers = 0, r;
		FILE *out = open_memstream(&text, &size);

		r = homework_run(out, "mremap", seed, true);
		fclose(out);
		if (r == -EINVAL)
			ex_fail(EX, "homework has no topic \"mremap\" yet: add "
				"it to the table of topics");
		if (r)
			ex_fail(EX, "the mremap topic returns %d for seed %lu",
				r, seed);
		if (mm_booted())
			ex_fail(EX, "the mremap topic leaves its machine "
				"running (seed %lu)", seed);
		if (!strstr(text, "(Chapter 9)"))
			ex_fail(EX, "the mremap topic must be Chapter 9's");
		for (p = text; (p = strstr(p, "\n\n")); p++) {
			char *q = p + 2;

			questions += q[0] >= '1' && q[0] <= '9'
				     && strchr(q, '.')
				     && strchr(q, '.') < strchr(q, ' ');
		}
		for (p = text; (p = strstr(p, "   Answer: ")); p++)
			answers++;
		if (questions < 2 || answers < questions)
			ex_fail(EX, "seed %lu asks %d questions and answers %d: "
				"ask at least two, and answer each", seed,
				questions, answers);
		scene = strstr(text, "\n\n");      /* after the title */
		if (!first)
			first = strdup(scene);
		else
			differ += strcmp(first, scene) != 0;
		free(text);
	}
	free(first);
	if (!differ)
		ex_fail(EX, "seeds 1 to 20 all make the same problem: let the "
			"seed choose the sizes");
	ex_pass(EX, "the mremap topic runs for seeds 1 to 20, each with "
		"its questions answered");
}
