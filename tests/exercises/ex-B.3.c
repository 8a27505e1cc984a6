/* ex-B.3.c -- exercise B.3: erasing the root of the tree of 1 to 8. */
#include "ex-rbtree.h"

#define EX "B.3"

int main(void)
{
	static const char *const what[] = { "the new root's key",
		"the colour of 1", "the colour of 2", "the colour of 3",
		"the colour of 5", "the colour of 6", "the colour of 7",
		"the colour of 8" };
	struct rb_root root = RB_ROOT;
	struct item it[9];
	long got[8], want[8];
	int n = 1;

	ex_read_answer(EX, "eight numbers: the key at the root after 4 is "
		       "erased from the tree of 1 to 8 inserted in order, "
		       "then the colours of 1, 2, 3, 5, 6, 7 and 8 (0 for "
		       "red, 1 for black)", got, 8);
	for (int k = 1; k <= 8; k++) {
		it[k].key = k;
		insert(&root, &it[k]);
	}
	if (rb_entry(root.rb_node, struct item, rb)->key != 4)
		ex_fail(EX, "4 is not the root after inserting 1 to 8; "
			"has rb_insert_color changed?");
	rb_erase(&it[4].rb, &root);
	want[0] = rb_entry(root.rb_node, struct item, rb)->key;
	for (int k = 1; k <= 8; k++)
		if (k != 4)
			want[n++] = it[k].rb.rb_color;
	ex_compare(EX, what, got, want, 8);
	ex_pass(EX, "after erasing 4, %ld is the root and the colours are "
		"right", want[0]);
}
