// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols from /proc/kallsyms, for stack traces printed as Retis does: "sym+0xoff". */
#include <stdlib.h>
#include <string.h>
#include "collector.h"

struct ksym {
	uint64_t addr;
	char *name;
};

static struct ksym *syms;
static size_t nsyms;

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long long addr;
	size_t cap = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		/* only text symbols can be return addresses */
		if (type != 't' && type != 'T')
			continue;
		if (nsyms == cap) {
			cap = cap ? cap * 2 : 65536;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				abort();
		}
		syms[nsyms].addr = addr;
		syms[nsyms].name = strdup(name);
		nsyms++;
	}
	fclose(f);
	qsort(syms, nsyms, sizeof(*syms), cmp_ksym);
	return nsyms ? 0 : -1;
}

const char *ksyms_lookup(uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi = nsyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*off = addr - syms[lo - 1].addr;
	return syms[lo - 1].name;
}

void ksyms_format(struct buf *b, uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);
	char tmp[300];

	if (!name)
		snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)addr);
	else
		snprintf(tmp, sizeof(tmp), "%s+0x%llx", name, (unsigned long long)off);
	buf_json_str(b, tmp, sizeof(tmp));
}
