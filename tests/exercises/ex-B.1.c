/* ex-B.1.c -- exercise B.1: the colours after inserting 1 to 8 in
 * order. */
#include "ex-rbtree.h"

#define EX "B.1"

int main(void)
{
	static const char *const what[] = { "the colour of 1",
		"the colour of 2", "the colour of 3", "the colour of 4",
		"the colour of 5", "the colour of 6", "the colour of 7",
		"the colour of 8", "the root's key" };
	struct rb_root root = RB_ROOT;
	struct item it[9];
	long got[9], want[9];

	ex_read_answer(EX, "nine numbers: the colours of keys 1 to 8 after "
		       "the eighth insertion (0 for red, 1 for black, as "
		       "RB_RED and RB_BLACK), then the key at the root",
		       got, 9);
	for (int k = 1; k <= 8; k++) {
		it[k].key = k;
		insert(&root, &it[k]);
	}
	for (int k = 1; k <= 8; k++)
		want[k - 1] = it[k].rb.rb_color;
	want[8] = rb_entry(root.rb_node, struct item, rb)->key;
	ex_compare(EX, what, got, want, 9);
	ex_pass(EX, "1..8 inserted in order: the colours and the root (%ld) "
		"are right", want[8]);
}
