/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the loader's files. */
#ifndef __RETIS_COLLECTOR_H
#define __RETIS_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "events.h"
#include "meta_prog.h"

struct btf;

/* A growable byte buffer, where one JSON line is built. */
struct buf {
	char *p;
	size_t len, cap;
};

void buf_grow(struct buf *b, size_t n);

/* Inline: the formatter calls these a hundred times per event. */
static inline void buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n > b->cap)
		buf_grow(b, n);
}

static inline void buf_put(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	__builtin_memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void buf_str(struct buf *b, const char *s)
{
	buf_put(b, s, __builtin_strlen(s));
}
void buf_u64(struct buf *b, uint64_t v);
void buf_i64(struct buf *b, int64_t v);
void buf_json_str(struct buf *b, const char *s, size_t max);
void buf_base64(struct buf *b, const uint8_t *d, size_t n);

/*
 * A JSON object writer over a buffer: json_open() starts a nested object under a key, json_end() closes
 * the innermost one; commas are the writer's business.
 */
struct json {
	struct buf *b;
	bool first;	/* no member written yet in the innermost object */
};

void json_begin(struct json *j, struct buf *b);
void json_end(struct json *j);
void json_open(struct json *j, const char *key);
void json_key(struct json *j, const char *key);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_str(struct json *j, const char *key, const char *s, size_t max);

/* A probe: one tracepoint carrying an skb. */
struct probe {
	char group[64];
	char name[128];
	char symbol[200];	/* "group:name", Retis kernel.symbol */
	int skb_arg;		/* index of the skb in the tracepoint arguments */
	bool stack;
	bool drop;		/* carries an skb_drop_reason in argument 2 */
	bool frees;		/* the skb is freed at this point */
	bool rx;		/* a receive point, where skb_iif may still be 0 */
	bool rx_core;		/* net:netif_receive_skb, after which skb_iif is set */
};

#define MAX_FILTER_IDS 64

/* options.c: what the command line asks for */

struct config {
	struct probe probes[PROBE_SLOTS];
	size_t nprobes;
	uint32_t collectors;
	uint32_t skb_sections;
	bool stack;
	const char *out;
	const char *rotate;
	uint32_t rotate_count;
	bool stdout_json;
	const char *filter;
	const char *filter_meta;
	uint32_t netns[MAX_FILTER_IDS];
	size_t nnetns;
	uint32_t ifindex[MAX_FILTER_IDS];
	size_t nifindex;
	uint64_t stop_after;
	double timeout;
	const char *cmdline;
	const char *inspect;
	bool verbose;
	bool summary_json;
	bool raw_tp;
	bool user_filter;
	bool die_with_parent;
	int status_fd;		/* --status-fd: progress as JSON lines, -1 without */
};

extern struct config cfg;

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_args(int argc, char **argv, const char **probe_args, size_t *nprobe_args);
int add_probe(const char *arg);
struct probe *find_probe(const char *name);

/* btf_info.c */
int btf_open(void);
struct btf *btf_vmlinux(void);
int tp_resolve(const char *group, const char *name, struct probe *p, char *err, size_t errlen);
int tp_list(const char *pattern);
const char *drop_reason_name(uint32_t reason, char *tmp, size_t len);
const char *drop_subsys_name(uint32_t subsys, char *tmp, size_t len);
const char *tcp_state_name(uint8_t state, char *tmp, size_t len);

/* ksyms.c */
int ksyms_load(void);
const char *ksyms_lookup(uint64_t addr, uint64_t *off);
void ksyms_format(struct buf *b, uint64_t addr);

/* output.c: the Retis file writer, with rotation */
struct output_opts {
	const char *path;
	uint64_t rotate_limit;	/* bytes, 0 = no rotation */
	uint32_t rotate_count;	/* files kept, 0 = all */
	const char *cmdline;
};
int output_open(const struct output_opts *o);
/* One JSON line, with its '\n'. After a write error (-errno), every line is refused and counted lost. */
int output_line(const char *line, size_t len);
int output_flush(void);
int output_close(void);
uint64_t output_written(void);	/* events on disk */
uint64_t output_lost(void);	/* events not written because of a write error */
int parse_rotate_limit(const char *s, uint64_t *limit);

/* format.c: a ring-buffer record, its sections found through their headers; NULL when absent */
struct parsed {
	const struct common_sec *common;
	const struct kernel_sec *kernel;
	const struct tracking_sec *tracking;
	const struct drop_sec *drop;
	const struct packet_sec *packet;
	const struct skb_vlan_sec *vlan;
	const struct skb_meta_sec *meta;
	const struct skb_dataref_sec *dataref;
	const struct skb_gso_sec *gso;
	const struct netns_sec *netns;
	const struct dev_sec *dev;
	const struct ct_sec *ct;
	const struct stack_sec *stack;
};

int parse_event(const void *data, size_t size, struct parsed *ev);
/* One Retis JSON line (with its '\n'); `collectors` says which sections to write. */
void format_event(struct buf *b, const struct parsed *ev, const struct probe *probes, size_t nprobes,
		  uint32_t collectors);

/*
 * filter.c: the pcap-filter. Compiled by libpcap; run in the kernel (bpf/filter.h), or in user space on the
 * captured bytes when the kernel cannot run the interpreter.
 */
int filter_compile(const char *expr, char *err, size_t errlen);
size_t filter_insns(const void **insns);
bool filter_pass(const struct parsed *ev);

/* meta_filter.c: -m, resolved through BTF (btf_open() first) into the terms the hook evaluates */
int meta_filter_compile(const char *expr, char *err, size_t errlen);
const struct meta_prog *meta_filter_prog(void);

#endif /* __RETIS_COLLECTOR_H */
