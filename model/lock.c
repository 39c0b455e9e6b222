// SPDX-License-Identifier: GPL-2.0
#include <assert.h>

#include "lock.h"

void lock_init(struct lock *l, const char *name)
{
	l->name = name;
	l->owner = -1;
	l->readers = 0;
}

/*
 * With a single thread nobody else can hold a lock we want: finding one
 * held is a bug in the model (a missing unlock), so it is an assertion.
 */
void down_read(struct kernel *k, struct lock *l)
{
	assert(l->owner < 0);
	(void)k;
	l->readers++;
}

void up_read(struct kernel *k, struct lock *l)
{
	(void)k;
	assert(l->readers > 0);
	l->readers--;
}

void down_write(struct kernel *k, struct lock *l)
{
	assert(l->owner < 0 && l->readers == 0);
	l->owner = k->current;
}

void up_write(struct kernel *k, struct lock *l)
{
	assert(l->owner == k->current);
	l->owner = -1;
}

bool lock_held(const struct lock *l)
{
	return l->owner >= 0 || l->readers > 0;
}

void might_sleep(struct kernel *k, const char *where)
{
	(void)k;
	(void)where;
}
