/* ex-rbtree.h -- what the checks of Appendix B's exercises share: a
 * tree of integer keys, inserted in order of key. */
#ifndef EX_RBTREE_H
#define EX_RBTREE_H
#include "ex-kernel.h"

struct item { struct rb_node rb; int key; };

static inline void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, rb)->key
		       ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color(&it->rb, root);
}
#endif
