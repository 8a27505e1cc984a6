/* replay.c -- feed every file of the corpus directories named on the
 * command line to the harness's LLVMFuzzerTestOneInput, once each, in
 * name order.  Built with the ordinary compiler, so that `make test`
 * replays the corpus without libFuzzer; a finding aborts, and the last
 * finding names the file.  Prints "replay DIR: N inputs in S s". */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fuzz.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	fclose(f);
	fuzz_input_name = path;          /* named if it is a finding */
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	long total = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);

	for (int i = 1; i < argc; i++) {
		struct dirent **names;
		int n = scandir(argv[i], &names, NULL, by_name);

		if (n < 0)
			return perror(argv[i]), 2;
		for (int k = 0; k < n; k++) {
			char path[4096];

			if (names[k]->d_name[0] != '.') {
				snprintf(path, sizeof path, "%s/%s", argv[i],
					 names[k]->d_name);
				if (replay_file(path) < 0)
					return 2;
				total++;
			}
			free(names[k]);
		}
		free(names);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("replay %s: %ld inputs in %.2f s\n", argc > 1 ? argv[1] : "",
	       total, (double)(b.tv_sec - a.tv_sec)
	       + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
