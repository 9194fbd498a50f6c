// SPDX-License-Identifier: GPL-2.0
/* JSON building blocks: written by hand because the loader formats tens of thousands of lines a second. */
#include <stdlib.h>
#include <string.h>
#include "collector.h"

void buf_grow(struct buf *b, size_t n)
{
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
		abort();
}

/* Two digits at a time: number formatting was the formatter's hottest spot. */
static const char digits2[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void buf_u64(struct buf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		i -= 2;
		memcpy(tmp + i, digits2 + r * 2, 2);
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, digits2 + v * 2, 2);
	} else {
		tmp[--i] = '0' + v;
	}
	buf_put(b, tmp + i, sizeof(tmp) - i);
}

void buf_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_put(b, "-", 1);
		buf_u64(b, -(uint64_t)v);
	} else {
		buf_u64(b, v);
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * A quoted JSON string of at most max bytes (kernel strings may lack their NUL). Task and device names are
 * arbitrary bytes: what is not UTF-8 becomes U+FFFD, so that the file stays valid UTF-8 for Retis's reader.
 */
void buf_json_str(struct buf *b, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n;

	for (n = 0; n < max && s[n]; n++)
		;
	buf_reserve(b, n * 6 + 2);
	b->p[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			b->p[b->len++] = '\\';
			b->p[b->len++] = c;
		} else if (c < 0x20) {
			memcpy(b->p + b->len, "\\u00", 4);
			b->p[b->len + 4] = hex[c >> 4];
			b->p[b->len + 5] = hex[c & 15];
			b->len += 6;
		} else if (c < 0x80) {
			b->p[b->len++] = c;
		} else {
			size_t len = utf8_len((const unsigned char *)s + i, n - i);

			if (len) {
				memcpy(b->p + b->len, s + i, len);
				b->len += len;
				i += len - 1;
			} else {
				memcpy(b->p + b->len, "\\ufffd", 6);
				b->len += 6;
			}
		}
	}
	b->p[b->len++] = '"';
}

/* Standard base64 with padding, as Retis writes packet.data. */
void buf_base64(struct buf *b, const uint8_t *d, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o;
	size_t i;

	buf_reserve(b, (n + 2) / 3 * 4);
	o = b->p + b->len;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = d[i] << 16 | d[i + 1] << 8 | d[i + 2];

		*o++ = tbl[v >> 18];
		*o++ = tbl[(v >> 12) & 63];
		*o++ = tbl[(v >> 6) & 63];
		*o++ = tbl[v & 63];
	}
	if (i < n) {
		uint32_t v = d[i] << 16 | (i + 1 < n ? d[i + 1] << 8 : 0);

		*o++ = tbl[v >> 18];
		*o++ = tbl[(v >> 12) & 63];
		*o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	b->len = o - b->p;
}

/* The writer: one flag says whether the object being written has a member yet (for the commas). */
static void json_sep(struct json *j, const char *key, size_t klen)
{
	buf_reserve(j->b, klen + 4);
	if (!j->first)
		j->b->p[j->b->len++] = ',';
	j->first = false;
	j->b->p[j->b->len++] = '"';
	memcpy(j->b->p + j->b->len, key, klen);
	j->b->len += klen;
	j->b->p[j->b->len++] = '"';
	j->b->p[j->b->len++] = ':';
}

void json_begin(struct json *j, struct buf *b)
{
	j->b = b;
	j->first = true;
	buf_put(b, "{", 1);
}

void json_end(struct json *j)
{
	buf_put(j->b, "}", 1);
	j->first = false;
}

void json_open(struct json *j, const char *key)
{
	json_sep(j, key, strlen(key));
	buf_put(j->b, "{", 1);
	j->first = true;
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_sep(j, key, strlen(key));
	buf_u64(j->b, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	json_sep(j, key, strlen(key));
	buf_i64(j->b, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_sep(j, key, strlen(key));
	buf_str(j->b, v ? "true" : "false");
}

void json_str(struct json *j, const char *key, const char *s, size_t max)
{
	json_sep(j, key, strlen(key));
	buf_json_str(j->b, s, max);
}

/* A key whose value the caller writes itself (arrays, base64). */
void json_key(struct json *j, const char *key)
{
	json_sep(j, key, strlen(key));
}
