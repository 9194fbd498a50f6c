/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet filter (-f) in the kernel: an interpreter of the classic BPF that pcap_compile() emits,
 * one instruction per bpf_loop() iteration, over the packet bytes the hook captures (always starting at
 * an Ethernet header, fake or real, so DLT_EN10MB programs apply). Translating cBPF to eBPF at load time,
 * as Retis does, would be faster; an interpreter keeps the loader simple and is only paid on packets
 * not yet matched.
 */
#ifndef __RETIS_FILTER_H
#define __RETIS_FILTER_H

/* cBPF opcode fields (linux/filter.h and pcap/bpf.h share them) */
#define CBPF_CLASS(c)	((c) & 0x07)
#define CBPF_SIZE(c)	((c) & 0x18)
#define CBPF_MODE(c)	((c) & 0xe0)
#define CBPF_OP(c)	((c) & 0xf0)
#define CBPF_SRC(c)	((c) & 0x08)
#define CBPF_RVAL(c)	((c) & 0x18)

enum { CBPF_LD, CBPF_LDX, CBPF_ST, CBPF_STX, CBPF_ALU, CBPF_JMP, CBPF_RET, CBPF_MISC };
enum { CBPF_W = 0x00, CBPF_H = 0x08, CBPF_B = 0x10 };
enum { CBPF_IMM = 0x00, CBPF_ABS = 0x20, CBPF_IND = 0x40, CBPF_MEM = 0x60, CBPF_LEN = 0x80, CBPF_MSH = 0xa0 };
enum {
	CBPF_ADD = 0x00, CBPF_SUB = 0x10, CBPF_MUL = 0x20, CBPF_DIV = 0x30, CBPF_OR = 0x40, CBPF_AND = 0x50,
	CBPF_LSH = 0x60, CBPF_RSH = 0x70, CBPF_NEG = 0x80, CBPF_MOD = 0x90, CBPF_XOR = 0xa0,
};
enum { CBPF_JA = 0x00, CBPF_JEQ = 0x10, CBPF_JGT = 0x20, CBPF_JGE = 0x30, CBPF_JSET = 0x40 };
#define CBPF_X		0x08
#define CBPF_RVAL_X	0x08
#define CBPF_RVAL_A	0x10
#define CBPF_TXA	0x80

/* Per-CPU state of one filter run: the packet and the cBPF machine. */
struct filter_scratch {
	struct packet_sec pkt;
	u32 a, x, pc, ret;
	u32 mem[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct filter_prog);
} filter_prog SEC(".maps");

/*
 * One scratch per nesting level on a CPU: a probe running in process context (kfree_skb, consume_skb)
 * can be interrupted by a softirq whose probe filters another packet on the same CPU; sharing one
 * buffer, the interrupted run would then judge (and write) the other packet's bytes.
 */
#define FILTER_NEST 4

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FILTER_NEST);
	__type(key, u32);
	__type(value, struct filter_scratch);
} filter_scratch SEC(".maps");

/* The nesting level in use on each CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} filter_depth SEC(".maps");

/* A packet load, big endian as cBPF wants; false (reject) past the captured bytes. */
static __always_inline bool filter_load(struct filter_scratch *s, u32 off, u32 size, u32 *v)
{
	const u8 *p = s->pkt.data;
	u32 o;

	if (off > s->pkt.capture_len || size > s->pkt.capture_len - off)
		return false;
	/* off < 256 here; the mask tells the verifier, and data[] has room past 255 + 4 */
	o = off & 0xff;
	if (size == 4)
		*v = (u32)p[o] << 24 | (u32)p[o + 1] << 16 | (u32)p[o + 2] << 8 | p[o + 3];
	else if (size == 2)
		*v = (u32)p[o] << 8 | p[o + 1];
	else
		*v = p[o];
	return true;
}

/* One instruction; returns 1 to stop the loop (a return, or a fault, with s->ret set). */
static long filter_step(u32 i, void *ctx)
{
	struct filter_scratch *s;
	struct filter_prog *f;
	struct cbpf_insn in;
	u32 zero = 0, pc, src, v, size;

	/* ctx: the scratch's key (nesting level) */
	s = bpf_map_lookup_elem(&filter_scratch, ctx);
	f = bpf_map_lookup_elem(&filter_prog, &zero);
	if (!s || !f)
		return 1;
	pc = s->pc;
	if (pc >= FILTER_MAX_INSNS) {
		s->ret = 0;
		return 1;
	}
	in = f->insns[pc];
	s->pc = pc + 1;
	size = CBPF_SIZE(in.code) == CBPF_W ? 4 : CBPF_SIZE(in.code) == CBPF_H ? 2 : 1;

	switch (CBPF_CLASS(in.code)) {
	case CBPF_LD:
	case CBPF_LDX:
		switch (CBPF_MODE(in.code)) {
		case CBPF_IMM:
			v = in.k;
			break;
		case CBPF_LEN:
			v = s->pkt.len;
			break;
		case CBPF_MEM:
			v = s->mem[in.k & 15];
			break;
		case CBPF_ABS:
			if (!filter_load(s, in.k, size, &v))
				goto reject;
			break;
		case CBPF_IND:
			if (!filter_load(s, s->x + in.k, size, &v))
				goto reject;
			break;
		case CBPF_MSH: /* X = 4 * (P[k] & 0xf), the IPv4 header length */
			if (!filter_load(s, in.k, 1, &v))
				goto reject;
			v = (v & 0xf) << 2;
			break;
		default:
			goto reject;
		}
		if (CBPF_CLASS(in.code) == CBPF_LD)
			s->a = v;
		else
			s->x = v;
		return 0;
	case CBPF_ST:
		s->mem[in.k & 15] = s->a;
		return 0;
	case CBPF_STX:
		s->mem[in.k & 15] = s->x;
		return 0;
	case CBPF_ALU:
		src = CBPF_SRC(in.code) == CBPF_X ? s->x : in.k;
		switch (CBPF_OP(in.code)) {
		case CBPF_ADD: s->a += src; break;
		case CBPF_SUB: s->a -= src; break;
		case CBPF_MUL: s->a *= src; break;
		case CBPF_DIV:
			if (!src)
				goto reject;
			s->a /= src;
			break;
		case CBPF_MOD:
			if (!src)
				goto reject;
			s->a %= src;
			break;
		case CBPF_OR: s->a |= src; break;
		case CBPF_AND: s->a &= src; break;
		case CBPF_XOR: s->a ^= src; break;
		case CBPF_LSH: s->a = src < 32 ? s->a << src : 0; break;
		case CBPF_RSH: s->a = src < 32 ? s->a >> src : 0; break;
		case CBPF_NEG: s->a = -s->a; break;
		default:
			goto reject;
		}
		return 0;
	case CBPF_JMP:
		src = CBPF_SRC(in.code) == CBPF_X ? s->x : in.k;
		switch (CBPF_OP(in.code)) {
		case CBPF_JA: s->pc += in.k; break;
		case CBPF_JEQ: s->pc += s->a == src ? in.jt : in.jf; break;
		case CBPF_JGT: s->pc += s->a > src ? in.jt : in.jf; break;
		case CBPF_JGE: s->pc += s->a >= src ? in.jt : in.jf; break;
		case CBPF_JSET: s->pc += s->a & src ? in.jt : in.jf; break;
		default:
			goto reject;
		}
		return 0;
	case CBPF_RET:
		s->ret = CBPF_RVAL(in.code) == CBPF_RVAL_A ? s->a : CBPF_RVAL(in.code) == CBPF_RVAL_X ? s->x : in.k;
		return 1;
	case CBPF_MISC:
		if (CBPF_OP(in.code) == CBPF_TXA)
			s->a = s->x;
		else
			s->x = s->a;
		return 0;
	}
reject:
	s->ret = 0;
	return 1;
}

/* Runs the filter on s->pkt, s being at `key`: true when it accepts the packet (a non-zero return, as in pcap). */
static __always_inline bool filter_run(struct filter_scratch *s, u32 key)
{
	struct filter_prog *f;
	u32 zero = 0;

	f = bpf_map_lookup_elem(&filter_prog, &zero);
	if (!f)
		return false;
	s->a = 0;
	s->x = 0;
	s->pc = 0;
	s->ret = 0;
	/* cBPF only jumps forward: at most len instructions run */
	bpf_loop(f->len, filter_step, &key, 0);
	return s->ret != 0;
}

/* Takes this CPU's next scratch; NULL when nested too deep (the hit is then not filtered in, not kept). */
static __always_inline struct filter_scratch *scratch_get(u32 *key)
{
	u32 zero = 0, *depth = bpf_map_lookup_elem(&filter_depth, &zero);

	if (!depth || *depth >= FILTER_NEST)
		return NULL;
	*key = *depth;
	*depth += 1;
	return bpf_map_lookup_elem(&filter_scratch, key);
}

static __always_inline void scratch_put(void)
{
	u32 zero = 0, *depth = bpf_map_lookup_elem(&filter_depth, &zero);

	if (depth && *depth)
		*depth -= 1;
}

#endif /* __RETIS_FILTER_H */
