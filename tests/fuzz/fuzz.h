/* fuzz.h -- what the fuzz harnesses share.
 *
 * Each tests/fuzz/fuzz-NAME.c defines LLVMFuzzerTestOneInput, the entry
 * point libFuzzer calls with one input.  `make fuzz` links a harness
 * with libFuzzer (clang -fsanitize=fuzzer,address,undefined) and runs it
 * on tests/fuzz/corpus/NAME/; `make test` links it with replay.c instead,
 * which feeds it every file of that corpus once.
 *
 * A harness reports a finding by calling fuzz_finding(), which prints
 * the reason and the kernel log and aborts: libFuzzer then saves the
 * input as a crash, and the replay fails.
 */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void fuzz_finding(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* The input being replayed, for the finding's message (NULL under
 * libFuzzer, which names the input itself). */
extern const char *fuzz_input_name;

/* Send standard error to /dev/null and back: the model says why it
 * refuses a boot line or a trace, which would fill the test log.  A
 * finding turns it back on. */
void fuzz_stderr_off(void);
void fuzz_stderr_on(void);

/* The host's open descriptors, to catch a leak of one. */
int fuzz_open_fds(void);
#endif
