/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated kernel threads and their scheduler: the first layer of the
 * schedule explorer. A task (task_struct, cut down) is a coroutine with its
 * own stack running fn(k, arg) on behalf of a process; sched_run() runs the
 * tasks one at a time and, at every scheduling point, asks a chooser which
 * runnable task runs next. Locks (lock.h) and wait queues block and wake
 * tasks. Without sched_run() (every scenario today) nothing here runs: the
 * model has one thread, id 0, and k->sched.active is false.
 * (include/linux/sched.h's part; named task.h as the model's directory is
 * on the include path and a sched.h would hide the C library's.)
 */
#ifndef MMSIM_TASK_H
#define MMSIM_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if !defined(__x86_64__)
#include <ucontext.h>
#endif

struct kernel;
struct lock;
struct mm_struct;

/*
 * A coroutine's saved context. On x86-64, sched.c's own switch: the stack
 * pointer, with the callee-saved registers pushed below it (no signal
 * mask, so no system call a switch; swapcontext() made one each time).
 * Elsewhere, a ucontext.
 */
struct sched_context {
#if defined(__x86_64__)
	void *sp;
#else
	ucontext_t uc;
#endif
};

/* Task ids are 1..SCHED_MAX_TASKS (bits of lock->reader_ids); 0 is the driver. */
#define SCHED_MAX_TASKS		63
/* Each task's stack, g_malloc'ed or kept from an ended task (sched.c says why the size suffices). */
#define SCHED_STACK_SIZE	(256 * 1024)
/* The rwsems a task holds for read at once (mmap_sem, i_mmap_sem, ...). */
#define TASK_MAX_READ_HELD	8

enum task_state {
	TASK_RUNNING,		/* runnable, or the one running */
	TASK_UNINTERRUPTIBLE,	/* asleep on a lock or a wait queue */
	TASK_DEAD,		/* fn returned */
};

/*
 * A wait queue (wait_queue_head_t): the tasks asleep until a condition
 * holds, FIFO. The waker changes the state first, then wakes.
 */
struct wait_queue_head {
	const char *name;
	struct task *head;
};

/*
 * A sleeper's condition, for the stuck report: true means it should have
 * been woken (a lost wakeup). (@obj, @index) is the wait key that tells
 * the waiters of one hashed queue apart (dax.c's exceptional_entry_key:
 * mapping and index; a page and its bit).
 */
typedef bool (*wait_cond_t)(struct kernel *k, const void *obj, unsigned long index);

struct task {
	int id;
	struct mm_struct *mm;			/* the process it runs for */
	void (*fn)(struct kernel *k, void *arg);
	void *arg;
	enum task_state state;
	/* a lock waiter (rwsem_waiter / mutex_waiter): in blocked_on's wait_list */
	struct lock *blocked_on;
	bool wait_write;			/* RWSEM_WAITING_FOR_WRITE */
	struct task *wait_next;
	/* the rwsems it took for read, until lock_wake_pending() sees them released */
	struct lock *read_held[TASK_MAX_READ_HELD];
	int nr_read_held;
	/* a wait queue sleeper (wait_queue_entry): on wq, until cond(key) */
	struct wait_queue_head *wq;
	wait_cond_t cond;
	bool exclusive;				/* WQ_FLAG_EXCLUSIVE */
	const void *key_obj;
	unsigned long key_index;
	/* the coroutine: its saved context (sched.c) */
	struct sched_context ctx;
	void *stack;
	void *fake_stack;			/* ASan's, across a switch */
	struct task *abandoned_next;		/* on sched.abandoned */
};

/*
 * The chooser: at a scheduling point @point (a lock's name, a might_sleep()
 * name, "block", "exit", "start"), which of the @n runnable task ids (in
 * increasing order) runs next. Returning the running task's id means no
 * preemption. NULL: the running task goes on, else the lowest id.
 */
typedef int (*sched_choose_t)(void *ctx, const int *runnable, int n, const char *point);

enum sched_result {
	SCHED_DONE,		/* every task finished */
	SCHED_DEADLOCK,		/* tasks left, each asleep on a lock someone holds or a queue */
	SCHED_LOST_WAKEUP,	/* a task left asleep whose condition is already true */
	SCHED_ABORTED,		/* the chooser set sched.abort */
};

/*
 * One task left asleep when nothing could run: what it waits on (a lock
 * or a wait queue, by name) and, for a lock, who holds it.
 */
struct sched_stuck {
	int task;
	const char *on;		/* NULL: runnable, stopped by sched.abort */
	int owner;		/* the lock's writer or mutex owner, -1 when none */
	uint64_t readers;	/* bit t: task t holds it for read */
	bool lost_wakeup;	/* its condition holds: nobody will wake it */
};

/* Told when task @id starts (@in) or stops running; for the driver's bookkeeping. */
typedef void (*sched_switch_t)(void *ctx, int id, bool in);

struct sched {
	bool active;			/* in sched_run(): locks block, points switch */
	sched_choose_t choose;
	void *choose_ctx;
	sched_switch_t on_switch;	/* NULL: none */
	/*
	 * Set by the chooser: stop every task where it is (at its next
	 * point) and return SCHED_ABORTED; the driver's livelock bound.
	 */
	bool abort;
	struct task *tasks[SCHED_MAX_TASKS + 1];	/* by id; [0] is the driver */
	int nr_tasks;
	struct task *running;
	/* the locks with waiters, in no order (lock_wake_pending()) */
	struct lock *contended[SCHED_MAX_TASKS];
	int nr_contended;
	int next;			/* chosen at a point in a task; -1: ask */
	const char *point;		/* where the running task stopped */
	struct sched_context host;	/* sched_run()'s own context */
	void *host_fake_stack;
	const void *host_stack;
	size_t host_stack_size;
	/* after sched_run(): the tasks left asleep, by id */
	struct sched_stuck stuck[SCHED_MAX_TASKS];
	int nr_stuck;
	/*
	 * The tasks left asleep or stopped, with their stacks: what they
	 * hold stays reachable (kernel_abandon()); freed by sched_free().
	 */
	struct task *abandoned;
};

struct task *kthread_create(struct kernel *k, struct mm_struct *mm,
			    void (*fn)(struct kernel *k, void *arg), void *arg);
enum sched_result sched_run(struct kernel *k);
/* The abandoned tasks' memory (kernel_destroy()). */
void sched_free(struct kernel *k);

/* A point where another task may run; the running task stays runnable. */
void sched_point(struct kernel *k, const char *point);
/* The same, but another runnable task runs first (cond_resched() in a polling loop). */
void sched_yield_point(struct kernel *k, const char *point);
/* The running task has set its state to sleep: run another (schedule()). */
void schedule(struct kernel *k, const char *point);
void wake_up_process(struct kernel *k, struct task *t);

/*
 * Wait queues (include/linux/wait.h): prepare_to_wait[_exclusive]() +
 * schedule() + finish_wait() in one, for the caller's retry loop; and
 * __wake_up() with a key: the sleepers of that key in queue order, up to
 * and with the first exclusive one (@all: every one).
 */
void init_waitqueue_head(struct wait_queue_head *wq, const char *name);
void sleep_on(struct kernel *k, struct wait_queue_head *wq, bool exclusive,
	      wait_cond_t cond, const void *obj, unsigned long index);
void wake_up_key(struct kernel *k, struct wait_queue_head *wq, const void *obj,
		 unsigned long index, bool all);

#endif
