// SPDX-License-Identifier: GPL-2.0
/*
 * The fs_dax tracepoints of v4.14 as text. Each event prints the fields of
 * its TP_printk() (include/trace/events/fs_dax.h, v4.14) in the kernel's
 * order, with two changes: where the kernel prints a user address, mmsim
 * prints the scenario's name for it (mapping+offset), and the line prefix
 * has the step where trace-cmd has a timestamp. Numbers print as the
 * kernel's vsprintf prints them: "%#lx" of 0 is "0x0".
 */
#include <string.h>

#include "tracepoints.h"
#include "types.h"

const char *const dax_trace_names[NR_DAX_TRACE_EVENTS] = {
	[TRACE_DAX_PMD_FAULT] = "dax_pmd_fault",
	[TRACE_DAX_PMD_FAULT_DONE] = "dax_pmd_fault_done",
	[TRACE_DAX_PMD_LOAD_HOLE] = "dax_pmd_load_hole",
	[TRACE_DAX_PMD_LOAD_HOLE_FALLBACK] = "dax_pmd_load_hole_fallback",
	[TRACE_DAX_PMD_INSERT_MAPPING] = "dax_pmd_insert_mapping",
	[TRACE_DAX_PMD_INSERT_MAPPING_FALLBACK] = "dax_pmd_insert_mapping_fallback",
	[TRACE_DAX_PTE_FAULT] = "dax_pte_fault",
	[TRACE_DAX_PTE_FAULT_DONE] = "dax_pte_fault_done",
	[TRACE_DAX_LOAD_HOLE] = "dax_load_hole",
	[TRACE_DAX_INSERT_PFN_MKWRITE_NO_ENTRY] = "dax_insert_pfn_mkwrite_no_entry",
	[TRACE_DAX_INSERT_PFN_MKWRITE] = "dax_insert_pfn_mkwrite",
	[TRACE_DAX_INSERT_MAPPING] = "dax_insert_mapping",
	[TRACE_DAX_WRITEBACK_RANGE] = "dax_writeback_range",
	[TRACE_DAX_WRITEBACK_RANGE_DONE] = "dax_writeback_range_done",
	[TRACE_DAX_WRITEBACK_ONE] = "dax_writeback_one",
};

struct trace_flag {
	unsigned long mask;
	const char *name;
};

/* FAULT_FLAG_TRACE, include/linux/mm.h v4.14 */
static const struct trace_flag fault_flag_trace[] = {
	{ 0x01, "WRITE" }, { 0x02, "MKWRITE" }, { 0x04, "ALLOW_RETRY" },
	{ 0x08, "RETRY_NOWAIT" }, { 0x10, "KILLABLE" }, { 0x20, "TRIED" },
	{ 0x40, "USER" }, { 0x80, "REMOTE" }, { 0x100, "INSTRUCTION" },
	{ 0, NULL },
};

/* VM_FAULT_RESULT_TRACE, include/linux/mm.h v4.14 */
static const struct trace_flag vm_fault_result_trace[] = {
	{ 0x0001, "OOM" }, { 0x0002, "SIGBUS" }, { 0x0004, "MAJOR" },
	{ 0x0008, "WRITE" }, { 0x0010, "HWPOISON" }, { 0x0020, "HWPOISON_LARGE" },
	{ 0x0040, "SIGSEGV" }, { 0x0100, "NOPAGE" }, { 0x0200, "LOCKED" },
	{ 0x0400, "RETRY" }, { 0x0800, "FALLBACK" }, { 0x1000, "DONE_COW" },
	{ 0x2000, "NEEDDSYNC" },
	{ 0, NULL },
};

/* trace_print_flags_seq(), kernel/trace/trace_output.c v4.14 */
static void print_flags(GString *out, unsigned long flags,
			const struct trace_flag *table)
{
	bool first = true;

	for (int i = 0; table[i].name && flags; i++) {
		if ((flags & table[i].mask) != table[i].mask)
			continue;
		flags &= ~table[i].mask;
		if (!first)
			g_string_append_c(out, '|');
		first = false;
		g_string_append(out, table[i].name);
	}
	if (flags) {
		if (!first)
			g_string_append_c(out, '|');
		g_string_append_printf(out, "0x%lx", flags);
	}
}

/* The scenario's name for a user address: "m+0x1000", or the address. */
static void print_addr(GString *out, const struct namer *n,
		       const struct dax_trace_event *ev, unsigned long addr)
{
	char buf[96];

	n->addr(n->ctx, ev->mm, addr, buf, sizeof(buf));
	g_string_append(out, buf);
}

/* An end address (vm_end) is one past its mapping: named after its last byte. */
static void print_end(GString *out, const struct namer *n,
		      const struct dax_trace_event *ev, unsigned long end)
{
	char buf[96], *plus;

	n->addr(n->ctx, ev->mm, end - 1, buf, sizeof(buf));
	plus = strrchr(buf, '+');
	if (!plus) {
		g_string_append_printf(out, "0x%lx", end);
		return;
	}
	*plus = 0;
	g_string_append_printf(out, "%s+0x%lx", buf, strtoul(plus + 1, NULL, 16) + 1);
}

static const char *shared(const struct dax_trace_event *ev)
{
	return ev->vm_flags & VM_SHARED ? "shared" : "private";
}

/* What both fault classes print first: "dev %d:%d ino %#lx %s %s address %#lx" */
static void print_fault_head(GString *out, const struct dax_trace_event *ev,
			     const struct namer *n)
{
	g_string_append_printf(out, "dev %u:%u ino 0x%lx %s ", MAJOR(ev->dev),
			       MINOR(ev->dev), ev->ino, shared(ev));
	print_flags(out, ev->flags, fault_flag_trace);
	g_string_append(out, " address ");
	print_addr(out, n, ev, ev->address);
}

/*
 * dax_pmd_fault_class: "dev %d:%d ino %#lx %s %s address %#lx vm_start
 * %#lx vm_end %#lx pgoff %#lx max_pgoff %#lx %s"
 */
static void print_pmd_fault(GString *out, const struct dax_trace_event *ev,
			    const struct namer *n)
{
	print_fault_head(out, ev, n);
	g_string_append(out, " vm_start ");
	print_addr(out, n, ev, ev->vm_start);
	g_string_append(out, " vm_end ");
	print_end(out, n, ev, ev->vm_end);
	g_string_append_printf(out, " pgoff 0x%lx max_pgoff 0x%lx ", ev->pgoff,
			       ev->max_pgoff);
	print_flags(out, (unsigned)ev->result, vm_fault_result_trace);
}

/* dax_pte_fault_class: "dev %d:%d ino %#lx %s %s address %#lx pgoff %#lx %s" */
static void print_pte_fault(GString *out, const struct dax_trace_event *ev,
			    const struct namer *n)
{
	print_fault_head(out, ev, n);
	g_string_append_printf(out, " pgoff 0x%lx ", ev->pgoff);
	print_flags(out, (unsigned)ev->result, vm_fault_result_trace);
}

/* dax_insert_mapping: "dev %d:%d ino %#lx %s %s address %#lx radix_entry %#lx" */
static void print_insert_mapping(GString *out, const struct dax_trace_event *ev,
				 const struct namer *n)
{
	g_string_append_printf(out, "dev %u:%u ino 0x%lx %s %s address ",
			       MAJOR(ev->dev), MINOR(ev->dev), ev->ino, shared(ev),
			       ev->write ? "write" : "read");
	print_addr(out, n, ev, ev->address);
	g_string_append_printf(out, " radix_entry 0x%lx", ev->radix_entry);
}

/*
 * dax_pmd_load_hole_class: "dev %d:%d ino %#lx %s address %#lx zero_page %p
 * radix_entry %#lx". v4.14's %p prints the pointer unhashed (hashing came
 * in v4.15): the struct page of the huge zero page in the vmemmap, which
 * without KASLR starts at 0xffffea0000000000, 64 bytes a page.
 */
static void print_pmd_load_hole(GString *out, const struct dax_trace_event *ev,
				const struct namer *n)
{
	g_string_append_printf(out, "dev %u:%u ino 0x%lx %s address ", MAJOR(ev->dev),
			       MINOR(ev->dev), ev->ino, shared(ev));
	print_addr(out, n, ev, ev->address);
	if (ev->zero_page_pfn)
		g_string_append_printf(out, " zero_page %016lx",
				       0xffffea0000000000UL + ev->zero_page_pfn * 64);
	else
		g_string_append(out, " zero_page (null)");
	g_string_append_printf(out, " radix_entry 0x%lx", ev->radix_entry);
}

/*
 * dax_pmd_insert_mapping_class: "dev %d:%d ino %#lx %s %s address %#lx
 * length %#lx pfn %#llx %s radix_entry %#lx"; pmem's pfn_t carries PFN_DEV
 * and PFN_MAP (PFN_FLAGS_TRACE prints them "DEV|MAP").
 */
static void print_pmd_insert_mapping(GString *out, const struct dax_trace_event *ev,
				     const struct namer *n)
{
	g_string_append_printf(out, "dev %u:%u ino 0x%lx %s %s address ",
			       MAJOR(ev->dev), MINOR(ev->dev), ev->ino, shared(ev),
			       ev->write ? "write" : "read");
	print_addr(out, n, ev, ev->address);
	g_string_append_printf(out, " length 0x%lx pfn 0x%lx DEV|MAP radix_entry 0x%lx",
			       ev->length, ev->pfn, ev->radix_entry);
}

void dax_trace_print(GString *out, const struct dax_trace_event *ev,
		     const struct trace_task *t, const struct namer *n)
{
	const char *name = dax_trace_names[ev->id];
	int pad = 20 - (int)strlen(name);

	/* trace-cmd report (libtraceevent): "%16s-%-5d [%03d] %5lu.%06lu: %s: " */
	g_string_append_printf(out, "%16s-%-5d [%03d] %5lu.%06lu: %s: %*s", t->comm,
			       t->pid, 0, t->step, t->seq, name, pad > 0 ? pad : 0, "");
	switch (ev->id) {
	case TRACE_DAX_PMD_FAULT:
	case TRACE_DAX_PMD_FAULT_DONE:
		print_pmd_fault(out, ev, n);
		break;
	case TRACE_DAX_PTE_FAULT:
	case TRACE_DAX_PTE_FAULT_DONE:
	case TRACE_DAX_LOAD_HOLE:
	case TRACE_DAX_INSERT_PFN_MKWRITE_NO_ENTRY:
	case TRACE_DAX_INSERT_PFN_MKWRITE:
		print_pte_fault(out, ev, n);
		break;
	case TRACE_DAX_INSERT_MAPPING:
		print_insert_mapping(out, ev, n);
		break;
	case TRACE_DAX_PMD_LOAD_HOLE:
	case TRACE_DAX_PMD_LOAD_HOLE_FALLBACK:
		print_pmd_load_hole(out, ev, n);
		break;
	case TRACE_DAX_PMD_INSERT_MAPPING:
	case TRACE_DAX_PMD_INSERT_MAPPING_FALLBACK:
		print_pmd_insert_mapping(out, ev, n);
		break;
	case TRACE_DAX_WRITEBACK_RANGE:
	case TRACE_DAX_WRITEBACK_RANGE_DONE:
		/* "dev %d:%d ino %#lx pgoff %#lx-%#lx" */
		g_string_append_printf(out, "dev %u:%u ino 0x%lx pgoff 0x%lx-0x%lx",
				       MAJOR(ev->dev), MINOR(ev->dev), ev->ino,
				       ev->start_index, ev->end_index);
		break;
	case TRACE_DAX_WRITEBACK_ONE:
		/* "dev %d:%d ino %#lx pgoff %#lx pglen %#lx" */
		g_string_append_printf(out, "dev %u:%u ino 0x%lx pgoff 0x%lx pglen 0x%lx",
				       MAJOR(ev->dev), MINOR(ev->dev), ev->ino, ev->pgoff,
				       ev->pglen);
		break;
	default:
		break;
	}
	g_string_append_c(out, '\n');
}
