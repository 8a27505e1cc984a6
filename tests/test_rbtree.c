/* test_rbtree.c -- appendix rbtree: the red-black tree of lib/rbtree.c.
 * Exact shapes after small insertions and erasures (root, leaf, a node
 * with two children), walks against the sorted set, rb_replace_node, the
 * checker against broken trees, and long sequences (ascending, descending,
 * random, 100,000 mixed operations) checked as they go.  The tree needs
 * no machine, so these tests do not boot one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

struct item {
	struct rb_node rb;
	int key;
};

static int key_of(const struct rb_node *n)
{
	return rb_entry(n, struct item, rb)->key;
}

static int cmp_items(const struct rb_node *a, const struct rb_node *b)
{
	return (key_of(a) > key_of(b)) - (key_of(a) < key_of(b));
}

/* The caller's half of an insertion: search with our own comparison,
 * then link and rebalance.  Returns 0, or -1 if the key is there. */
static int insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (it->key < key_of(parent))
			link = &parent->rb_left;
		else if (it->key > key_of(parent))
			link = &parent->rb_right;
		else
			return -1;
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color(&it->rb, root);
	return 0;
}

static struct item *search(struct rb_root *root, int key)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		if (key < key_of(n))
			n = n->rb_left;
		else if (key > key_of(n))
			n = n->rb_right;
		else
			return rb_entry(n, struct item, rb);
	}
	return NULL;
}

/* The whole check: rb_check's rules, and the node count. */
static int check(struct rb_root *root, int count)
{
	const char *why;
	int bh = rb_check(root, cmp_items, &why);
	int n = 0;

	if (bh < 0)
		fprintf(stderr, "rb_check: %s\n", why);
	for (struct rb_node *p = rb_first(root); p; p = rb_next(p))
		n++;
	if (n != count)
		fprintf(stderr, "rb_check: %d nodes, expected %d\n", n, count);
	return bh >= 0 && n == count;
}

/* The tree in preorder: KEY then R or B, children in parentheses, a
 * missing child as "-" (only when the other child exists). */
static void shape_of(const struct rb_node *n, char *buf, size_t size)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%d%c", key_of(n),
		 n->rb_color == RB_RED ? 'R' : 'B');
	if (!n->rb_left && !n->rb_right)
		return;
	strncat(buf, "(", size - strlen(buf) - 1);
	if (n->rb_left)
		shape_of(n->rb_left, buf, size);
	else
		strncat(buf, "-", size - strlen(buf) - 1);
	strncat(buf, ",", size - strlen(buf) - 1);
	if (n->rb_right)
		shape_of(n->rb_right, buf, size);
	else
		strncat(buf, "-", size - strlen(buf) - 1);
	strncat(buf, ")", size - strlen(buf) - 1);
}

static const char *shape(struct rb_root *root)
{
	static char buf[4096];

	buf[0] = '\0';
	if (root->rb_node)
		shape_of(root->rb_node, buf, sizeof(buf));
	return buf;
}

/* A small fixed-seed generator, the same on every libc. */
static unsigned long long rng_state;

static unsigned int rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state >> 11);
}

static void shuffle(int *a, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rng() % (i + 1), t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

/* A tree of 1..8 inserted in ascending order, whose shape is worked out
 * by hand in the tests below. */
static struct item eight[9];

static struct rb_root tree_of_eight(void)
{
	struct rb_root root = RB_ROOT;

	for (int k = 1; k <= 8; k++) {
		eight[k].key = k;
		CU_ASSERT_EQUAL(insert(&root, &eight[k]), 0);
	}
	return root;
}

/* ------------------------------------------------------------ small */

static void test_empty_tree(void)
{
	struct rb_root root = RB_ROOT;
	const char *why;

	CU_ASSERT_PTR_NULL(root.rb_node);
	CU_ASSERT_PTR_NULL(rb_first(&root));
	CU_ASSERT_PTR_NULL(rb_last(&root));
	CU_ASSERT_EQUAL(rb_check(&root, cmp_items, &why), 0);
	CU_ASSERT_PTR_NULL(why);
	CU_ASSERT_PTR_NULL(search(&root, 1));

	struct item a = { .key = 1 };
	CU_ASSERT_EQUAL(insert(&root, &a), 0);
	CU_ASSERT_STRING_EQUAL(shape(&root), "1B");   /* the root turns black */
	CU_ASSERT_PTR_NULL(a.rb.rb_parent);
	CU_ASSERT_PTR_EQUAL(rb_first(&root), &a.rb);
	CU_ASSERT_PTR_EQUAL(rb_last(&root), &a.rb);
	CU_ASSERT_PTR_NULL(rb_next(&a.rb));
	CU_ASSERT_PTR_NULL(rb_prev(&a.rb));
	CU_ASSERT_EQUAL(rb_check(&root, cmp_items, &why), 1);
	CU_ASSERT_EQUAL(insert(&root, &a), -1);       /* the caller refuses */
	rb_erase(&a.rb, &root);
	CU_ASSERT_PTR_NULL(root.rb_node);
	CU_ASSERT_TRUE(check(&root, 0));
}

static void test_insert_cases_by_hand(void)
{
	struct rb_root root = RB_ROOT;
	struct item it[9];
	static const char *const after[9] = {
		"",
		"1B",
		"1B(-,2R)",
		"2B(1R,3R)",                     /* uncle missing: rotate */
		"2B(1B,3B(-,4R))",               /* uncle red: recolour */
		"2B(1B,4B(3R,5R))",
		"2B(1B,4R(3B,5B(-,6R)))",
		"2B(1B,4R(3B,6B(5R,7R)))",
		"4B(2R(1B,3B),6R(5B,7B(-,8R)))", /* recolour, then rotate */
	};

	for (int k = 1; k <= 8; k++) {
		it[k].key = k;
		insert(&root, &it[k]);
		CU_ASSERT_STRING_EQUAL(shape(&root), after[k]);
		CU_ASSERT_TRUE(check(&root, k));
	}
	/* An inner grandchild: two rotations. */
	struct rb_root r2 = RB_ROOT;
	struct item a = { .key = 10 }, b = { .key = 5 }, c = { .key = 7 };
	insert(&r2, &a);
	insert(&r2, &b);
	insert(&r2, &c);
	CU_ASSERT_STRING_EQUAL(shape(&r2), "7B(5R,10R)");
	CU_ASSERT_TRUE(check(&r2, 3));
	CU_ASSERT_EQUAL(rb_check(&root, cmp_items, &(const char *){0}), 2);
}

static void test_erase_root(void)
{
	struct rb_root root = tree_of_eight();

	rb_erase(&eight[4].rb, &root);     /* 5 moves up; sibling case 4 */
	CU_ASSERT_STRING_EQUAL(shape(&root), "5B(2R(1B,3B),7R(6B,8B))");
	CU_ASSERT_PTR_EQUAL(root.rb_node, &eight[5].rb);
	CU_ASSERT_PTR_NULL(eight[5].rb.rb_parent);
	CU_ASSERT_TRUE(check(&root, 7));
	CU_ASSERT_PTR_NULL(search(&root, 4));
}

static void test_erase_leaves(void)
{
	struct rb_root root = tree_of_eight();

	rb_erase(&eight[8].rb, &root);     /* a red leaf: nothing to repair */
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(2R(1B,3B),6R(5B,7B))");
	CU_ASSERT_TRUE(check(&root, 7));

	root = tree_of_eight();
	rb_erase(&eight[1].rb, &root);     /* a black leaf: sibling recoloured */
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(2B(-,3R),6R(5B,7B(-,8R)))");
	CU_ASSERT_TRUE(check(&root, 7));
}

static void test_erase_node_with_two_children(void)
{
	struct rb_root root = tree_of_eight();

	/* 6's successor is its own right child 7, which brings 8 along. */
	rb_erase(&eight[6].rb, &root);
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(2R(1B,3B),7R(5B,8B))");
	CU_ASSERT_TRUE(check(&root, 7));
	CU_ASSERT_PTR_EQUAL(eight[5].rb.rb_parent, &eight[7].rb);

	root = tree_of_eight();
	rb_erase(&eight[2].rb, &root);     /* the hole is on the right */
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(3B(1R,-),6R(5B,7B(-,8R)))");
	CU_ASSERT_TRUE(check(&root, 7));

	/* A successor deeper down: erase 4 from 1..15. */
	struct rb_root big = RB_ROOT;
	struct item it[16];
	for (int k = 1; k <= 15; k++) {
		it[k].key = k;
		insert(&big, &it[k]);
	}
	CU_ASSERT_TRUE(check(&big, 15));
	struct rb_node *succ = rb_next(&it[4].rb);
	CU_ASSERT_PTR_EQUAL(succ, &it[5].rb);
	int color = it[4].rb.rb_color;
	struct rb_node *above = it[4].rb.rb_parent;
	rb_erase(&it[4].rb, &big);
	CU_ASSERT_TRUE(check(&big, 14));
	CU_ASSERT_PTR_NULL(search(&big, 4));
	/* 5 took 4's place in the tree, and nothing moved in memory. */
	CU_ASSERT_PTR_EQUAL(it[5].rb.rb_parent, above);
	CU_ASSERT_EQUAL(it[5].rb.rb_color, color);
	for (int k = 1; k <= 15; k++)
		CU_ASSERT_PTR_EQUAL(search(&big, k), k == 4 ? NULL : &it[k]);
}

/* ------------------------------------------------------------ walks */

static void test_walks_equal_sorted_set(void)
{
	enum { N = 2000 };
	static struct item it[N];
	static int keys[N];
	struct rb_root root = RB_ROOT;
	int i, n = 0;

	rng_state = 0x9E3779B97F4A7C15ULL;
	for (i = 0; i < N; i++)
		keys[i] = 3 * i + 1;            /* sorted, with gaps */
	for (i = 0; i < N; i++) {
		it[i].key = keys[i];
	}
	int order[N];
	for (i = 0; i < N; i++)
		order[i] = i;
	shuffle(order, N);
	for (i = 0; i < N; i++)
		CU_ASSERT_EQUAL(insert(&root, &it[order[i]]), 0);
	CU_ASSERT_TRUE(check(&root, N));

	i = 0;
	for (struct rb_node *p = rb_first(&root); p; p = rb_next(p), i++)
		if (i < N && key_of(p) != keys[i])
			n++;
	CU_ASSERT_EQUAL(i, N);
	CU_ASSERT_EQUAL(n, 0);

	i = N - 1;
	n = 0;
	for (struct rb_node *p = rb_last(&root); p; p = rb_prev(p), i--)
		if (i >= 0 && key_of(p) != keys[i])
			n++;
	CU_ASSERT_EQUAL(i, -1);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(key_of(rb_first(&root)), 1);
	CU_ASSERT_EQUAL(key_of(rb_last(&root)), 3 * (N - 1) + 1);
}

static void test_replace_node(void)
{
	struct rb_root root = tree_of_eight();
	struct item new6 = { .key = 6 }, new4 = { .key = 4 };
	struct item new1 = { .key = 1 };

	rb_replace_node(&eight[6].rb, &new6.rb, &root);   /* inner node */
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(2R(1B,3B),6R(5B,7B(-,8R)))");
	CU_ASSERT_TRUE(check(&root, 8));
	CU_ASSERT_PTR_EQUAL(search(&root, 6), &new6);
	CU_ASSERT_PTR_EQUAL(eight[5].rb.rb_parent, &new6.rb);
	CU_ASSERT_PTR_EQUAL(eight[7].rb.rb_parent, &new6.rb);
	CU_ASSERT_PTR_EQUAL(eight[4].rb.rb_right, &new6.rb);

	rb_replace_node(&eight[4].rb, &new4.rb, &root);   /* the root */
	CU_ASSERT_PTR_EQUAL(root.rb_node, &new4.rb);
	CU_ASSERT_PTR_NULL(new4.rb.rb_parent);
	CU_ASSERT_PTR_EQUAL(new6.rb.rb_parent, &new4.rb);

	rb_replace_node(&eight[1].rb, &new1.rb, &root);   /* a leaf */
	CU_ASSERT_PTR_EQUAL(eight[2].rb.rb_left, &new1.rb);
	CU_ASSERT_STRING_EQUAL(shape(&root), "4B(2R(1B,3B),6R(5B,7B(-,8R)))");
	CU_ASSERT_TRUE(check(&root, 8));

	/* The walk meets the new nodes, never the old ones. */
	int seen = 0;
	for (struct rb_node *p = rb_first(&root); p; p = rb_next(p)) {
		CU_ASSERT_TRUE(p != &eight[1].rb && p != &eight[4].rb &&
			       p != &eight[6].rb);
		seen++;
	}
	CU_ASSERT_EQUAL(seen, 8);
}

/* ------------------------------------------------------------ the checker */

static void expect_broken(struct rb_root *root, const char *reason)
{
	const char *why;

	CU_ASSERT_EQUAL(rb_check(root, cmp_items, &why), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, reason);
}

static void test_checker_finds_each_broken_rule(void)
{
	struct rb_root root = tree_of_eight();

	CU_ASSERT_EQUAL(rb_check(&root, cmp_items, &(const char *){0}), 2);

	eight[4].rb.rb_color = RB_RED;
	expect_broken(&root, "the root is not black");
	eight[4].rb.rb_color = RB_BLACK;

	eight[8].rb.rb_color = 7;
	expect_broken(&root, "a node is neither red nor black");
	eight[8].rb.rb_color = RB_RED;

	eight[7].rb.rb_color = RB_RED;            /* 6R has a red child */
	expect_broken(&root, "a red node has a red child");
	eight[7].rb.rb_color = RB_BLACK;

	eight[8].rb.rb_color = RB_BLACK;          /* one path gains a black */
	expect_broken(&root, "two paths have different black heights");
	eight[8].rb.rb_color = RB_RED;

	eight[3].rb.rb_parent = &eight[4].rb;
	expect_broken(&root, "a node's parent pointer is wrong");
	eight[3].rb.rb_parent = &eight[2].rb;

	eight[5].rb.rb_left = &eight[6].rb;       /* a cycle: caught, no loop */
	expect_broken(&root, "a node's parent pointer is wrong");
	eight[5].rb.rb_left = NULL;

	eight[3].key = 9;
	expect_broken(&root, "the nodes are not in order");
	eight[3].key = 3;

	CU_ASSERT_TRUE(check(&root, 8));
}

/* ------------------------------------------------------------ sequences */

/* Insert keys in the given order, then erase them in another, checking
 * the whole tree after every operation while it has fewer than 64 nodes
 * or the operation's number is a multiple of EVERY, and at the end. */
static void run_sequence(const int *ins, const int *del, int n, int every)
{
	struct item *it = calloc(n, sizeof(*it));
	struct rb_root root = RB_ROOT;
	int bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(it);
	for (int i = 0; i < n; i++) {
		it[ins[i]].key = ins[i];
		if (insert(&root, &it[ins[i]]) != 0)
			bad++;
		if ((i < 64 || i % every == 0 || i == n - 1) &&
		    !check(&root, i + 1))
			bad++;
	}
	for (int i = 0; i < n; i++) {
		rb_erase(&it[del[i]].rb, &root);
		if (search(&root, del[i]))
			bad++;
		if ((n - 1 - i < 64 || i % every == 0) &&
		    !check(&root, n - 1 - i))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_PTR_NULL(root.rb_node);
	free(it);
}

enum { SEQ = 1000 };

static void test_ascending_and_descending(void)
{
	static int up[SEQ], down[SEQ];

	for (int i = 0; i < SEQ; i++) {
		up[i] = i;
		down[i] = SEQ - 1 - i;
	}
	run_sequence(up, up, SEQ, 1);
	run_sequence(up, down, SEQ, 1);
	run_sequence(down, up, SEQ, 1);
	run_sequence(down, down, SEQ, 1);
}

/* The same orders at 50,000 keys, checked every 5,000 operations. */
enum { BIG = 50000 };

static void test_large_sequences(void)
{
	static int up[BIG], down[BIG], mixed[BIG];

	rng_state = 0x5DEECE66DULL;
	for (int i = 0; i < BIG; i++) {
		up[i] = mixed[i] = i;
		down[i] = BIG - 1 - i;
	}
	shuffle(mixed, BIG);
	run_sequence(up, down, BIG, 5000);
	run_sequence(down, mixed, BIG, 5000);
	run_sequence(mixed, up, BIG, 5000);
}

static void test_random_order(void)
{
	static int ins[SEQ], del[SEQ];

	rng_state = 0x0123456789ABCDEFULL;
	for (int i = 0; i < SEQ; i++)
		ins[i] = del[i] = i;
	shuffle(ins, SEQ);
	shuffle(del, SEQ);
	run_sequence(ins, del, SEQ, 1);
}

/* 100,000 operations on keys 0..4095, each an insertion of an absent key
 * or an erasure of a present one, at random: checked after every
 * operation while the tree is small, then every 1,000. */
static void test_mixed_operations(void)
{
	enum { KEYS = 4096, OPS = 100000 };
	static struct item it[KEYS];
	static char present[KEYS];
	struct rb_root root = RB_ROOT;
	int count = 0, bad = 0, checks = 0, max = 0;

	rng_state = 0xDEADBEEFCAFEF00DULL;
	memset(present, 0, sizeof(present));
	for (int k = 0; k < KEYS; k++)
		it[k].key = k;
	for (int op = 0; op < OPS; op++) {
		int k = rng() % KEYS;

		if (present[k]) {
			rb_erase(&it[k].rb, &root);
			count--;
		} else if (insert(&root, &it[k]) != 0) {
			bad++;
		} else {
			count++;
		}
		present[k] = !present[k];
		max = count > max ? count : max;
		if (count < 64 || op % 1000 == 999) {
			bad += !check(&root, count);
			checks++;
		}
	}
	for (int k = 0; k < KEYS; k++)
		if ((search(&root, k) != NULL) != present[k])
			bad++;
	/* Both walks meet exactly the present keys, in order. */
	struct rb_node *p = rb_first(&root), *q = rb_last(&root);
	for (int k = 0; k < KEYS; k++) {
		if (!present[k])
			continue;
		if (!p || key_of(p) != k)
			bad++;
		p = p ? rb_next(p) : NULL;
	}
	for (int k = KEYS - 1; k >= 0; k--) {
		if (!present[k])
			continue;
		if (!q || key_of(q) != k)
			bad++;
		q = q ? rb_prev(q) : NULL;
	}
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NULL(q);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_TRUE(checks >= OPS / 1000);
	CU_ASSERT_TRUE(max > 1000);              /* the tree did grow large */
}

TEST_SUITE(rbtree, "appendix rbtree", NULL, NULL,
	{ "empty tree", test_empty_tree },
	{ "insertion cases by hand", test_insert_cases_by_hand },
	{ "erase the root", test_erase_root },
	{ "erase leaves", test_erase_leaves },
	{ "erase a node with two children",
	  test_erase_node_with_two_children },
	{ "walks equal the sorted set", test_walks_equal_sorted_set },
	{ "rb_replace_node", test_replace_node },
	{ "the checker finds each broken rule",
	  test_checker_finds_each_broken_rule },
	{ "ascending and descending", test_ascending_and_descending },
	{ "random order", test_random_order },
	{ "50,000 keys in three orders", test_large_sequences },
	{ "100,000 mixed operations", test_mixed_operations })
