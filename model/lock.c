// SPDX-License-Identifier: GPL-2.0
#include <assert.h>

#include "lock.h"

void lock_init(struct lock *l, const char *name)
{
	l->name = name;
	l->owner = -1;
	l->readers = 0;
}

bool lock_held(const struct lock *l)
{
	return l->owner >= 0 || l->readers > 0;
}
