/* ex-B.6.c -- exercise B.6: struct rb_root_cached.
 *
 * The check does not need the structure's definition: it keeps the root
 * in a zeroed buffer (RB_ROOT_CACHED is all zeroes) laid out as Linux's,
 * an rb_root and then rb_leftmost, and calls the three functions through
 * weak declarations.  After every operation of a mixed sequence the
 * cached node, and what rb_first_cached returns, must be rb_first's.
 */
#include "ex-kernel.h"

#define EX "B.6"
#define KEYS 2048
#define OPS  40000

struct rb_root_cached;
void rb_insert_color_cached(struct rb_node *node,
			    struct rb_root_cached *root, bool leftmost)
	__attribute__((weak));
void rb_erase_cached(struct rb_node *node, struct rb_root_cached *root)
	__attribute__((weak));
struct rb_node *rb_first_cached(const struct rb_root_cached *root)
	__attribute__((weak));

struct item { struct rb_node rb; int key; bool in; };

static struct item items[KEYS];
static struct { struct rb_root rb_root; struct rb_node *rb_leftmost; }
	cached;

#define CACHED ((struct rb_root_cached *)&cached)

static int cmp(const struct rb_node *a, const struct rb_node *b)
{
	int x = rb_entry(a, struct item, rb)->key;
	int y = rb_entry(b, struct item, rb)->key;

	return (x > y) - (x < y);
}

static void insert(struct item *it)
{
	struct rb_node **link = &cached.rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (it->key < rb_entry(parent, struct item, rb)->key) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color_cached(&it->rb, CACHED, leftmost);
}

static void check(long op, const char *what, int key)
{
	const char *why;
	struct rb_node *first = rb_first(&cached.rb_root);

	if (rb_check(&cached.rb_root, cmp, &why) < 0)
		ex_fail(EX, "operation %ld (%s %d): the tree is broken: %s",
			op, what, key, why);
	if (cached.rb_leftmost != first)
		ex_fail(EX, "operation %ld (%s %d): rb_leftmost is %s, but "
			"rb_first is %s", op, what, key,
			cached.rb_leftmost ? "a node" : "NULL",
			first ? "another node" : "NULL");
	if (rb_first_cached(CACHED) != first)
		ex_fail(EX, "operation %ld (%s %d): rb_first_cached does "
			"not return rb_leftmost", op, what, key);
}

int main(void)
{
	unsigned long seed = 12345;

	if (!rb_insert_color_cached || !rb_erase_cached || !rb_first_cached)
		ex_fail(EX, "%s does not exist yet: add it to "
			"book/91-rbtree.nw and declare it in rbtree.h",
			!rb_insert_color_cached ? "rb_insert_color_cached"
			: !rb_erase_cached ? "rb_erase_cached"
			: "rb_first_cached");
	check(0, "the empty tree", 0);
	for (long op = 1; op <= OPS; op++) {
		int key;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		key = (int)((seed >> 33) % KEYS);
		if (op % 7 == 0)                /* now and then, the least */
			for (key = 0; key < KEYS - 1 && !items[key].in; key++)
				;
		items[key].key = key;
		if (items[key].in) {
			rb_erase_cached(&items[key].rb, CACHED);
			items[key].in = false;
			check(op, "erase", key);
		} else {
			insert(&items[key]);
			items[key].in = true;
			check(op, "insert", key);
		}
	}
	ex_pass(EX, "rb_leftmost and rb_first_cached equal rb_first after "
		"each of %d mixed insertions and erasures", OPS);
}
