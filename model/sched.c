// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler of simulated kernel threads (kernel/sched/core.c's
 * schedule() and try_to_wake_up(), reduced to one CPU and a chooser).
 * Every switch goes through sched_run()'s context: a task stops at a point,
 * sched_run() asks the chooser and resumes the chosen task. Deterministic:
 * the runnable tasks are offered by id, nothing depends on time or
 * addresses.
 */
#include <assert.h>
#include <stdint.h>

#include "kernel.h"
#include "lock.h"
#include "task.h"

#if defined(__SANITIZE_ADDRESS__)
#define SCHED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCHED_ASAN 1
#endif
#endif

#ifdef SCHED_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(__x86_64__)
/*
 * sched_ctx_switch(&from->sp, to->sp): push the System V ABI's
 * callee-saved registers, save the stack pointer, load the other's and pop
 * its registers; `ret` resumes it where it switched away, or, the first
 * time, in sched_task_start (kthread_create() built that frame), which
 * calls the task's entry (%r13) with its kernel (%r12). The compiler saves
 * everything else around the call, as around any call.
 */
void mmsim_sched_ctx_switch(void **from_sp, void *to_sp);
void mmsim_sched_task_start(void);
__asm__(".text\n"
	".globl mmsim_sched_ctx_switch\n"
	".hidden mmsim_sched_ctx_switch\n"
	".type mmsim_sched_ctx_switch, @function\n"
	"mmsim_sched_ctx_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size mmsim_sched_ctx_switch, .-mmsim_sched_ctx_switch\n"
	".globl mmsim_sched_task_start\n"
	".hidden mmsim_sched_task_start\n"
	".type mmsim_sched_task_start, @function\n"
	"mmsim_sched_task_start:\n"
	"	movq %r12, %rdi\n"
	"	call *%r13\n"
	"	ud2\n"
	".size mmsim_sched_task_start, .-mmsim_sched_task_start\n");

static void sched_switch(struct sched_context *from, struct sched_context *to)
{
	mmsim_sched_ctx_switch(&from->sp, to->sp);
}
#else
#ifdef SCHED_ASAN
#include <dlfcn.h>

/*
 * libc's swapcontext(), past ASan's interceptor: the interceptor prints a
 * warning with the process id once (output that would differ run to run)
 * and clears the target stack's shadow; the fiber annotations below are
 * what ASan needs, and a task's stack only ever holds live frames.
 */
static int sched_swapcontext(ucontext_t *from, const ucontext_t *to)
{
	static int (*libc_swapcontext)(ucontext_t *, const ucontext_t *);

	if (!libc_swapcontext) {
		void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

		if (libc)
			*(void **)&libc_swapcontext = dlsym(libc, "swapcontext");
		if (!libc_swapcontext)
			libc_swapcontext = swapcontext;
	}
	return libc_swapcontext(from, to);
}
#else
#define sched_swapcontext swapcontext
#endif

static void sched_switch(struct sched_context *from, struct sched_context *to)
{
	sched_swapcontext(&from->uc, &to->uc);
}
#endif

/*
 * A task's stack (SCHED_STACK_SIZE, task.h). The model's deepest path is
 * a write fault that allocates blocks: handle_mm_fault -> ext4's fault
 * handler -> dax_iomap_fault -> ext4_iomap_begin -> ext4_map_blocks ->
 * the extent tree and the block allocator -> the radix tree, a few dozen
 * frames of a few hundred bytes, no recursion deeper than the logarithmic
 * AVL and radix trees. test_sched.c's stack_high_water measures it (under
 * 64 KiB, ASan's redzones included); 256 KiB leaves the rest as margin.
 */

/*
 * Stacks are kept for the next tasks: an exploration makes and ends a few
 * tasks a schedule, and under ASan a 256 KiB allocation is an mmap and a
 * munmap, which was most of a sanitizer build's time. A kept stack's
 * shadow may still mark the frames it held: unpoisoned when reused.
 */
#define SCHED_STACKS_KEPT	8
static void *stacks_kept[SCHED_STACKS_KEPT];
static int nr_stacks_kept;

static void *stack_alloc(void)
{
	void *stack;

	if (!nr_stacks_kept)
		return g_malloc(SCHED_STACK_SIZE);
	stack = stacks_kept[--nr_stacks_kept];
#ifdef SCHED_ASAN
	__asan_unpoison_memory_region(stack, SCHED_STACK_SIZE);
#endif
	return stack;
}

static void stack_free(void *stack)
{
	if (nr_stacks_kept < SCHED_STACKS_KEPT)
		stacks_kept[nr_stacks_kept++] = stack;
	else
		g_free(stack);
}

/* ASan's fiber annotations: which stack the next instructions run on. */
static void fiber_start(void **fake_stack, const void *bottom, size_t size)
{
#ifdef SCHED_ASAN
	__sanitizer_start_switch_fiber(fake_stack, bottom, size);
#else
	(void)fake_stack, (void)bottom, (void)size;
#endif
}

static void fiber_finish(void *fake_stack, const void **bottom, size_t *size)
{
#ifdef SCHED_ASAN
	__sanitizer_finish_switch_fiber(fake_stack, bottom, size);
#else
	(void)fake_stack, (void)bottom, (void)size;
#endif
}

/* The task stops: back to sched_run(). A dead task's stack is left for good. */
static void switch_to_host(struct sched *s, struct task *t)
{
	bool dead = t->state == TASK_DEAD;

	fiber_start(dead ? NULL : &t->fake_stack, s->host_stack, s->host_stack_size);
	sched_switch(&t->ctx, &s->host);
	fiber_finish(t->fake_stack, NULL, NULL);
}

static void switch_to_task(struct sched *s, struct task *t)
{
	fiber_start(&s->host_fake_stack, t->stack, SCHED_STACK_SIZE);
	sched_switch(&s->host, &t->ctx);
	fiber_finish(s->host_fake_stack, NULL, NULL);
}

static void task_entry(struct kernel *k)
{
	struct sched *s = &k->sched;
	struct task *t = s->running;

	fiber_finish(NULL, &s->host_stack, &s->host_stack_size);
	t->fn(k, t->arg);
	lock_wake_pending(k);
	/*
	 * With lockdep what it still holds was the driver's to report
	 * (no-lock-leak); without, nothing reports it: a bug in mmsim.
	 */
	assert(k->lockdep || !t->nr_read_held);
	lockdep_task_exit(k, t->id);
	t->state = TASK_DEAD;
	s->point = "exit";
	s->next = -1;
	switch_to_host(s, t);
	assert(!"a dead task resumed");
}

#if defined(__x86_64__)
/*
 * The frame sched_ctx_switch() pops the first time: six registers (%r12
 * the kernel, %r13 the entry), then sched_task_start as the return
 * address, placed so that its call of the entry finds the stack 16-byte
 * aligned as the ABI wants.
 */
static void task_context_init(struct task *t, struct kernel *k)
{
	uintptr_t top = ((uintptr_t)t->stack + SCHED_STACK_SIZE) & ~(uintptr_t)15;
	uintptr_t *sp = (uintptr_t *)top - 2;

	*--sp = (uintptr_t)mmsim_sched_task_start;
	*--sp = 0;				/* %rbp */
	*--sp = 0;				/* %rbx */
	*--sp = (uintptr_t)k;			/* %r12 */
	*--sp = (uintptr_t)task_entry;		/* %r13 */
	*--sp = 0;				/* %r14 */
	*--sp = 0;				/* %r15 */
	t->ctx.sp = sp;
}
#else
/* makecontext() passes ints: the kernel pointer comes in two halves. */
static void task_entry_uc(unsigned int hi, unsigned int lo)
{
	task_entry((struct kernel *)(((uintptr_t)hi << 32) | lo));
}

static void task_context_init(struct task *t, struct kernel *k)
{
	uintptr_t kp = (uintptr_t)k;

	getcontext(&t->ctx.uc);
	t->ctx.uc.uc_stack.ss_sp = t->stack;
	t->ctx.uc.uc_stack.ss_size = SCHED_STACK_SIZE;
	t->ctx.uc.uc_link = NULL;
	makecontext(&t->ctx.uc, (void (*)(void))task_entry_uc, 2,
		    (unsigned int)(kp >> 32), (unsigned int)kp);
}
#endif

struct task *kthread_create(struct kernel *k, struct mm_struct *mm,
			    void (*fn)(struct kernel *k, void *arg), void *arg)
{
	struct sched *s = &k->sched;
	struct task *t = g_new0(struct task, 1);

	assert(s->nr_tasks < SCHED_MAX_TASKS);
	t->id = ++s->nr_tasks;
	t->mm = mm;
	t->fn = fn;
	t->arg = arg;
	t->state = TASK_RUNNING;
	t->stack = stack_alloc();
	task_context_init(t, k);
	s->tasks[t->id] = t;
	return t;
}

/*
 * Ask the chooser among the runnable tasks; -1 when none can run. @yield:
 * the running task offers the CPU, so it is offered to the chooser only
 * when nobody else can run.
 */
static int sched_choose(struct sched *s, const char *point, bool yield)
{
	int runnable[SCHED_MAX_TASKS], n = 0, next;
	int cur = s->running ? s->running->id : -1;

	for (int id = 1; id <= s->nr_tasks; id++)
		if (s->tasks[id] && s->tasks[id]->state == TASK_RUNNING &&
		    !(yield && id == cur))
			runnable[n++] = id;
	if (!n && yield)
		runnable[n++] = cur;
	if (!n)
		return -1;
	if (s->choose)
		next = s->choose(s->choose_ctx, runnable, n, point);
	else
		next = cur >= 0 && s->tasks[cur]->state == TASK_RUNNING ? cur : runnable[0];
	assert(next >= 1 && next <= s->nr_tasks && s->tasks[next] &&
	       s->tasks[next]->state == TASK_RUNNING);
	return next;
}

static void sched_switch_point(struct kernel *k, const char *point, bool yield)
{
	struct sched *s = &k->sched;
	struct task *t = s->running;
	int next;

	lock_wake_pending(k);
	if (s->abort) {
		s->next = -1;
		s->point = point;
		switch_to_host(s, t);
		assert(!"an aborted task resumed");
	}
	next = sched_choose(s, point, yield);
	if (next == t->id)
		return;
	s->next = next;
	s->point = point;
	switch_to_host(s, t);
}

void sched_point(struct kernel *k, const char *point)
{
	sched_switch_point(k, point, false);
}

/*
 * cond_resched() in a loop that polls: the explorer's fairness. Another
 * runnable task runs (not counted as a preemption); without the yield a
 * poller could be run forever ahead of the task it waits for, and every
 * iteration would be a choice.
 */
void sched_yield_point(struct kernel *k, const char *point)
{
	sched_switch_point(k, point, true);
}

void schedule(struct kernel *k, const char *point)
{
	struct sched *s = &k->sched;

	assert(s->running->state == TASK_UNINTERRUPTIBLE);
	lock_wake_pending(k);
	s->next = -1;
	s->point = point;
	switch_to_host(s, s->running);
}

/*
 * try_to_wake_up(): runnable again (it runs when a chooser picks it); a
 * task not asleep is left as it is.
 */
void wake_up_process(struct kernel *k, struct task *t)
{
	(void)k;
	if (t->state == TASK_UNINTERRUPTIBLE)
		t->state = TASK_RUNNING;
}

static void record_stuck(struct kernel *k, struct sched *s, struct task *t)
{
	struct sched_stuck *st = &s->stuck[s->nr_stuck++];

	st->task = t->id;
	if (t->state == TASK_RUNNING) {
		st->on = NULL;
		st->owner = -1;
		st->readers = 0;
		st->lost_wakeup = false;
	} else if (t->blocked_on) {
		st->on = t->blocked_on->name;
		st->owner = t->blocked_on->owner;
		st->readers = t->blocked_on->reader_ids;
		/* nobody holds it, yet its waiter sleeps: the unlock woke nobody */
		st->lost_wakeup = !lock_held(t->blocked_on);
	} else {
		st->on = t->wq->name;
		st->owner = -1;
		st->readers = 0;
		st->lost_wakeup = t->cond(k, t->key_obj, t->key_index);
	}
}

static void task_free(struct sched *s, struct task *t)
{
	s->tasks[t->id] = NULL;
	stack_free(t->stack);
	g_free(t);
}

/*
 * A task left asleep is abandoned with its stack: take its waiter out of
 * the lock or queue it sleeps on, so that nothing points into the stack.
 */
static void task_abandon(struct kernel *k, struct task *t)
{
	struct task **pp;

	if (t->state == TASK_RUNNING) {
		;	/* stopped by sched.abort: on no list */
	} else if (t->blocked_on) {
		lock_waiter_abandon(k, t);
	} else {
		pp = &t->wq->head;
		while (*pp != t)
			pp = &(*pp)->wait_next;
		*pp = t->wait_next;
	}
	k->sched.tasks[t->id] = NULL;
	t->abandoned_next = k->sched.abandoned;
	k->sched.abandoned = t;
}

void sched_free(struct kernel *k)
{
	while (k->sched.abandoned) {
		struct task *t = k->sched.abandoned;

		k->sched.abandoned = t->abandoned_next;
		stack_free(t->stack);
		g_free(t);
	}
}

enum sched_result sched_run(struct kernel *k)
{
	struct sched *s = &k->sched;
	enum sched_result ret = SCHED_DONE;

	assert(!s->active);
	s->active = true;
	k->lock_slowpath = true;
	s->nr_stuck = 0;
	s->next = -1;
	s->point = "start";
	for (;;) {
		int id;
		struct task *t;

		if (s->abort)
			break;
		id = s->next >= 0 ? s->next : sched_choose(s, s->point, false);
		if (id < 0)
			break;
		t = s->tasks[id];
		s->running = t;
		k->current = id;
		if (s->on_switch)
			s->on_switch(s->choose_ctx, id, true);
		switch_to_task(s, t);
		if (s->on_switch)
			s->on_switch(s->choose_ctx, id, false);
		s->running = NULL;
		k->current = 0;
		if (t->state == TASK_DEAD)
			task_free(s, t);
	}
	for (int id = 1; id <= s->nr_tasks; id++) {
		struct task *t = s->tasks[id];

		if (!t)
			continue;
		record_stuck(k, s, t);
		if (s->abort)
			ret = SCHED_ABORTED;
		else if (s->stuck[s->nr_stuck - 1].lost_wakeup)
			ret = SCHED_LOST_WAKEUP;
		else if (ret == SCHED_DONE)
			ret = SCHED_DEADLOCK;
	}
	for (int id = 1; id <= s->nr_tasks; id++)
		if (s->tasks[id])
			task_abandon(k, s->tasks[id]);
	assert(s->abort || !s->nr_contended);
	s->nr_contended = 0;
	s->nr_tasks = 0;
	s->active = false;
	k->lock_slowpath = k->lockdep != NULL;
	s->abort = false;
	return ret;
}

void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	wq->name = name;
	wq->head = NULL;
}

/*
 * prepare_to_wait[_exclusive]() (at the tail, WQ_FLAG_EXCLUSIVE or not),
 * schedule(), finish_wait(): the waker takes the sleeper off the queue.
 */
void sleep_on(struct kernel *k, struct wait_queue_head *wq, bool exclusive,
	      wait_cond_t cond, const void *obj, unsigned long index)
{
	struct task *t = k->sched.running;
	struct task **pp = &wq->head;

	while (*pp)
		pp = &(*pp)->wait_next;
	*pp = t;
	t->wait_next = NULL;
	t->wq = wq;
	t->exclusive = exclusive;
	t->cond = cond;
	t->key_obj = obj;
	t->key_index = index;
	t->state = TASK_UNINTERRUPTIBLE;
	schedule(k, wq->name);
	t->wq = NULL;
}

/*
 * __wake_up_common() (kernel/sched/wait.c v4.14) with a wake function
 * that skips the other keys (dax.c's wake_exceptional_entry_func(),
 * filemap.c's wake_page_function()): a skipped sleeper does not count;
 * the walk ends after the first exclusive sleeper woken, unless @all
 * (nr_exclusive 0).
 */
void wake_up_key(struct kernel *k, struct wait_queue_head *wq, const void *obj,
		 unsigned long index, bool all)
{
	struct task **pp = &wq->head;

	while (*pp) {
		struct task *t = *pp;

		if (t->key_obj != obj || t->key_index != index) {
			pp = &t->wait_next;
			continue;
		}
		*pp = t->wait_next;
		wake_up_process(k, t);
		if (t->exclusive && !all)
			return;
	}
}
