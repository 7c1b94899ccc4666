/* logline: stamp lines and split long ones (svlog's hot loop), and parse
 * stamped lines back (svtail). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "logline.h"
#include "timefmt.h"

static const char hexdigit[] = "0123456789abcdef";

/* "iso", "tai64n" or "none" into a mode; -1 if unknown. */
int
logline_mode_parse(const char *s)
{
	if (strcmp(s, "iso") == 0)
		return LOGLINE_ISO;
	if (strcmp(s, "tai64n") == 0)
		return LOGLINE_TAI64N;
	if (strcmp(s, "none") == 0)
		return LOGLINE_NONE;
	return -1;
}

/* Bytes in front of each piece: the stamp and its separator. */
size_t
logline_prefix_len(int mode)
{
	switch (mode) {
	case LOGLINE_ISO:
		return ISO_LEN + 1;
	case LOGLINE_TAI64N:
		return LOGLINE_TAI64N_LEN + 1;
	default:
		return 0;
	}
}

void
logline_init(struct logline *ll, int mode, size_t max)
{
	memset(ll, 0, sizeof *ll);
	ll->mode = mode;
	ll->max = max > 0 ? max : 1;
	ll->prelen = logline_prefix_len(mode);
}

/* Put "name: " after the stamp of every piece (NULL: none). The name is
 * not copied: it must outlive ll. -1 (EINVAL) if it holds a newline or is
 * longer than LOGLINE_NAMEMAX. */
int
logline_name(struct logline *ll, const char *name)
{
	if (name != NULL && (strchr(name, '\n') != NULL ||
	    strlen(name) > LOGLINE_NAMEMAX)) {
		errno = EINVAL;
		return -1;
	}
	ll->name = name;
	ll->namelen = name != NULL ? strlen(name) : 0;
	return 0;
}

/* Format the stamp for ts once; every piece formatted until the next call
 * carries it. */
void
logline_stamp(struct logline *ll, const struct timespec *ts)
{
	unsigned char label[TAI64N_LEN];
	int i;

	switch (ll->mode) {
	case LOGLINE_ISO:
		timefmt_iso(ll->stamp, ts);
		break;
	case LOGLINE_TAI64N:
		timefmt_tai64n_pack(label, ts);
		ll->stamp[0] = '@';
		for (i = 0; i < TAI64N_LEN; i++) {
			ll->stamp[1 + 2 * i] = hexdigit[label[i] >> 4];
			ll->stamp[2 + 2 * i] = hexdigit[label[i] & 15];
		}
		break;
	default:
		break;
	}
}

/*
 * Turn the lines at in[0..len) into stamped pieces appended to out, from
 * out[*outlen] up to out[cap]. A line longer than ll->max is cut into
 * pieces of ll->max bytes. An unterminated line shorter than that waits
 * for more input, unless final is set: then it gets its newline. Stops at
 * the first piece that does not fit in cap. Returns how many bytes of in
 * were used; *outlen is advanced.
 */
size_t
logline_format(struct logline *ll, const char *in, size_t len, int final,
    char *out, size_t cap, size_t *outlen)
{
	const char *p = in, *end = in + len, *nl;
	char *o = out + *outlen, *oend = out + cap;
	size_t avail, look, n, adv, pre = ll->prelen, max = ll->max;
	size_t name = ll->namelen > 0 ? ll->namelen + 2 : 0;
	int split;

	while (p < end) {
		avail = (size_t)(end - p);
		look = avail <= max ? avail : max + 1;
		if ((nl = memchr(p, '\n', look)) != NULL) {
			n = (size_t)(nl - p);
			adv = n + 1;
			split = 0;
		} else if (avail > max) {
			n = max;
			adv = max;
			split = 1;
		} else if (final) {
			n = avail;
			adv = avail;
			split = 0;
		} else
			break;
		if ((size_t)(oend - o) < pre + name + n + 1)
			break;
		if (pre > 0) {
			memcpy(o, ll->stamp, pre - 1);
			o[pre - 1] = ll->cont ? LOGLINE_CONT : LOGLINE_SEP;
			o += pre;
		}
		if (name > 0) {
			memcpy(o, ll->name, name - 2);
			memcpy(o + name - 2, ": ", 2);
			o += name;
		}
		memcpy(o, p, n);
		o[n] = '\n';
		o += n + 1;
		ll->cont = split;
		p += adv;
	}
	*outlen = (size_t)(o - out);
	return (size_t)(p - in);
}

static int
ishex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/*
 * Read the stamp at the start of line[0..len): an ISO 8601 UTC stamp as
 * svlog writes it, or a TAI64N label (svlog -t tai64n, multilog, svlogd
 * -t, s6-log t), each followed by a separator. Returns the offset of the
 * text after the separator, with *ts and *cont (1 for a continued piece)
 * set; 0 when the line carries no stamp.
 */
size_t
logline_parse(const char *line, size_t len, struct timespec *ts, int *cont)
{
	unsigned char label[TAI64N_LEN];
	size_t i;

	if (len > LOGLINE_TAI64N_LEN && line[0] == '@') {
		for (i = 1; i < LOGLINE_TAI64N_LEN; i++)
			if (!ishex((unsigned char)line[i]))
				return 0;
		if (line[i] != LOGLINE_SEP && line[i] != LOGLINE_CONT)
			return 0;
		for (i = 0; i < TAI64N_LEN; i++)
			label[i] = (unsigned char)(hexval(line[1 + 2 * i]) << 4 |
			    hexval(line[2 + 2 * i]));
		timefmt_tai64n_unpack(label, ts);
		*cont = line[LOGLINE_TAI64N_LEN] == LOGLINE_CONT;
		return LOGLINE_TAI64N_LEN + 1;
	}
	if (len > ISO_LEN && line[4] == '-' && line[ISO_LEN - 1] == 'Z' &&
	    (line[ISO_LEN] == LOGLINE_SEP || line[ISO_LEN] == LOGLINE_CONT) &&
	    timefmt_iso_parse(line, ISO_LEN, ts) == 0) {
		*cont = line[ISO_LEN] == LOGLINE_CONT;
		return ISO_LEN + 1;
	}
	return 0;
}
