// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: options checked and turned into the configuration, with errors that quote the value
 * and say what was expected. Probes are resolved against the kernel's BTF (btf_info.c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "collector.h"

struct config cfg = {
	.collectors = COLLECT_ALL,
	/* Retis's default, "dev": device information, which the dev collector writes here */
	.skb_sections = SKB_SECTION_DEV,
	.out = "retis.data",
	.status_fd = -1,
};

void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("retis: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct name_bit {
	const char *name;
	uint32_t bit;
};

/* Retis's collector names; "packet" is kept for older command lines (the skb collector writes packets). */
static const struct name_bit collector_names[] = {
	{ "skb-tracking", COLLECT_TRACKING },
	{ "skb-drop", COLLECT_DROP },
	{ "packet", COLLECT_PACKET },
	{ "skb", COLLECT_SKB | COLLECT_PACKET },
	{ "ns", COLLECT_NS },
	{ "dev", COLLECT_DEV },
	{ "ct", COLLECT_CT },
	{ "auto", ~0u },
	{ "all", ~0u },
	{},
};

/*
 * Retis's --skb-sections values. The packet is always written by the skb collector, and the VLAN tag
 * whenever there is one; "dev" and "ns" add those sections as Retis's skb collector did; the layer names
 * Retis deprecated (always retrieved now, from the packet) are accepted and change nothing.
 */
static const struct name_bit skb_section_names[] = {
	{ "meta", SKB_SECTION_META },
	{ "dataref", SKB_SECTION_DATAREF },
	{ "gso", SKB_SECTION_GSO },
	{ "dev", SKB_SECTION_DEV },
	{ "ns", SKB_SECTION_NS },
	{ "vlan", 0 },
	{ "eth", 0 },
	{ "packet", 0 },
	{ "arp", 0 },
	{ "ip", 0 },
	{ "tcp", 0 },
	{ "udp", 0 },
	{ "icmp", 0 },
	{ "all", ~0u },
	{},
};

/* A comma-separated list of names from `table` into bits; `what` and `expected` word the error. */
static int parse_names(const char *arg, const struct name_bit *table, uint32_t all, uint32_t *bits,
		       const char *what, const char *expected)
{
	char *s = strdup(arg), *tok, *save;
	const struct name_bit *nb;

	*bits = 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (nb = table; nb->name && strcmp(tok, nb->name); nb++)
			;
		if (!nb->name) {
			fail("unknown %s '%s' (expected %s)", what, tok, expected);
			free(s);
			return -EINVAL;
		}
		*bits |= nb->bit & all;
	}
	free(s);
	return 0;
}

struct probe *find_probe(const char *name)
{
	size_t i;

	for (i = 0; i < cfg.nprobes; i++)
		if (!strcmp(cfg.probes[i].name, name))
			return &cfg.probes[i];
	return NULL;
}

/* tp:GROUP:NAME[/stack] (or GROUP:NAME); kprobes are refused with the reason. */
int add_probe(const char *arg)
{
	char spec[256], err[512], *group, *name, *slash;
	struct probe p, *existing;
	bool stack = false;

	snprintf(spec, sizeof(spec), "%s", arg);
	slash = strchr(spec, '/');
	if (slash) {
		if (strcmp(slash, "/stack")) {
			fail("invalid probe '%s': expected [tp:]GROUP:NAME[/stack]", arg);
			return -EINVAL;
		}
		*slash = 0;
		stack = true;
	}
	group = spec;
	if (!strncmp(spec, "tp:", 3)) {
		group = spec + 3;
	} else if (!strncmp(spec, "k:", 2) || !strncmp(spec, "kr:", 3) || !strncmp(spec, "kprobe:", 7) ||
		   !strncmp(spec, "kretprobe:", 10)) {
		fail("invalid probe '%s': kprobes are not available with this collector, only tracepoints (tp:GROUP:NAME)",
		     arg);
		return -EINVAL;
	}
	name = strchr(group, ':');
	if (!name || !name[1] || name == group) {
		fail("invalid probe '%s': expected tp:GROUP:NAME[/stack], e.g. tp:net:netif_receive_skb", arg);
		return -EINVAL;
	}
	*name++ = 0;
	if (tp_resolve(group, name, &p, err, sizeof(err))) {
		fail("%s", err);
		return -ENOENT;
	}
	existing = find_probe(name);
	if (existing) {
		existing->stack |= stack;
		return 0;
	}
	if (cfg.nprobes == PROBE_SLOTS) {
		fail("too many probes (at most %d)", PROBE_SLOTS);
		return -E2BIG;
	}
	p.stack = stack;
	cfg.probes[cfg.nprobes++] = p;
	return 0;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || end == s || x > UINT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

/* --netns takes an inode number, a path to a namespace file, or a name under /run/netns. */
static int add_netns(const char *arg)
{
	char path[4096];
	struct stat st;
	uint32_t v;

	if (cfg.nnetns == MAX_FILTER_IDS) {
		fail("too many --netns (at most %d)", MAX_FILTER_IDS);
		return -E2BIG;
	}
	if (!parse_u32(arg, &v)) {
		cfg.netns[cfg.nnetns++] = v;
		return 0;
	}
	snprintf(path, sizeof(path), strchr(arg, '/') ? "%s" : "/run/netns/%s", arg);
	if (stat(path, &st)) {
		fail("invalid --netns '%s': expected an inode number, a namespace name or path (%s: %s)", arg, path,
		     strerror(errno));
		return -EINVAL;
	}
	cfg.netns[cfg.nnetns++] = st.st_ino;
	return 0;
}

static int add_ifindex(const char *arg)
{
	uint32_t v;

	if (parse_u32(arg, &v) || !v) {
		fail("invalid --ifindex '%s': expected an interface index (a positive number)", arg);
		return -EINVAL;
	}
	if (cfg.nifindex == MAX_FILTER_IDS) {
		fail("too many --ifindex (at most %d)", MAX_FILTER_IDS);
		return -E2BIG;
	}
	cfg.ifindex[cfg.nifindex++] = v;
	return 0;
}

static const char usage[] =
	"usage: retis collect [options]\n"
	"  -p, --probe tp:GROUP:NAME[/stack]  add a tracepoint carrying an skb (default net:netif_receive_skb,\n"
	"                                     net:net_dev_start_xmit; skb-drop adds skb:kfree_skb)\n"
	"  -c, --collectors LIST              skb-tracking,skb,skb-drop,ct,dev,ns or auto (default: auto, all)\n"
	"      --skb-sections LIST            all,vlan,dev,ns,meta,dataref,gso (default dev)\n"
	"      --stack                        kernel stack trace on every probe\n"
	"  -o, --out FILE                     output file (default retis.data)\n"
	"      --out-rotate SIZE              split the output every SIZE (e.g. 64MB, 1GB)\n"
	"  -R, --out-rotate-count N           keep only the last N split files\n"
	"      --print                        also print events as they arrive\n"
	"  -f, --filter-packet EXPR           pcap-filter expression (see pcap-filter(7))\n"
	"  -m, --filter-meta EXPR             meta filter, e.g. \"sk_buff.dev.name == 'eth0'\" (with -f: both)\n"
	"      --netns NS                     only packets seen in this namespace (inode, name or path)\n"
	"      --ifindex N                    only packets seen on this interface\n"
	"      --stop-after N                 stop after N events\n"
	"      --timeout SECONDS              stop after this long\n"
	"      --raw-tp                       use raw tracepoints instead of BTF-typed ones\n"
	"      --user-filter                  run -f in user space (libpcap) instead of in the kernel\n"
	"  -v, --verbose                      libbpf's own messages\n"
	"      --status-fd FD                 progress as JSON lines on FD (events, drops, lost, not_written)\n";

enum {
	OPT_SKB_SECTIONS = 256, OPT_STACK, OPT_ROTATE, OPT_STDOUT_JSON, OPT_NETNS, OPT_IFINDEX, OPT_STOP_AFTER,
	OPT_TIMEOUT, OPT_CMDLINE, OPT_INSPECT, OPT_SUMMARY_JSON, OPT_RAW_TP, OPT_USER_FILTER,
	OPT_DIE_WITH_PARENT, OPT_ROTATE_COUNT, OPT_STATUS_FD,
};

#define NO_LONG_OPTION (-1)

static const struct option long_opts[] = {
	{ "probe", required_argument, NULL, 'p' },
	{ "collectors", required_argument, NULL, 'c' },
	{ "skb-sections", required_argument, NULL, OPT_SKB_SECTIONS },
	{ "stack", no_argument, NULL, OPT_STACK },
	{ "out", required_argument, NULL, 'o' },
	{ "out-rotate", required_argument, NULL, OPT_ROTATE },
	{ "out-rotate-count", required_argument, NULL, 'R' },
	{ "stdout-json", no_argument, NULL, OPT_STDOUT_JSON },
	{ "filter-packet", required_argument, NULL, 'f' },
	{ "filter-meta", required_argument, NULL, 'm' },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "ifindex", required_argument, NULL, OPT_IFINDEX },
	{ "stop-after", required_argument, NULL, OPT_STOP_AFTER },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "inspect", required_argument, NULL, OPT_INSPECT },
	{ "summary-json", no_argument, NULL, OPT_SUMMARY_JSON },
	{ "raw-tp", no_argument, NULL, OPT_RAW_TP },
	{ "user-filter", no_argument, NULL, OPT_USER_FILTER },
	{ "die-with-parent", no_argument, NULL, OPT_DIE_WITH_PARENT },
	{ "status-fd", required_argument, NULL, OPT_STATUS_FD },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

/*
 * getopt_long() takes any unambiguous prefix of a long option ("--cmd" for "--cmdline"): a typo or
 * another program's option would silently mean one of ours. Only full names are accepted.
 */
static bool abbreviated(char **argv, int longindex)
{
	const struct option *o = &long_opts[longindex];
	const char *tok = argv[optind - 1];
	size_t n;

	/* a separate value: the option is the token before it */
	if (o->has_arg == required_argument && optarg == argv[optind - 1])
		tok = argv[optind - 2];
	if (strncmp(tok, "--", 2))
		return false;
	tok += 2;
	n = strcspn(tok, "=");
	if (n == strlen(o->name) && !strncmp(tok, o->name, n))
		return false;
	fail("unknown option '--%.*s' (see retis collect --help)", (int)n, tok);
	return true;
}

/* Options are checked in two passes: the syntax first, the probes once BTF is open. */
int parse_args(int argc, char **argv, const char **probe_args, size_t *nprobe_args)
{
	int opt, longindex = NO_LONG_OPTION;
	char *end;

	while ((opt = getopt_long(argc, argv, "p:c:o:f:m:R:vh", long_opts, &longindex)) != -1) {
		if (longindex != NO_LONG_OPTION && abbreviated(argv, longindex))
			return -EINVAL;
		longindex = NO_LONG_OPTION;
		switch (opt) {
		case 'p':
			if (*nprobe_args == PROBE_SLOTS) {
				fail("too many probes (at most %d)", PROBE_SLOTS);
				return -E2BIG;
			}
			probe_args[(*nprobe_args)++] = optarg;
			break;
		case 'c':
			if (!*optarg) {
				fail("invalid --collectors '': expected skb-tracking, skb, skb-drop, ct, dev, ns or auto");
				return -EINVAL;
			}
			if (parse_names(optarg, collector_names, COLLECT_ALL, &cfg.collectors, "collector",
					"skb-tracking, skb, skb-drop, ct, dev, ns or auto"))
				return -EINVAL;
			break;
		case OPT_SKB_SECTIONS:
			if (parse_names(optarg, skb_section_names, SKB_SECTION_ALL, &cfg.skb_sections, "skb section",
					"all, vlan, dev, ns, meta, dataref or gso"))
				return -EINVAL;
			break;
		case OPT_STACK: cfg.stack = true; break;
		case 'o': cfg.out = optarg; break;
		case OPT_ROTATE: cfg.rotate = optarg; break;
		case 'R':
			if (parse_u32(optarg, &cfg.rotate_count) || !cfg.rotate_count) {
				fail("invalid --out-rotate-count '%s': expected a positive number of files", optarg);
				return -EINVAL;
			}
			break;
		case OPT_STDOUT_JSON: cfg.stdout_json = true; break;
		case 'f': cfg.filter = optarg; break;
		case 'm':
			if (cfg.filter_meta) {
				fail("-m, --filter-meta may be given once (combine comparisons with 'and' and 'or')");
				return -EINVAL;
			}
			cfg.filter_meta = optarg;
			break;
		case OPT_NETNS:
			if (add_netns(optarg))
				return -EINVAL;
			break;
		case OPT_IFINDEX:
			if (add_ifindex(optarg))
				return -EINVAL;
			break;
		case OPT_STOP_AFTER:
			/* strtoull() would take "-1" as 2^64 - 1 */
			errno = 0;
			cfg.stop_after = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end || errno || !cfg.stop_after) {
				fail("invalid --stop-after '%s': expected a positive number of events", optarg);
				return -EINVAL;
			}
			break;
		case OPT_TIMEOUT:
			cfg.timeout = strtod(optarg, &end);
			/* "nan" and "inf" parse as numbers too */
			if (*end || end == optarg || !isfinite(cfg.timeout) || !(cfg.timeout > 0)) {
				fail("invalid --timeout '%s': expected a positive number of seconds", optarg);
				return -EINVAL;
			}
			break;
		case OPT_CMDLINE: cfg.cmdline = optarg; break;
		case OPT_INSPECT: cfg.inspect = optarg; break;
		case OPT_SUMMARY_JSON: cfg.summary_json = true; break;
		case OPT_RAW_TP: cfg.raw_tp = true; break;
		case OPT_USER_FILTER: cfg.user_filter = true; break;
		case OPT_DIE_WITH_PARENT: cfg.die_with_parent = true; break;
		case OPT_STATUS_FD: {
			uint32_t fd;

			/* 0-2 are the usual streams: a status line there would mix with them */
			if (parse_u32(optarg, &fd) || fd < 3 || fcntl((int)fd, F_GETFD) < 0) {
				fail("invalid --status-fd '%s': expected an open file descriptor above 2", optarg);
				return -EINVAL;
			}
			cfg.status_fd = (int)fd;
			break;
		}
		case 'v': cfg.verbose = true; break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fail("invalid arguments (see retis collect --help)");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fail("unexpected argument '%s' (see retis collect --help)", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
