// SPDX-License-Identifier: GPL-2.0
/*
 * The Retis file writer: line 1 is a startup event; with a size limit, files are split exactly as Retis
 * does (retis-events/src/file/rotate.rs): before a line that would pass the limit, FILE becomes FILE.<i>
 * and a new FILE starts with its own startup event (split_file.id = i + 1); at the end FILE is renamed too.
 * With a file count (--out-rotate-count), the oldest files are removed as new ones start, and the ones left
 * are renamed to start at FILE.0 at the end (their split_file.id keep their original numbers, as Retis's).
 *
 * Lines are buffered here, not by stdio, so that a failed write (a full disk, an I/O error) can be cut
 * back to the last complete line: the file always ends with a whole line, and the lines that did not
 * make it are counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "collector.h"

/* Declares the 1.7.0 format; Retis's parser drops the "v" and everything after "+". */
#define RETIS_VERSION "v1.7.0+retis-ts"

#define OUT_BUF_SIZE (1 << 20)

static struct output_opts opts;
static int fd = -1;
static struct buf pending;	/* whole lines not written yet */
static uint64_t on_disk;	/* bytes of the current file written */
static uint64_t written;	/* bytes of the current file, written or pending (for rotation) */
static uint64_t lines_lost;	/* event lines that could not be written */
static uint64_t lines_written;	/* event lines on disk */
static bool startup_pending;	/* the pending lines start with a startup line */
static bool failed;
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
	struct json j;

	clock_gettime(CLOCK_MONOTONIC, &now);
	uname(&u);
	json_begin(&j, b);
	json_open(&j, "common");
	json_u64(&j, "timestamp", (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec);
	json_end(&j);
	json_open(&j, "startup");
	json_str(&j, "retis_version", RETIS_VERSION, 64);
	json_str(&j, "cmdline", opts.cmdline, 1 << 16);
	json_open(&j, "clock_monotonic_offset");
	json_i64(&j, "sec", mono_offset.tv_sec);
	json_i64(&j, "nsec", mono_offset.tv_nsec);
	json_end(&j);
	json_open(&j, "machine");
	json_str(&j, "kernel_release", u.release, sizeof(u.release));
	json_str(&j, "kernel_version", u.version, sizeof(u.version));
	json_str(&j, "hardware_name", u.machine, sizeof(u.machine));
	json_end(&j);
	if (opts.rotate_limit) {
		json_open(&j, "split_file");
		json_u64(&j, "id", index_);
		json_open(&j, "policy");
		json_str(&j, "kind", "size", 8);
		json_u64(&j, "limit", opts.rotate_limit);
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	buf_put(b, "\n", 1);
}

static uint64_t count_lines(const char *p, size_t n)
{
	uint64_t lines = 0;
	size_t i;

	for (i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/*
 * Writes the pending lines. On a failure, the file is cut back to its last complete line and every line
 * not on disk is counted as lost; nothing is written after that.
 */
static int write_pending(void)
{
	size_t done = 0, keep;
	ssize_t n;
	int err = 0;

	while (!failed && done < pending.len) {
		n = write(fd, pending.p + done, pending.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		done += n;
	}
	if (!failed && !err) {
		lines_written += count_lines(pending.p, pending.len) - startup_pending;
		on_disk += done;
		pending.len = 0;
		startup_pending = false;
		return 0;
	}
	if (!failed) {
		/* the part of a line that got through is taken back */
		for (keep = done; keep > 0 && pending.p[keep - 1] != '\n'; keep--)
			;
		on_disk += keep;
		if (keep)
			lines_written += count_lines(pending.p, keep) - startup_pending;
		if (keep != done && ftruncate(fd, on_disk))
			err = -errno;
		lines_lost += count_lines(pending.p + keep, pending.len - keep) - (startup_pending && !keep);
		failed = true;
	} else {
		lines_lost += count_lines(pending.p, pending.len);
	}
	pending.len = 0;
	startup_pending = false;
	return err ? err : -EIO;
}

static int new_file(void)
{
	fd = open(opts.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	on_disk = 0;
	pending.len = 0;
	startup_line(&pending);
	startup_pending = true;
	written = pending.len;
	return 0;
}

static void split_name(char *buf, size_t len, uint32_t index)
{
	snprintf(buf, len, "%s.%u", opts.path, index);
}

static int close_file(void)
{
	char target[4096];
	int err = write_pending();

	if (close(fd) && !err)
		err = -errno;
	fd = -1;
	if (opts.rotate_limit) {
		split_name(target, sizeof(target), index_);
		if (rename(opts.path, target) && !err)
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

	if (failed) {
		lines_lost++;
		return -EIO;
	}
	if (opts.rotate_limit && written + len > opts.rotate_limit) {
		err = close_file();
		if (!err)
			err = new_file();
		if (err) {
			failed = true;
			lines_lost++;
			return err;
		}
		if (opts.rotate_count && opts.rotate_count <= index_) {
			split_name(oldest, sizeof(oldest), index_ - opts.rotate_count);
			if (unlink(oldest))
				return -errno;
		}
	}
	if (pending.len + len > OUT_BUF_SIZE && (err = write_pending())) {
		lines_lost++;
		return err;
	}
	buf_put(&pending, line, len);
	written += len;
	return 0;
}

int output_flush(void)
{
	return fd >= 0 ? write_pending() : 0;
}

uint64_t output_written(void)
{
	return lines_written;
}

uint64_t output_lost(void)
{
	return lines_lost;
}

int output_close(void)
{
	char from[4096], to[4096];
	uint32_t i;
	int err;

	if (fd < 0)
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
