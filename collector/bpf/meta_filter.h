/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The meta filter (-m) in the kernel: the terms the loader resolved through BTF (include/meta_prog.h),
 * one per bpf_loop() iteration. Every load is a probe read: a walk may cross pointers the verifier
 * knows nothing about, and a fault makes the term false (as in Retis).
 */
#ifndef __RETIS_BPF_META_FILTER_H
#define __RETIS_BPF_META_FILTER_H

#include "meta_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct meta_prog);
} meta_prog SEC(".maps");

struct meta_run {
	void *skb;
	u32 pc;
	bool accept;
};

static __always_inline bool meta_cmp_num(u64 v, const struct meta_term *t)
{
	s64 sv = v, st = t->value;

	switch (t->cmp) {
	case META_EQ: return v == t->value;
	case META_NE: return v != t->value;
	case META_LT: return t->is_signed ? sv < st : v < t->value;
	case META_LE: return t->is_signed ? sv <= st : v <= t->value;
	case META_GT: return t->is_signed ? sv > st : v > t->value;
	case META_GE: return t->is_signed ? sv >= st : v >= t->value;
	}
	return false;
}

static __always_inline bool meta_num(const struct meta_term *t, void *base)
{
	u64 v = 0;
	u32 size = t->size;

	if (size < 1 || size > 8)
		return false;
	if (bpf_probe_read_kernel(&v, size, base + t->off))
		return false;
	/* little endian: the bytes read are the low ones; shifts extract bitfields and extend signs */
	v <<= t->shl & 63;
	if (t->is_signed)
		v = (u64)((s64)v >> (t->shr & 63));
	else
		v >>= t->shr & 63;
	if (t->mask)
		v &= t->mask;
	return meta_cmp_num(v, t);
}

static __always_inline bool meta_str(const struct meta_term *t, void *base)
{
	char s[META_STR_MAX];
	void *src = base + t->off;
	u32 size = t->size;
	bool equal = true;
	int i;

	if (t->kind == META_STR_PTR) {
		if (bpf_probe_read_kernel(&src, sizeof(src), base + t->off) || !src)
			return false;
	}
	if (size < 1 || size > META_STR_MAX)
		size = META_STR_MAX;
	if (bpf_probe_read_kernel_str(s, size, src) < 0)
		return false;
	for (i = 0; i < META_STR_MAX; i++) {
		if (s[i] != t->str[i]) {
			equal = false;
			break;
		}
		if (!s[i])
			break;
	}
	return t->cmp == META_EQ ? equal : !equal;
}

static __always_inline bool meta_term_holds(const struct meta_term *t, void *skb)
{
	void *base = skb;
	u64 p;
	int i;

	for (i = 0; i < META_MAX_STEPS; i++) {
		if (i >= t->nsteps)
			break;
		if (bpf_probe_read_kernel(&p, sizeof(p), base + t->step_off[i]))
			return false;
		if (t->step_mask[i])
			p &= t->step_mask[i];
		if (!p)
			return false;
		base = (void *)p;
	}
	return t->kind == META_NUM ? meta_num(t, base) : meta_str(t, base);
}

static long meta_step(u32 i, void *data)
{
	struct meta_run *r = data;
	struct meta_prog *prog;
	struct meta_term *t;
	u32 zero = 0, next;

	prog = bpf_map_lookup_elem(&meta_prog, &zero);
	if (!prog || r->pc >= META_MAX_TERMS)
		return 1;
	t = &prog->terms[r->pc];
	next = meta_term_holds(t, r->skb) ? t->next_true : t->next_false;
	if (next >= META_MAX_TERMS) {
		r->accept = next == META_ACCEPT;
		return 1;
	}
	r->pc = next;
	return 0;
}

/* True when the skb satisfies the expression. Terms only jump forward: at most nterms steps. */
static __always_inline bool meta_filter_pass(struct sk_buff *skb)
{
	struct meta_run r = { .skb = skb };
	struct meta_prog *prog;
	u32 zero = 0;

	prog = bpf_map_lookup_elem(&meta_prog, &zero);
	if (!prog || !prog->nterms)
		return false;
	bpf_loop(META_MAX_TERMS, meta_step, &r, 0);
	return r.accept;
}

#endif /* __RETIS_BPF_META_FILTER_H */
