// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel's BTF tells us: which tracepoints carry an skb and in which argument, and the
 * names of drop reasons and conntrack states. Nothing is hard-coded, so a newer kernel's reasons show up.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mount.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "collector.h"

static struct btf *vmlinux;

int btf_open(void)
{
	vmlinux = btf__load_vmlinux_btf();
	return vmlinux ? 0 : -errno;
}

struct btf *btf_vmlinux(void)
{
	return vmlinux;
}

static const struct btf_type *skip_mods(__u32 *id)
{
	const struct btf_type *t = btf__type_by_id(vmlinux, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(vmlinux, *id);
	}
	return t;
}

static bool is_named(const struct btf_type *t, const char *name)
{
	return t && !strcmp(btf__name_by_offset(vmlinux, t->name_off), name);
}

/* The tracepoint's prototype: btf_trace_<name> is a pointer to a function whose first argument is __data. */
static const struct btf_type *tp_proto(const char *name)
{
	char tname[200];
	const struct btf_type *t;
	__s32 id;
	__u32 uid;

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	id = btf__find_by_name_kind(vmlinux, tname, BTF_KIND_TYPEDEF);
	if (id < 0)
		return NULL;
	uid = btf__type_by_id(vmlinux, id)->type;
	t = skip_mods(&uid);
	if (!t || !btf_is_ptr(t))
		return NULL;
	uid = t->type;
	t = skip_mods(&uid);
	return t && btf_is_func_proto(t) ? t : NULL;
}

/* Index (among the tracepoint's own arguments) of the first struct sk_buff pointer, or -1. */
static int proto_skb_arg(const struct btf_type *proto)
{
	const struct btf_param *params = btf_params(proto);
	int i;

	for (i = 1; i < btf_vlen(proto); i++) {
		__u32 id = params[i].type;
		const struct btf_type *t = skip_mods(&id);

		if (!t || !btf_is_ptr(t))
			continue;
		id = t->type;
		if (is_named(skip_mods(&id), "sk_buff"))
			return i - 1;
	}
	return -1;
}

/* Tracepoint groups are not in BTF; tracefs's list names them (when it is mounted). */
static const char *events_paths[] = {
	"/sys/kernel/tracing/available_events",
	"/sys/kernel/debug/tracing/available_events",
};

/*
 * tracefs is not always mounted (nor under `ip netns exec`). As root, mount it in a mount namespace of our
 * own: the system's mounts stay untouched and it goes away with the process.
 */
static void private_tracefs(void)
{
	static bool tried;

	if (tried || geteuid() != 0)
		return;
	tried = true;
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return;
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
}

static char *group_of(const char *name, char *group, size_t len)
{
	char line[256];
	size_t i;

	if (access(events_paths[0], R_OK) && access(events_paths[1], R_OK))
		private_tracefs();

	for (i = 0; i < sizeof(events_paths) / sizeof(events_paths[0]); i++) {
		FILE *f = fopen(events_paths[i], "r");

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			line[strcspn(line, "\n")] = 0;
			if (colon && !strcmp(colon + 1, name)) {
				*colon = 0;
				snprintf(group, len, "%.63s", line);
				fclose(f);
				return group;
			}
		}
		fclose(f);
		return NULL;
	}
	return NULL;
}

int tp_resolve(const char *group, const char *name, struct probe *p, char *err, size_t errlen)
{
	const struct btf_type *proto = tp_proto(name);
	char real_group[64];

	if (!proto) {
		snprintf(err, errlen, "unknown tracepoint '%s:%s' (not in the kernel's BTF; try 'retis inspect -p tp:*')",
			 group, name);
		return -ENOENT;
	}
	if (group_of(name, real_group, sizeof(real_group)) && strcmp(real_group, group)) {
		snprintf(err, errlen, "unknown tracepoint '%s:%s' (did you mean '%s:%s'?)", group, name,
			 real_group, name);
		return -ENOENT;
	}
	memset(p, 0, sizeof(*p));
	p->skb_arg = proto_skb_arg(proto);
	if (p->skb_arg < 0) {
		snprintf(err, errlen, "tracepoint '%s:%s' has no struct sk_buff argument", group, name);
		return -EINVAL;
	}
	if (p->skb_arg > 5) {
		snprintf(err, errlen, "tracepoint '%s:%s' has its skb past argument 6, not supported", group, name);
		return -EINVAL;
	}
	snprintf(p->group, sizeof(p->group), "%s", group);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->symbol, sizeof(p->symbol), "%s:%s", group, name);
	/* argument 2 typed enum skb_drop_reason, as in skb:kfree_skb */
	if (btf_vlen(proto) > 3) {
		__u32 id = btf_params(proto)[3].type;

		p->drop = is_named(skip_mods(&id), "skb_drop_reason");
	}
	p->frees = !strcmp(name, "kfree_skb") || !strcmp(name, "consume_skb");
	p->rx = !strncmp(name, "netif_rx", 8) || !strncmp(name, "netif_receive_skb", 17) ||
		!strncmp(name, "napi_gro_", 9);
	p->rx_core = !strcmp(name, "netif_receive_skb");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `retis inspect -p PATTERN`: every tracepoint with an skb argument matching the glob, sorted. */
int tp_list(const char *pattern)
{
	char **out = NULL, group[64];
	size_t n = 0, i, unknown_groups = 0;
	__u32 id, nr = btf__type_cnt(vmlinux);

	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);
		const char *tname, *name;
		const struct btf_type *proto;
		char full[256];

		if (!btf_is_typedef(t))
			continue;
		tname = btf__name_by_offset(vmlinux, t->name_off);
		if (strncmp(tname, "btf_trace_", 10))
			continue;
		name = tname + 10;
		proto = tp_proto(name);
		if (!proto || proto_skb_arg(proto) < 0)
			continue;
		if (group_of(name, group, sizeof(group))) {
			snprintf(full, sizeof(full), "tp:%s:%s", group, name);
			if (fnmatch(pattern, full, 0))
				continue;
		} else {
			/* groups unknown (tracefs unreadable): match the name part of the pattern only */
			const char *glob = strrchr(pattern, ':');

			if (!unknown_groups++)
				fprintf(stderr, "retis: tracepoint groups are unknown without tracefs (run as root); "
						"matching names only\n");
			snprintf(full, sizeof(full), "tp:?:%s", name);
			if (fnmatch(glob ? glob + 1 : pattern, name, 0))
				continue;
		}
		out = realloc(out, (n + 1) * sizeof(*out));
		out[n++] = strdup(full);
	}
	qsort(out, n, sizeof(*out), cmp_str);
	for (i = 0; i < n; i++) {
		printf("%s\n", out[i]);
		free(out[i]);
	}
	free(out);
	return n ? 0 : 1;
}

/* The enumerator of enum `ename` worth `val`, without `prefix`; NULL when unknown. */
static const char *enum_name(const char *ename, const char *prefix, __s64 val)
{
	__s32 id = btf__find_by_name_kind(vmlinux, ename, BTF_KIND_ENUM);
	const struct btf_type *t;
	const struct btf_enum *e;
	size_t plen = strlen(prefix);
	int i;

	if (id < 0)
		return NULL;
	t = btf__type_by_id(vmlinux, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(vmlinux, e[i].name_off);

		if (e[i].val == val && !strncmp(n, prefix, plen))
			return n + plen;
	}
	return NULL;
}

/*
 * Names are looked up once per value: a BTF lookup by name scans every type of the kernel, far too slow
 * for each of tens of thousands of events a second.
 */
#define NAME_CACHE 1024
static const char *reason_names[NAME_CACHE];
static bool reason_known[NAME_CACHE];
static const char *subsys_names[NAME_CACHE];
static bool subsys_known[NAME_CACHE];
static const char *tcp_names[256];
static bool tcp_known[256];

const char *drop_reason_name(uint32_t reason, char *tmp, size_t len)
{
	const char *n = NULL;

	if (reason < NAME_CACHE && reason_known[reason]) {
		n = reason_names[reason];
	} else if (reason >> 16 == 0) {
		n = enum_name("skb_drop_reason", "SKB_DROP_REASON_", reason);
		/* SKB_CONSUMED and SKB_NOT_DROPPED_YET carry no SKB_DROP_REASON_ prefix */
		if (!n)
			n = enum_name("skb_drop_reason", "SKB_", reason);
		if (reason < NAME_CACHE) {
			reason_names[reason] = n;
			reason_known[reason] = true;
		}
	}
	if (n)
		return n;
	snprintf(tmp, len, "%u", reason & 0xffff);
	return tmp;
}

const char *drop_subsys_name(uint32_t subsys, char *tmp, size_t len)
{
	const char *n;
	size_t i;

	if (subsys < NAME_CACHE && subsys_known[subsys]) {
		n = subsys_names[subsys];
	} else {
		n = enum_name("skb_drop_reason_subsys", "SKB_DROP_REASON_SUBSYS_", subsys);
		if (subsys < NAME_CACHE) {
			subsys_names[subsys] = n;
			subsys_known[subsys] = true;
		}
	}
	if (!n)
		n = "unknown";
	/* Retis prints subsystems lowercase, e.g. openvswitch */
	for (i = 0; n[i] && i + 1 < len; i++)
		tmp[i] = tolower((unsigned char)n[i]);
	tmp[i] = 0;
	return tmp;
}

const char *tcp_state_name(uint8_t state, char *tmp, size_t len)
{
	if (!tcp_known[state]) {
		tcp_names[state] = enum_name("tcp_conntrack", "TCP_CONNTRACK_", state);
		tcp_known[state] = true;
	}
	if (tcp_names[state])
		return tcp_names[state];
	snprintf(tmp, len, "%u", state);
	return tmp;
}
