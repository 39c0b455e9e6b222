// SPDX-License-Identifier: GPL-2.0
/*
 * The page-cache radix tree, modelled on lib/radix-tree.c of Linux v4.14
 * with CONFIG_RADIX_TREE_MULTIORDER. See radix-tree.h for the contract.
 *
 * Layout
 *   root->rnode is NULL or a node (never an entry directly: unlike the
 *   kernel, an entry at index 0 alone still takes a leaf node). A node of
 *   shift s holds 64 slots of 2^s indices each. A slot holds NULL, a caller
 *   entry (bit 0 clear), a child node (node pointer | 1), or a sibling
 *   marker ((canonical offset << 2) | 3).
 *
 *   An entry of order o lives in the node whose shift s satisfies
 *   s <= o < s + 6: its canonical slot holds the entry and the following
 *   2^(o - s) - 1 slots hold sibling markers pointing back at it. The order
 *   is not stored; it is recovered from the length of the sibling run.
 *
 * Tags
 *   A node's tag bit for slot i is set iff slot i is a tagged entry's
 *   canonical slot, or slot i is a child node with some tag bit set. Sibling
 *   slots never carry tag bits. root_tags bit t == (rnode->tags[t] != 0).
 *
 * Height
 *   The root's shift is the smallest that covers every entry's first index
 *   and is >= every entry's node shift: insert extends the tree upwards,
 *   delete frees empty nodes and radix_tree_shrink() drops a root whose only
 *   used slot is slot 0 holding a node.
 */
#include "radix-tree.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define RADIX_TREE_INTERNAL_NODE	1UL	/* bit 0: not a caller entry */
#define RADIX_TREE_SIBLING		2UL	/* with bit 0: sibling marker */
#define RADIX_TREE_ENTRY_MASK		3UL
/* The largest useful shift: a node of shift 60 covers all 64 index bits. */
#define RADIX_TREE_MAX_SHIFT \
	(((int)sizeof(unsigned long) * 8 - 1) / RADIX_TREE_MAP_SHIFT * RADIX_TREE_MAP_SHIFT)

/* ---- slot encoding ---- */

static inline bool radix_tree_is_internal_node(const void *ptr)
{
	return (uintptr_t)ptr & RADIX_TREE_INTERNAL_NODE;
}

static inline bool is_sibling_entry(const void *ptr)
{
	return ((uintptr_t)ptr & RADIX_TREE_ENTRY_MASK) ==
	       (RADIX_TREE_INTERNAL_NODE | RADIX_TREE_SIBLING);
}

static inline bool is_node_entry(const void *ptr)
{
	return ((uintptr_t)ptr & RADIX_TREE_ENTRY_MASK) == RADIX_TREE_INTERNAL_NODE;
}

/* Only for a node entry; subtracting the tag folds into the next load. */
static inline struct radix_tree_node *entry_to_node(const void *ptr)
{
	return (struct radix_tree_node *)((uintptr_t)ptr - RADIX_TREE_INTERNAL_NODE);
}

static inline void *node_to_entry(const struct radix_tree_node *node)
{
	return (void *)((uintptr_t)node | RADIX_TREE_INTERNAL_NODE);
}

static inline void *sibling_entry(unsigned int offset)
{
	return (void *)(((uintptr_t)offset << 2) | RADIX_TREE_INTERNAL_NODE |
			RADIX_TREE_SIBLING);
}

static inline unsigned int sibling_offset(const void *ptr)
{
	return (unsigned int)((uintptr_t)ptr >> 2);
}

/* ---- index arithmetic ---- */

/* Last index a node of @shift covers, relative to its start (wraps at 60). */
static inline unsigned long shift_maxindex(unsigned int shift)
{
	return (RADIX_TREE_MAP_SIZE << shift) - 1;
}

/* First index of the node of @shift that covers @index. */
static inline unsigned long node_start(unsigned long index, unsigned int shift)
{
	return index & ~shift_maxindex(shift);
}

/* Whether a node of @shift rooted at 0 covers @index. */
static inline bool shift_covers(unsigned int shift, unsigned long index)
{
	return (index >> shift) <= RADIX_TREE_MAP_MASK;
}

/* The smallest root shift that covers @index. */
static unsigned int radix_tree_index_shift(unsigned long index)
{
	unsigned int shift = 0;

	while (!shift_covers(shift, index))
		shift += RADIX_TREE_MAP_SHIFT;
	return shift;
}

/* The shift of the node that holds an entry of @order. */
static inline unsigned int order_to_shift(unsigned int order)
{
	return order - order % RADIX_TREE_MAP_SHIFT;
}

/* ---- tag bits ---- */

static inline bool tag_get(const struct radix_tree_node *node, unsigned int tag,
			   unsigned int offset)
{
	return (node->tags[tag] >> offset) & 1;
}

static inline void tag_set(struct radix_tree_node *node, unsigned int tag,
			   unsigned int offset)
{
	node->tags[tag] |= 1ULL << offset;
}

static inline void tag_clear(struct radix_tree_node *node, unsigned int tag,
			     unsigned int offset)
{
	node->tags[tag] &= ~(1ULL << offset);
}

static inline bool any_tag_set(const struct radix_tree_node *node,
			       unsigned int tag)
{
	return node->tags[tag] != 0;
}

static inline bool root_tag_get(const struct radix_tree_root *root,
				unsigned int tag)
{
	return root->root_tags & (1U << tag);
}

static inline void root_tag_set(struct radix_tree_root *root, unsigned int tag)
{
	root->root_tags |= 1U << tag;
}

static inline void root_tag_clear(struct radix_tree_root *root,
				  unsigned int tag)
{
	root->root_tags &= ~(1U << tag);
}

/* Set @tag on slot @offset of @node and on every ancestor up to the root. */
static void node_tag_set(struct radix_tree_root *root,
			 struct radix_tree_node *node, unsigned int tag,
			 unsigned int offset)
{
	while (node) {
		if (tag_get(node, tag, offset))
			return;		/* ancestors are set already */
		tag_set(node, tag, offset);
		offset = node->offset;
		node = node->parent;
	}
	root_tag_set(root, tag);
}

/* Clear @tag on slot @offset of @node and on ancestors left untagged. */
static void node_tag_clear(struct radix_tree_root *root,
			   struct radix_tree_node *node, unsigned int tag,
			   unsigned int offset)
{
	while (node) {
		if (!tag_get(node, tag, offset))
			return;
		tag_clear(node, tag, offset);
		if (any_tag_set(node, tag))
			return;		/* something else below keeps it */
		offset = node->offset;
		node = node->parent;
	}
	root_tag_clear(root, tag);
}

/* ---- nodes ---- */

static struct radix_tree_node *
radix_tree_node_alloc(struct radix_tree_root *root,
		      struct radix_tree_node *parent, unsigned int shift,
		      unsigned int offset)
{
	struct radix_tree_node *node = calloc(1, sizeof(*node));

	if (!node) {
		perror("radix_tree_node_alloc");
		abort();
	}
	assert(((uintptr_t)node & RADIX_TREE_ENTRY_MASK) == 0);
	assert(shift <= RADIX_TREE_MAX_SHIFT);
	node->shift = (unsigned char)shift;
	node->offset = (unsigned char)offset;
	node->parent = parent;
	root->nr_nodes++;
	return node;
}

static void radix_tree_node_free(struct radix_tree_root *root,
				 struct radix_tree_node *node)
{
	if (root->leaf == node)
		root->leaf = NULL;
	assert(root->nr_nodes > 0);
	root->nr_nodes--;
	free(node);
}

/*
 * The slot of @parent that @index falls in; a sibling marker is resolved to
 * its canonical slot. *entryp gets the slot's content.
 */
static inline unsigned int radix_tree_descend(const struct radix_tree_node *parent,
					      unsigned long index, void **entryp)
{
	unsigned int offset = (index >> parent->shift) & RADIX_TREE_MAP_MASK;
	void *entry = parent->slots[offset];

	if (is_sibling_entry(entry)) {
		offset = sibling_offset(entry);
		entry = parent->slots[offset];
	}
	*entryp = entry;
	return offset;
}

/*
 * Where a walk to @index starts: the cached bottom node when it covers
 * @index, else the root; NULL when the tree cannot hold @index.
 */
static inline struct radix_tree_node *walk_start(const struct radix_tree_root *root,
						 unsigned long index)
{
	struct radix_tree_node *node = root->rnode;

	if (root->leaf && root->leaf_key == index >> RADIX_TREE_MAP_SHIFT)
		return root->leaf;
	if (!node || !shift_covers(node->shift, index))
		return NULL;
	return node;
}

/* A walk ended in @node: remember it when it is a bottom node. */
static inline void remember_leaf(const struct radix_tree_root *croot,
				 struct radix_tree_node *node, unsigned long index)
{
	struct radix_tree_root *root = (struct radix_tree_root *)croot;	/* the cache only */

	if (node->shift)
		return;
	root->leaf = node;
	root->leaf_key = index >> RADIX_TREE_MAP_SHIFT;
}

/*
 * The node holding the entry that covers @index, with its canonical slot in
 * *offsetp; NULL when no entry covers @index.
 */
static inline struct radix_tree_node *__radix_tree_lookup(const struct radix_tree_root *root,
							  unsigned long index,
							  unsigned int *offsetp)
{
	struct radix_tree_node *node = walk_start(root, index);

	if (!node)
		return NULL;
	if (node == root->leaf) {	/* a bottom node holds no node */
		void *entry;
		unsigned int offset = radix_tree_descend(node, index, &entry);

		*offsetp = offset;
		return entry ? node : NULL;
	}
	for (;;) {
		void *entry;
		unsigned int offset = radix_tree_descend(node, index, &entry);

		if (!radix_tree_is_internal_node(entry)) {
			if (!entry)
				return NULL;
			remember_leaf(root, node, index);
			*offsetp = offset;
			return node;
		}
		node = entry_to_node(entry);
	}
}

/* Slots the entry whose canonical slot is @offset takes (a power of two). */
static unsigned int entry_nr_slots(const struct radix_tree_node *node,
				   unsigned int offset)
{
	void *sibling = sibling_entry(offset);
	unsigned int n = 1;

	while (offset + n < RADIX_TREE_MAP_SIZE && node->slots[offset + n] == sibling)
		n++;
	assert((n & (n - 1)) == 0 && offset % n == 0);
	return n;
}

static unsigned int entry_order(const struct radix_tree_node *node,
				unsigned int offset)
{
	if (offset + 1 == RADIX_TREE_MAP_SIZE ||
	    node->slots[offset + 1] != sibling_entry(offset))
		return node->shift;	/* one slot, the common case */
	return node->shift + (unsigned int)__builtin_ctz(entry_nr_slots(node, offset));
}

/* Fill @iter for the entry in canonical slot @offset of @node. */
static void radix_tree_fill_iter(const struct radix_tree_node *node,
				 unsigned int offset, unsigned long index,
				 struct radix_tree_iter *iter)
{
	iter->index = node_start(index, node->shift) +
		      ((unsigned long)offset << node->shift);
	iter->order = entry_order(node, offset);
	iter->entry = node->slots[offset];
}

/* ---- init / destroy ---- */

void radix_tree_init(struct radix_tree_root *root)
{
	root->rnode = NULL;
	root->root_tags = 0;
	root->nr_nodes = 0;
	root->leaf = NULL;
}

static void radix_tree_free_nodes(struct radix_tree_root *root,
				  struct radix_tree_node *node)
{
	for (unsigned int i = 0; i < RADIX_TREE_MAP_SIZE; i++)
		if (is_node_entry(node->slots[i]))
			radix_tree_free_nodes(root, entry_to_node(node->slots[i]));
	radix_tree_node_free(root, node);
}

void radix_tree_destroy(struct radix_tree_root *root)
{
	if (root->rnode)
		radix_tree_free_nodes(root, root->rnode);
	assert(root->nr_nodes == 0);
	radix_tree_init(root);
}

/* ---- insert ---- */

/* Add levels above the root until its shift is @shift. */
static void radix_tree_extend(struct radix_tree_root *root, unsigned int shift)
{
	struct radix_tree_node *node = root->rnode;

	while (node->shift < shift) {
		struct radix_tree_node *parent =
			radix_tree_node_alloc(root, NULL,
					      node->shift + RADIX_TREE_MAP_SHIFT, 0);

		parent->slots[0] = node_to_entry(node);
		parent->count = 1;
		for (unsigned int tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
			if (root_tag_get(root, tag))
				tag_set(parent, tag, 0);
		node->parent = parent;
		node->offset = 0;
		node = parent;
	}
	root->rnode = node;
}

/*
 * The node of shift @shift on the path to @index, creating missing nodes;
 * NULL when an entry already covers the path (-EEXIST). Nodes are only
 * created below an empty slot, so a NULL return never leaves new nodes.
 */
static struct radix_tree_node *radix_tree_create(struct radix_tree_root *root,
						 unsigned long index,
						 unsigned int shift)
{
	struct radix_tree_node *node = root->rnode;

	if (!shift && root->leaf && root->leaf_key == index >> RADIX_TREE_MAP_SHIFT)
		return root->leaf;
	while (node->shift > shift) {
		unsigned int offset = (index >> node->shift) & RADIX_TREE_MAP_MASK;
		void *entry = node->slots[offset];

		if (!entry) {
			struct radix_tree_node *child =
				radix_tree_node_alloc(root, node,
						      node->shift - RADIX_TREE_MAP_SHIFT,
						      offset);

			node->slots[offset] = node_to_entry(child);
			node->count++;
			node = child;
		} else if (is_node_entry(entry)) {
			node = entry_to_node(entry);
		} else {
			return NULL;	/* an entry or sibling covers index */
		}
	}
	remember_leaf(root, node, index);
	return node;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      unsigned int order, void *entry)
{
	unsigned int shift = order_to_shift(order);
	unsigned int maxshift = radix_tree_index_shift(index);
	struct radix_tree_node *node = root->rnode;
	unsigned int offset, n;

	assert(entry && !radix_tree_is_internal_node(entry));
	assert(order < sizeof(unsigned long) * 8);
	assert((index & ((1UL << order) - 1)) == 0);
	if (!order && root->leaf && root->leaf_key == index >> RADIX_TREE_MAP_SHIFT) {
		node = root->leaf;	/* the cached bottom node: one slot */
		offset = index & RADIX_TREE_MAP_MASK;
		if (node->slots[offset])
			return -EEXIST;
		node->slots[offset] = entry;
		node->count++;
		return 0;
	}

	if (shift > maxshift)
		maxshift = shift;
	if (!node) {
		root->rnode = radix_tree_node_alloc(root, NULL, maxshift, 0);
	} else if (maxshift > node->shift) {
		/*
		 * An entry bigger than the root's slots either covers the whole
		 * of the (non-empty) tree or lies wholly beyond it.
		 */
		if (shift > node->shift && shift_covers(node->shift, index))
			return -EEXIST;
		radix_tree_extend(root, maxshift);
	}

	node = radix_tree_create(root, index, shift);
	if (!node)
		return -EEXIST;

	offset = (index >> shift) & RADIX_TREE_MAP_MASK;
	n = 1U << (order - shift);
	for (unsigned int i = 0; i < n; i++)
		if (node->slots[offset + i])
			return -EEXIST;

	node->slots[offset] = entry;
	for (unsigned int i = 1; i < n; i++)
		node->slots[offset + i] = sibling_entry(offset);
	node->count = (unsigned char)(node->count + n);
	return 0;
}

/* ---- lookup / replace ---- */

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = walk_start(root, index);
	void *entry;

	if (!node)
		return NULL;
	/*
	 * radix_tree_descend() with the tests ordered for the hot path: a
	 * caller entry or NULL ends the walk, a node continues it, and only a
	 * sibling (inside a multi-order entry) takes the extra load.
	 */
	for (;;) {
		entry = node->slots[(index >> node->shift) & RADIX_TREE_MAP_MASK];
		if (!radix_tree_is_internal_node(entry)) {
			remember_leaf(root, node, index);
			return entry;
		}
		if ((uintptr_t)entry & RADIX_TREE_SIBLING)
			return node->slots[sibling_offset(entry)];
		node = entry_to_node(entry);
	}
}

bool radix_tree_lookup_iter(const struct radix_tree_root *root,
			    unsigned long index, struct radix_tree_iter *iter)
{
	unsigned int offset;
	struct radix_tree_node *node = __radix_tree_lookup(root, index, &offset);

	if (!node)
		return false;
	radix_tree_fill_iter(node, offset, index, iter);
	return true;
}

void **radix_tree_lookup_slot(const struct radix_tree_root *root,
			      unsigned long index)
{
	unsigned int offset;
	struct radix_tree_node *node = __radix_tree_lookup(root, index, &offset);

	return node ? &node->slots[offset] : NULL;
}

void *radix_tree_replace(struct radix_tree_root *root, unsigned long index,
			 void *entry)
{
	unsigned int offset;
	struct radix_tree_node *node = __radix_tree_lookup(root, index, &offset);
	void *old;

	assert(entry && !radix_tree_is_internal_node(entry));
	assert(node);		/* the index must be covered */
	if (!node)
		return NULL;
	old = node->slots[offset];
	node->slots[offset] = entry;
	return old;
}

/* ---- delete ---- */

/* Drop root levels whose only used slot is slot 0 holding a node. */
static void radix_tree_shrink(struct radix_tree_root *root)
{
	struct radix_tree_node *node = root->rnode;

	while (node && node->count == 1 && is_node_entry(node->slots[0])) {
		struct radix_tree_node *child = entry_to_node(node->slots[0]);

		child->parent = NULL;
		child->offset = 0;
		root->rnode = child;
		radix_tree_node_free(root, node);
		node = child;
	}
}

/* Free @node and its ancestors while they are empty, then shrink. */
static void radix_tree_delete_node(struct radix_tree_root *root,
				   struct radix_tree_node *node)
{
	while (node->count == 0) {
		struct radix_tree_node *parent = node->parent;

		for (unsigned int tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
			assert(!any_tag_set(node, tag));
		if (parent) {
			assert(parent->slots[node->offset] == node_to_entry(node));
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			assert(root->root_tags == 0);
			root->rnode = NULL;
		}
		radix_tree_node_free(root, node);
		if (!parent)
			return;
		node = parent;
	}
	radix_tree_shrink(root);
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	unsigned int offset, n;
	struct radix_tree_node *node = __radix_tree_lookup(root, index, &offset);
	void *entry;

	if (!node)
		return NULL;
	entry = node->slots[offset];
	n = entry_nr_slots(node, offset);
	for (unsigned int tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
		node_tag_clear(root, node, tag, offset);
	for (unsigned int i = 0; i < n; i++)
		node->slots[offset + i] = NULL;
	assert(node->count >= n);
	node->count = (unsigned char)(node->count - n);
	radix_tree_delete_node(root, node);
	return entry;
}

/* ---- tags ---- */

void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned int tag)
{
	unsigned int offset;
	struct radix_tree_node *node;

	assert(tag < RADIX_TREE_MAX_TAGS);
	node = __radix_tree_lookup(root, index, &offset);
	assert(node);		/* the entry must be present */
	if (node)
		node_tag_set(root, node, tag, offset);
}

void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned int tag)
{
	unsigned int offset;
	struct radix_tree_node *node;

	assert(tag < RADIX_TREE_MAX_TAGS);
	if (!root_tag_get(root, tag))
		return;
	node = __radix_tree_lookup(root, index, &offset);
	if (node)
		node_tag_clear(root, node, tag, offset);
}

bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index,
			unsigned int tag)
{
	unsigned int offset;
	struct radix_tree_node *node;

	assert(tag < RADIX_TREE_MAX_TAGS);
	if (!root_tag_get(root, tag))
		return false;
	node = __radix_tree_lookup(root, index, &offset);
	return node && tag_get(node, tag, offset);
}

bool radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag)
{
	assert(tag < RADIX_TREE_MAX_TAGS);
	return root_tag_get(root, tag);
}

/* ---- iteration ---- */

/*
 * The first slot >= @offset of @node where an iteration may stop or descend:
 * for a tag, a slot whose tag bit is set (a bitmap scan); otherwise a
 * non-NULL slot that is not a sibling. RADIX_TREE_MAP_SIZE when none.
 */
static unsigned int radix_tree_find_next_slot(const struct radix_tree_node *node,
					      unsigned int offset, int tag)
{
	if (tag >= 0) {
		uint64_t bits;

		if (offset >= RADIX_TREE_MAP_SIZE)
			return RADIX_TREE_MAP_SIZE;
		bits = node->tags[tag] >> offset;
		return bits ? offset + (unsigned int)__builtin_ctzll(bits)
			    : RADIX_TREE_MAP_SIZE;
	}
	while (offset < RADIX_TREE_MAP_SIZE) {
		void *entry = node->slots[offset];

		if (!entry)
			offset++;
		else if (is_sibling_entry(entry))
			offset = sibling_offset(entry) +
				 entry_nr_slots(node, sibling_offset(entry));
		else
			break;
	}
	return offset;
}

bool radix_tree_next(const struct radix_tree_root *root, unsigned long start,
		     unsigned long last, int tag, struct radix_tree_iter *iter)
{
	struct radix_tree_node *node = walk_start(root, start);
	unsigned long index = start;
	unsigned int offset;
	void *entry;

	assert(tag < RADIX_TREE_MAX_TAGS);
	/*
	 * From the cached bottom node as from the root: the search climbs
	 * from it, and an untagged path above it means no tag in it.
	 */
	if (!node || start > last)
		return false;
	if (tag >= 0 && !root_tag_get(root, tag))
		return false;

	/* The slot covering start, possibly inside a multi-order entry. */
	offset = radix_tree_descend(node, index, &entry);
	for (;;) {
		if (entry && (tag < 0 || tag_get(node, tag, offset))) {
			if (!is_node_entry(entry))
				break;
			node = entry_to_node(entry);
			offset = radix_tree_descend(node, index, &entry);
			continue;
		}
		/* Nothing here: the next candidate slot, climbing as needed. */
		offset = radix_tree_find_next_slot(node, offset + 1, tag);
		while (offset == RADIX_TREE_MAP_SIZE) {
			if (!node->parent)
				return false;
			offset = radix_tree_find_next_slot(node->parent,
							   node->offset + 1U, tag);
			node = node->parent;
		}
		index = node_start(index, node->shift) +
			((unsigned long)offset << node->shift);
		if (index > last)
			return false;
		entry = node->slots[offset];
	}
	remember_leaf(root, node, index);
	radix_tree_fill_iter(node, offset, index, iter);
	return true;
}

/* ---- memory ---- */

size_t radix_tree_memory(const struct radix_tree_root *root)
{
	return root->nr_nodes * sizeof(struct radix_tree_node);
}

/* ---- consistency check (for tests) ---- */

#define RT_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "radix_tree_check: %s failed at "	\
				"node %p shift %u\n", #cond, (void *)node,	\
				node ? node->shift : 0U);		\
			return false;					\
		}							\
	} while (0)

static bool radix_tree_check_node(const struct radix_tree_node *node,
				  size_t *nr_nodes)
{
	unsigned int count = 0;

	(*nr_nodes)++;
	RT_CHECK(node->shift % RADIX_TREE_MAP_SHIFT == 0);
	RT_CHECK(node->shift <= RADIX_TREE_MAX_SHIFT);
	for (unsigned int i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		void *entry = node->slots[i];

		if (!entry) {
			for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				RT_CHECK(!tag_get(node, t, i));
			continue;
		}
		count++;
		/* slots past the top of a shift-60 node would wrap */
		RT_CHECK(node->shift + RADIX_TREE_MAP_SHIFT <= 64 ||
			 (i >> (64 - node->shift)) == 0);
		if (is_node_entry(entry)) {
			const struct radix_tree_node *child = entry_to_node(entry);

			RT_CHECK(node->shift >= RADIX_TREE_MAP_SHIFT);
			RT_CHECK(child->parent == node);
			RT_CHECK(child->offset == i);
			RT_CHECK(child->shift + RADIX_TREE_MAP_SHIFT == node->shift);
			for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				RT_CHECK(tag_get(node, t, i) == any_tag_set(child, t));
			if (!radix_tree_check_node(child, nr_nodes))
				return false;
		} else if (is_sibling_entry(entry)) {
			unsigned int canon = sibling_offset(entry);

			RT_CHECK(canon < i);
			RT_CHECK(node->slots[canon] &&
				 !radix_tree_is_internal_node(node->slots[canon]));
			for (unsigned int j = canon + 1; j < i; j++)
				RT_CHECK(node->slots[j] == entry);
			for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				RT_CHECK(!tag_get(node, t, i));
		} else {
			unsigned int n = 1;

			RT_CHECK(((uintptr_t)entry & RADIX_TREE_INTERNAL_NODE) == 0);
			while (i + n < RADIX_TREE_MAP_SIZE &&
			       node->slots[i + n] == sibling_entry(i))
				n++;
			RT_CHECK((n & (n - 1)) == 0);
			RT_CHECK(n < RADIX_TREE_MAP_SIZE);
			RT_CHECK(i % n == 0);
		}
	}
	RT_CHECK(count > 0);
	RT_CHECK(count == node->count);
	return true;
}

bool radix_tree_check(const struct radix_tree_root *root)
{
	const struct radix_tree_node *node = root->rnode;
	size_t nr_nodes = 0;

	RT_CHECK((root->root_tags >> RADIX_TREE_MAX_TAGS) == 0);
	if (!node) {
		RT_CHECK(root->root_tags == 0);
		RT_CHECK(root->nr_nodes == 0);
		RT_CHECK(root->leaf == NULL);
		return true;
	}
	if (root->leaf) {	/* the cached bottom node is the one a walk reaches */
		unsigned long index = root->leaf_key << RADIX_TREE_MAP_SHIFT;

		RT_CHECK(root->leaf->shift == 0 && shift_covers(node->shift, index));
		while (node->shift) {
			void *entry = node->slots[(index >> node->shift) & RADIX_TREE_MAP_MASK];

			RT_CHECK(is_node_entry(entry));
			node = entry_to_node(entry);
		}
		RT_CHECK(node == root->leaf);
		node = root->rnode;
	}
	RT_CHECK(node->parent == NULL);
	for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		RT_CHECK(root_tag_get(root, t) == any_tag_set(node, t));
	/* radix_tree_shrink() leaves no root that only leads to slot 0 */
	RT_CHECK(!(node->count == 1 && is_node_entry(node->slots[0])));
	if (!radix_tree_check_node(node, &nr_nodes))
		return false;
	node = NULL;
	RT_CHECK(nr_nodes == root->nr_nodes);
	return true;
}

/* ---- a walk for dumps ---- */

struct visit {
	radix_tree_node_fn node_fn;
	radix_tree_slot_fn slot_fn;
	void *ctx;
	int next_id;
};

static void visit_node(struct visit *v, const struct radix_tree_node *node,
		       unsigned long first, int parent, int depth)
{
	int id = v->next_id++;
	unsigned exceptional = 0;

	/* node->exceptional: entries with bit 1 set (RADIX_TREE_EXCEPTIONAL_ENTRY) */
	for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++)
		if (node->slots[i] && !radix_tree_is_internal_node(node->slots[i]) &&
		    ((uintptr_t)node->slots[i] & 2))
			exceptional++;
	v->node_fn(v->ctx, node, id, parent, first, first + shift_maxindex(node->shift),
		   exceptional, depth);
	for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		void *slot = node->slots[i];
		unsigned long start = first + ((unsigned long)i << node->shift);

		if (!slot)
			continue;
		if (is_node_entry(slot))
			visit_node(v, entry_to_node(slot), start, id, depth + 1);
		else
			v->slot_fn(v->ctx, i, start, start + (1UL << node->shift) - 1,
				   is_sibling_entry(slot),
				   first + ((unsigned long)sibling_offset(slot) << node->shift),
				   id, depth);
	}
}

void radix_tree_visit(const struct radix_tree_root *root, radix_tree_node_fn node_fn,
		      radix_tree_slot_fn slot_fn, void *ctx)
{
	struct visit v = { node_fn, slot_fn, ctx, 0 };

	if (root->rnode)
		visit_node(&v, root->rnode, 0, -1, 0);
}
