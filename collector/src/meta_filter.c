// SPDX-License-Identifier: GPL-2.0
/*
 * -m, --filter-meta: Retis's meta filter. The grammar (Retis's meta.pest):
 *
 *   expr    = primary { ("and" | "&&" | "or" | "||") primary }     left to right, no precedence
 *   primary = "(" expr ")" | term
 *   term    = lhs [ ("==" | "!=" | "<" | "<=" | ">" | ">=") rhs ]   a bare lhs means lhs != 0
 *   lhs     = "sk_buff" "." ident { "." ident }
 *   ident   = NAME [ ":" MASK [ ":" TYPE ] ]                         MASK: [~]number; TYPE: a struct to cast to
 *   rhs     = number (decimal, -decimal, 0x…, 0b…) | 'string' | "string"
 *
 * Member chains are resolved here through the kernel's BTF into byte offsets and pointer loads
 * (include/meta_prog.h); the BPF hook only walks them. Strings compare with char arrays and char
 * pointers (== and != only), numbers with integers, enums and pointers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "collector.h"

static struct meta_prog prog;

/* The parser's state: the expression, where it is, and the first error. */
struct parser {
	const char *expr;
	const char *p;
	char *err;
	size_t errlen;
	bool failed;
};

/* A list of jumps to fix once their target is known: (term index, on true?) pairs. */
struct patches {
	uint8_t term[META_MAX_TERMS * 2];
	bool on_true[META_MAX_TERMS * 2];
	size_t n;
};

struct branch {
	struct patches t, f;	/* jumps taken when the expression holds, when it does not */
};

static bool error(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool error(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return false;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return false;
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static bool eat(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(ps);
	if (strncmp(ps->p, tok, n))
		return false;
	/* words must end there: "and" is not the start of "android" */
	if (isalpha((unsigned char)tok[0]) && (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_'))
		return false;
	ps->p += n;
	return true;
}

static bool name(struct parser *ps, char *out, size_t len)
{
	size_t n = 0;

	skip_space(ps);
	if (!isalpha((unsigned char)*ps->p) && *ps->p != '_')
		return false;
	while (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_')
		n++;
	if (n >= len)
		return error(ps, "name too long at '%.*s'", (int)n, ps->p);
	memcpy(out, ps->p, n);
	out[n] = 0;
	ps->p += n;
	return true;
}

/* An unsigned number (0x, 0b or decimal); `neg` allows a leading '-' (returned in *negative). */
static bool number(struct parser *ps, uint64_t *v, bool neg, bool *negative)
{
	const char *s;
	char *end;
	int base = 10;

	skip_space(ps);
	s = ps->p;
	if (negative)
		*negative = false;
	if (neg && *s == '-') {
		*negative = true;
		s++;
	}
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)) {
		base = 16;
		s += 2;
	} else if (!strncmp(s, "0b", 2)) {
		base = 2;
		s += 2;
	}
	if (base == 10 ? !isdigit((unsigned char)*s) : !isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || isalnum((unsigned char)*end))
		return error(ps, "invalid number at '%s'", ps->p);
	if (negative && *negative) {
		if (*v > (uint64_t)INT64_MAX + 1)
			return error(ps, "number out of range at '%s'", ps->p);
		*v = -*v;
	}
	ps->p = end;
	return true;
}

/* One member of the chain: its name, its mask (0 = none) and the struct it is cast to ("" = none). */
struct ident {
	char name[128];
	uint64_t mask;
	char cast[128];
};

#define MAX_IDENTS (META_MAX_STEPS * 4)

struct lhs {
	struct ident ids[MAX_IDENTS];
	size_t n;
};

static bool parse_lhs(struct parser *ps, struct lhs *l)
{
	struct ident *id;
	bool tilde;

	if (!eat(ps, "sk_buff"))
		return error(ps, "expected 'sk_buff.' at '%s'", ps->p);
	l->n = 0;
	while (eat(ps, ".")) {
		if (l->n == MAX_IDENTS)
			return error(ps, "member chain too long");
		id = &l->ids[l->n++];
		memset(id, 0, sizeof(*id));
		if (!name(ps, id->name, sizeof(id->name)))
			return error(ps, "expected a member name after '.' at '%s'", ps->p);
		if (!eat(ps, ":"))
			continue;
		tilde = eat(ps, "~");
		if (!number(ps, &id->mask, false, NULL))
			return error(ps, "expected a mask (a number) after ':' at '%s'", ps->p);
		if (tilde)
			id->mask = ~id->mask;
		if (!id->mask)
			return error(ps, "a mask must not be 0");
		if (eat(ps, ":") && !name(ps, id->cast, sizeof(id->cast)))
			return error(ps, "expected a type name to cast to at '%s'", ps->p);
	}
	if (!l->n)
		return error(ps, "expected 'sk_buff.' followed by members, e.g. sk_buff.mark");
	return true;
}

/* The right-hand side: a string or a number. */
struct rhs {
	bool is_str;
	bool negative;
	uint64_t num;
	char str[META_STR_MAX];
};

static bool parse_rhs(struct parser *ps, struct rhs *r)
{
	const char *end;
	char quote;

	skip_space(ps);
	memset(r, 0, sizeof(*r));
	quote = *ps->p;
	if (quote == '\'' || quote == '"') {
		end = strchr(ps->p + 1, quote);
		if (!end)
			return error(ps, "unterminated string at '%s'", ps->p);
		if (end == ps->p + 1)
			return error(ps, "empty string at '%s'", ps->p);
		if ((size_t)(end - ps->p - 1) >= META_STR_MAX)
			return error(ps, "string '%.*s' too long (at most %d bytes)", (int)(end - ps->p - 1), ps->p + 1,
				     META_STR_MAX - 1);
		r->is_str = true;
		memcpy(r->str, ps->p + 1, end - ps->p - 1);
		ps->p = end + 1;
		return true;
	}
	if (number(ps, &r->num, true, &r->negative))
		return true;
	return error(ps, "expected a number or a quoted string at '%s'", ps->p);
}

/* BTF: modifiers and typedefs skipped. */
static const struct btf_type *resolve(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static const char *type_name(const struct btf *btf, const struct btf_type *t)
{
	const char *n = btf__name_by_offset(btf, t->name_off);

	return n && *n ? n : "(anonymous)";
}

/* Finds a member by name, through anonymous structs and unions; bit offset from the start of `t`. */
static bool find_member(const struct btf *btf, const struct btf_type *t, const char *member, __u32 *bit_off,
			__u32 *bf_size, __u32 *type_id)
{
	const struct btf_member *m = btf_members(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		__u32 id = m->type;
		const struct btf_type *mt;

		if (n && *n) {
			if (strcmp(n, member))
				continue;
			*bit_off = btf_member_bit_offset(t, i);
			*bf_size = btf_member_bitfield_size(t, i);
			*type_id = m->type;
			return true;
		}
		mt = resolve(btf, &id);
		if (mt && (btf_is_struct(mt) || btf_is_union(mt)) &&
		    find_member(btf, mt, member, bit_off, bf_size, type_id)) {
			*bit_off += btf_member_bit_offset(t, i);
			return true;
		}
	}
	return false;
}

static const struct btf_type *find_struct(const struct btf *btf, const char *n, __u32 *id)
{
	__s32 r = btf__find_by_name_kind(btf, n, BTF_KIND_STRUCT);

	if (r < 0)
		r = btf__find_by_name_kind(btf, n, BTF_KIND_UNION);
	if (r < 0)
		r = btf__find_by_name_kind(btf, n, BTF_KIND_TYPEDEF);
	if (r < 0)
		return NULL;
	*id = r;
	return resolve(btf, id);
}

/* Fills the leaf of a term: what is read at `bit_off` from the base, and how it is compared. */
static bool leaf(struct parser *ps, const struct btf *btf, struct meta_term *t, const struct ident *id,
		 const struct btf_type *owner, __u32 bit_off, __u32 bf_size, __u32 type_id, int cmp,
		 const struct rhs *r, bool bare)
{
	const struct btf_type *lt = resolve(btf, &type_id), *et;
	__u32 eid;
	unsigned int size, bits;

	if (id->cast[0])
		return error(ps, "cannot cast the last member '%s' into %s", id->name, id->cast);
	if (!lt)
		return error(ps, "no type for member '%s'", id->name);
	t->cmp = cmp;
	if (btf_is_array(lt) || btf_is_ptr(lt)) {
		eid = btf_is_array(lt) ? btf_array(lt)->type : lt->type;
		et = resolve(btf, &eid);
		if (et && btf_is_int(et) && et->size == 1 && !id->mask && !bare) {
			if (!r->is_str)
				return error(ps, "'%s' is a string: expected a quoted string to compare it with", id->name);
			if (cmp != META_EQ && cmp != META_NE)
				return error(ps, "'%s' is a string: only == and != compare strings", id->name);
			t->kind = btf_is_array(lt) ? META_STR_ARRAY : META_STR_PTR;
			t->size = META_STR_MAX;
			if (btf_is_array(lt) && btf_array(lt)->nelems < META_STR_MAX)
				t->size = btf_array(lt)->nelems;
			t->off = bit_off / 8;
			memcpy(t->str, r->str, sizeof(t->str));
			return true;
		}
		if (btf_is_array(lt))
			return error(ps, "'%s' is an array: only arrays of char (strings) can be compared", id->name);
		/* any other pointer is only tested alone, e.g. sk_buff.sk (not NULL), as in Retis */
		if (!bare)
			return error(ps, "'%s' is a pointer: compare one of the members it points to, or test it alone",
				     id->name);
		size = 8;
	} else if (btf_is_int(lt)) {
		size = lt->size;
		t->is_signed = btf_int_encoding(lt) & BTF_INT_SIGNED;
	} else if (btf_is_enum(lt) || btf_is_enum64(lt)) {
		size = lt->size;
		t->is_signed = btf_kflag(lt);
	} else {
		return error(ps, "'%s' is a %s in %s: compare one of its members (expected a number, string or pointer)",
			     id->name, btf_is_composite(lt) ? "struct or union" : "type that cannot be compared",
			     type_name(btf, owner));
	}
	if (r->is_str)
		return error(ps, "'%s' is a number: expected a number to compare it with, not '%s'", id->name, r->str);
	if (r->negative && !t->is_signed)
		return error(ps, "'%s' is unsigned: expected a number >= 0", id->name);
	if (id->mask && t->is_signed)
		return error(ps, "masks apply to unsigned members and pointers only ('%s' is signed)", id->name);
	if (size < 1 || size > 8)
		return error(ps, "'%s' has an unsupported size (%u bytes)", id->name, size);
	t->kind = META_NUM;
	t->mask = id->mask;
	t->value = r->num;
	if (bf_size) {
		/* the bytes covering the bitfield, then shifts keep its bits only (and extend its sign) */
		bits = bit_off % 8 + bf_size;
		t->off = bit_off / 8;
		t->size = (bits + 7) / 8;
		if (t->size > 8)
			return error(ps, "bitfield '%s' spans more than 8 bytes", id->name);
		t->shl = 64 - bf_size - bit_off % 8;
		t->shr = 64 - bf_size;
	} else {
		if (bit_off % 8)
			return error(ps, "'%s' is not byte aligned", id->name);
		t->off = bit_off / 8;
		t->size = size;
		t->shl = t->shr = 64 - 8 * size;
	}
	return true;
}

/* One comparison: walks the member chain through BTF into the term. */
static bool resolve_term(struct parser *ps, const struct lhs *l, int cmp, const struct rhs *r, bool bare,
			 struct meta_term *t)
{
	const struct btf *btf = btf_vmlinux();
	const struct btf_type *cur, *mt, *pt;
	__u32 cur_id, bit_base = 0, bit_off, bf_size, type_id, pid;
	size_t i;

	memset(t, 0, sizeof(*t));
	cur = find_struct(btf, "sk_buff", &cur_id);
	if (!cur)
		return error(ps, "the kernel's BTF has no struct sk_buff");
	for (i = 0; i < l->n; i++) {
		const struct ident *id = &l->ids[i];

		if (!find_member(btf, cur, id->name, &bit_off, &bf_size, &type_id))
			return error(ps, "%s %s has no member '%s'", btf_is_union(cur) ? "union" : "struct",
				     type_name(btf, cur), id->name);
		bit_off += bit_base;
		if (i == l->n - 1)
			return leaf(ps, btf, t, id, cur, bit_off, bf_size, type_id, cmp, r, bare);

		mt = resolve(btf, &type_id);
		if (mt && (btf_is_struct(mt) || btf_is_union(mt)) && !id->cast[0]) {
			/* an embedded struct: same base, further offset */
			if (id->mask)
				return error(ps, "masks apply to pointers and unsigned numbers, not to '%s'", id->name);
			bit_base = bit_off;
			cur = mt;
			continue;
		}
		/* a pointer (or, when cast, an integer holding one, e.g. _nfct): load it */
		if (!mt || !(btf_is_ptr(mt) || (id->cast[0] && btf_is_int(mt) && mt->size == 8)))
			return error(ps, "'%s' is not a struct, union or pointer: expected it to be the last member",
				     id->name);
		if (t->nsteps == META_MAX_STEPS)
			return error(ps, "too many pointers to follow (at most %d)", META_MAX_STEPS);
		if (bit_off % 8)
			return error(ps, "'%s' is not byte aligned", id->name);
		t->step_off[t->nsteps] = bit_off / 8;
		t->step_mask[t->nsteps] = id->mask;
		t->nsteps++;
		bit_base = 0;
		if (id->cast[0]) {
			cur = find_struct(btf, id->cast, &cur_id);
			if (!cur || !(btf_is_struct(cur) || btf_is_union(cur)))
				return error(ps, "cannot cast '%s' into %s: no such struct or union", id->name, id->cast);
			continue;
		}
		pid = mt->type;
		pt = resolve(btf, &pid);
		if (pt && btf_is_ptr(pt))
			return error(ps, "'%s' is a pointer to a pointer: not supported", id->name);
		if (!pt || !(btf_is_struct(pt) || btf_is_union(pt)))
			return error(ps, "'%s' does not point to a struct or union: expected it to be the last member",
				     id->name);
		cur = pt;
	}
	return error(ps, "expected a member after 'sk_buff'");
}

static void patch(struct patches *p, uint8_t target)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct meta_term *t = &prog.terms[p->term[i]];

		if (p->on_true[i])
			t->next_true = target;
		else
			t->next_false = target;
	}
	p->n = 0;
}

static void merge(struct patches *into, const struct patches *from)
{
	size_t i;

	for (i = 0; i < from->n && into->n < META_MAX_TERMS * 2; i++) {
		into->term[into->n] = from->term[i];
		into->on_true[into->n++] = from->on_true[i];
	}
}

static bool parse_expr(struct parser *ps, struct branch *b, int depth);

static bool parse_term(struct parser *ps, struct branch *b)
{
	static const struct {
		const char *tok;
		int cmp;
	} ops[] = {
		{ "==", META_EQ }, { "!=", META_NE }, { "<=", META_LE }, { ">=", META_GE }, { "<", META_LT }, { ">", META_GT },
	};
	struct lhs l;
	struct rhs r = {};
	int cmp = META_NE;
	bool bare = true;
	size_t i;
	uint8_t idx;

	if (!parse_lhs(ps, &l))
		return false;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (eat(ps, ops[i].tok)) {
			cmp = ops[i].cmp;
			bare = false;
			if (!parse_rhs(ps, &r))
				return false;
			break;
		}
	}
	if (prog.nterms == META_MAX_TERMS)
		return error(ps, "too many comparisons (at most %d)", META_MAX_TERMS);
	idx = prog.nterms++;
	if (!resolve_term(ps, &l, cmp, &r, bare, &prog.terms[idx]))
		return false;
	b->t.n = b->f.n = 1;
	b->t.term[0] = b->f.term[0] = idx;
	b->t.on_true[0] = true;
	b->f.on_true[0] = false;
	return true;
}

static bool parse_primary(struct parser *ps, struct branch *b, int depth)
{
	if (eat(ps, "(")) {
		if (!parse_expr(ps, b, depth + 1))
			return false;
		if (!eat(ps, ")"))
			return error(ps, "expected ')' at '%s'", ps->p);
		return true;
	}
	return parse_term(ps, b);
}

/* Left to right: the terms of the right operand are emitted after the left one's, so jumps go forward. */
static bool parse_expr(struct parser *ps, struct branch *b, int depth)
{
	struct branch rhs;
	bool and;

	if (depth > 8)
		return error(ps, "parentheses nested too deep");
	if (!parse_primary(ps, b, depth))
		return false;
	for (;;) {
		if (eat(ps, "and") || eat(ps, "&&"))
			and = true;
		else if (eat(ps, "or") || eat(ps, "||"))
			and = false;
		else
			return true;
		if (prog.nterms >= META_MAX_TERMS)
			return error(ps, "too many comparisons (at most %d)", META_MAX_TERMS);
		/* the left operand decides alone when it fails an and, or holds in an or */
		if (and)
			patch(&b->t, prog.nterms);
		else
			patch(&b->f, prog.nterms);
		memset(&rhs, 0, sizeof(rhs));
		if (!parse_primary(ps, &rhs, depth))
			return false;
		if (and) {
			b->t = rhs.t;
			merge(&b->f, &rhs.f);
		} else {
			b->f = rhs.f;
			merge(&b->t, &rhs.t);
		}
	}
}

int meta_filter_compile(const char *expr, char *err, size_t errlen)
{
	struct parser ps = { .expr = expr, .p = expr, .err = err, .errlen = errlen };
	struct branch b = {};

	memset(&prog, 0, sizeof(prog));
	if (!parse_expr(&ps, &b, 0))
		return -EINVAL;
	skip_space(&ps);
	if (*ps.p && *ps.p != ';') {
		error(&ps, "expected 'and', 'or' or the end at '%s'", ps.p);
		return -EINVAL;
	}
	patch(&b.t, META_ACCEPT);
	patch(&b.f, META_REJECT);
	return 0;
}

const struct meta_prog *meta_filter_prog(void)
{
	return &prog;
}
