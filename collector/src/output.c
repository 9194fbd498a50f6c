// SPDX-License-Identifier: GPL-2.0
/*
 * The Retis file writer: line 1 is a startup event; with a size limit, files are split exactly as Retis
 * does (retis-events/src/file/rotate.rs): before a line that would pass the limit, FILE becomes FILE.<i>
 * and a new FILE starts with its own startup event (split_file.id = i + 1); at the end FILE is renamed too.
 * With a file count (--out-rotate-count), the oldest files are removed as new ones start, and the ones left
 * are renamed to start at FILE.0 at the end (their split_file.id keep their original numbers, as Retis's).
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "collector.h"

/* Declares the 1.7.0 format; Retis's parser drops the "v" and everything after "+". */
#define RETIS_VERSION "v1.7.0+retis-ts"

static struct output_opts opts;
static FILE *out;
static uint64_t written;
static uint32_t index_;
static struct timespec mono_offset;

int parse_rotate_limit(const char *s, uint64_t *limit)
{
	regex_t re;
	regmatch_t m[3];
	uint64_t v;

	/* the same unanchored pattern as Retis: (\d+)(M|G)B, MB = 10^6 bytes */
	if (regcomp(&re, "([0-9]+)(M|G)B", REG_EXTENDED))
		return -EINVAL;
	if (regexec(&re, s, 3, m, 0)) {
		regfree(&re);
		return -EINVAL;
	}
	v = strtoull(s + m[1].rm_so, NULL, 10) * (s[m[2].rm_so] == 'M' ? 1000000ULL : 1000000000ULL);
	regfree(&re);
	if (!v)
		return -EINVAL;
	*limit = v;
	return 0;
}

static void startup_line(struct buf *b)
{
	struct timespec now;
	struct utsname u;

	clock_gettime(CLOCK_MONOTONIC, &now);
	uname(&u);
	buf_str(b, "{\"common\":{\"timestamp\":");
	buf_u64(b, (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec);
	buf_str(b, "},\"startup\":{\"retis_version\":\"" RETIS_VERSION "\",\"cmdline\":");
	buf_json_str(b, opts.cmdline, 1 << 16);
	buf_str(b, ",\"clock_monotonic_offset\":{\"sec\":");
	buf_i64(b, mono_offset.tv_sec);
	buf_str(b, ",\"nsec\":");
	buf_i64(b, mono_offset.tv_nsec);
	buf_str(b, "},\"machine\":{\"kernel_release\":");
	buf_json_str(b, u.release, sizeof(u.release));
	buf_str(b, ",\"kernel_version\":");
	buf_json_str(b, u.version, sizeof(u.version));
	buf_str(b, ",\"hardware_name\":");
	buf_json_str(b, u.machine, sizeof(u.machine));
	buf_str(b, "}");
	if (opts.rotate_limit) {
		buf_str(b, ",\"split_file\":{\"id\":");
		buf_u64(b, index_);
		buf_str(b, ",\"policy\":{\"kind\":\"size\",\"limit\":");
		buf_u64(b, opts.rotate_limit);
		buf_str(b, "}}");
	}
	buf_str(b, "}}\n");
}

static int new_file(void)
{
	struct buf b = {};

	out = fopen(opts.path, "w");
	if (!out)
		return -errno;
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	startup_line(&b);
	written = fwrite(b.p, 1, b.len, out);
	free(b.p);
	return written ? 0 : -EIO;
}

static void split_name(char *buf, size_t len, uint32_t index)
{
	snprintf(buf, len, "%s.%u", opts.path, index);
}

static int close_file(void)
{
	char target[4096];
	int err = 0;

	if (fclose(out))
		err = -errno;
	out = NULL;
	if (opts.rotate_limit) {
		split_name(target, sizeof(target), index_);
		if (rename(opts.path, target))
			err = -errno;
		index_++;
	}
	return err;
}

int output_open(const struct output_opts *o)
{
	struct timespec real, mono;

	opts = *o;
	/* REALTIME - MONOTONIC, for `--utc` */
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	mono_offset.tv_sec = real.tv_sec - mono.tv_sec;
	mono_offset.tv_nsec = real.tv_nsec - mono.tv_nsec;
	if (mono_offset.tv_nsec < 0) {
		mono_offset.tv_nsec += 1000000000L;
		mono_offset.tv_sec--;
	}
	return new_file();
}

int output_line(const char *line, size_t len)
{
	char oldest[4096];
	int err;

	if (opts.rotate_limit && written + len > opts.rotate_limit) {
		err = close_file();
		if (!err)
			err = new_file();
		if (err)
			return err;
		if (opts.rotate_count && opts.rotate_count <= index_) {
			split_name(oldest, sizeof(oldest), index_ - opts.rotate_count);
			if (unlink(oldest))
				return -errno;
		}
	}
	if (fwrite(line, 1, len, out) != len)
		return errno ? -errno : -EIO;
	written += len;
	return 0;
}

int output_flush(void)
{
	return out && fflush(out) ? -errno : 0;
}

int output_close(void)
{
	char from[4096], to[4096];
	uint32_t i;
	int err;

	if (!out)
		return 0;
	err = close_file();
	if (err || !opts.rotate_count || index_ < opts.rotate_count)
		return err;
	for (i = 0; i < opts.rotate_count; i++) {
		split_name(from, sizeof(from), index_ - opts.rotate_count + i);
		split_name(to, sizeof(to), i);
		if (rename(from, to))
			return -errno;
	}
	return 0;
}
