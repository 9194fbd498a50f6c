/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The meta filter (-m, Retis's `sk_buff.member1.….leaf OP value`) as the loader hands it to the BPF hook:
 * each comparison is a term, a walk from the skb (pointer loads at byte offsets found in BTF) ending in a
 * leaf compared with a value. Terms are evaluated in order; each says which term comes next when it holds
 * and when it does not (and/or with short-circuit), or that the filter accepts or rejects.
 */
#ifndef __RETIS_META_PROG_H
#define __RETIS_META_PROG_H

#define META_MAX_TERMS	16
#define META_MAX_STEPS	8	/* pointer loads on the way to a leaf */
#define META_STR_MAX	32	/* Retis's META_TARGET_MAX: strings up to 31 bytes */
#define META_ACCEPT	0xfe	/* next-term values that end the evaluation */
#define META_REJECT	0xff

enum meta_cmp { META_EQ, META_NE, META_LT, META_LE, META_GT, META_GE };

enum meta_kind {
	META_NUM = 1,	/* an integer, enum, or pointer value */
	META_STR_ARRAY,	/* char name[N] */
	META_STR_PTR,	/* char *name */
};

struct meta_term {
	__u64 step_mask[META_MAX_STEPS];	/* applied to each loaded pointer, 0 = none */
	__u32 step_off[META_MAX_STEPS];		/* byte offset of each pointer from the current base */
	__u64 mask;		/* numbers: applied to the value read, 0 = none */
	__u64 value;		/* numbers: the right-hand side */
	__u32 off;		/* byte offset of the leaf from the last base */
	__u8 nsteps;
	__u8 kind;		/* enum meta_kind */
	__u8 cmp;		/* enum meta_cmp */
	__u8 size;		/* numbers: bytes read (1..8); strings: the array size (at most META_STR_MAX) */
	__u8 shl;		/* numbers: value = (read << shl) >> shr, arithmetic when signed (bitfields, sign) */
	__u8 shr;
	__u8 is_signed;
	__u8 next_true;		/* term index, META_ACCEPT or META_REJECT */
	__u8 next_false;
	__u8 pad[7];
	char str[META_STR_MAX];	/* strings: the right-hand side, NUL-terminated */
};

struct meta_prog {
	__u32 nterms;
	__u32 pad;
	struct meta_term terms[META_MAX_TERMS];
};

#endif /* __RETIS_META_PROG_H */
