/*
 * Batch files: writing them (signed, optionally sealed, atomically),
 * reading and checking them (signature first: nothing unsigned is
 * believed), and importing their visits.
 */
/* O_TMPFILE (Linux): a batch has no name until it is whole. */
#define _GNU_SOURCE 1
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anfang/batch-check.h"
#include "anfang/batch-json.h"
#include "anfang/batch.h"
#include "anfang/clock.h"
#include "anfang/crypt-hash.h"
#include "anfang/crypt-mem.h"
#include "anfang/file.h"
#include "anfang/form-load.h"
#include "anfang/i18n.h"
#include "anfang/load.h"
#include "anfang/store-batch.h"
#include "anfang/store-key.h"
#include "anfang/store-visit.h"
#include "anfang/store.h"
#include "anfang/xmalloc.h"

/* A batch file is read whole; beyond this it is refused. */
#define BATCH_MAX_BYTES ((size_t)2 << 30)
/* The header line is shorter than this (ids, counts, a time). */
#define BATCH_HEADER_MAX 512
#define BATCH_MAX_SIG    16384

struct batch {
	char *text; /* the .jsonl bytes */
	size_t len;
	int mapped; /* text is a read-only map of the file */
	/* The signature's prehash (BLAKE2b-512 of the file), in hex: also the
	 * hash recorded with the import, so the file is hashed once. */
	char hash[CRYPT_SIGN_PREHASH_BYTES * 2 + 1];
	char *id;
	char signer[17];
	char *label;
	long long sequence;
	long long nvisits;
	int version; /* of the format: 1 or 2 */
	struct form **forms;
	size_t nforms;
	size_t visits_at; /* offset of the first visit line */
};

/*
 * The largest batch file verify and import read.  ANFANG_BATCH_MAX_BYTES
 * may lower it (never raise it): tests check what export does at the
 * limit without writing 2 GiB.
 */
static size_t
batch_max_bytes(void)
{
	const char *e = getenv("ANFANG_BATCH_MAX_BYTES");
	unsigned long long n;
	char *end;

	if (e != NULL && *e != '\0') {
		errno = 0;
		n = strtoull(e, &end, 10);
		if (errno == 0 && *end == '\0' && n > 0 && n < BATCH_MAX_BYTES)
			return (size_t)n;
	}
	return BATCH_MAX_BYTES;
}

/*
 * The most export writes in one batch: what verify takes, less room for a
 * sealed file's framing (21 bytes per 64 KiB message, the names, the
 * signature), so that the sealed file is never the one over the limit.
 */
static size_t
batch_max_written(void)
{
	size_t m = batch_max_bytes();

	return m > 8192 ? m - m / 1024 - 4096 : m / 2;
}

/* Growing text buffer for the batch being written. */
struct batch_buf {
	char *p;
	size_t len;
	size_t cap;
};

static void
batch_buf_add(struct batch_buf *b, const char *s, size_t n)
{
	if (b->len + n + 2 > b->cap) {
		b->cap = (b->len + n + 2) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len++] = '\n';
	b->p[b->len] = '\0';
}

const char *
batch_fail_name(enum batch_fail f)
{
	switch (f) {
	case BATCH_OK:
		return N_("verified");
	case BATCH_EREAD:
		return N_("unreadable");
	case BATCH_ESEALED:
		return N_("sealed");
	case BATCH_ESIGNATURE:
		return N_("signature");
	case BATCH_ETRUSTED:
		return N_("trusted comment");
	case BATCH_ESIGNER:
		return N_("signer");
	case BATCH_EFORMAT:
		return N_("format");
	case BATCH_EFORM:
		return N_("form");
	case BATCH_ESEQUENCE:
		return N_("sequence");
	case BATCH_EDUPLICATE:
		return N_("duplicate");
	}
	return "?";
}

static char *
batch_trusted(const char *id, long long seq, long long visits)
{
	return xasprintf(
	    "anfang batch %s sequence %lld visits %lld", id, seq, visits);
}

static void batch_hex(char *out, const unsigned char *p, size_t n);

/*
 * A file written beside its own name, complete or absent: without a name
 * at all while it is written (O_TMPFILE), so that an export killed
 * halfway leaves nothing, or under a temporary name where the file system
 * cannot do that.
 */
struct batch_file {
	const char *dir;
	char *tmp;  /* dir/.NAME.tmp-XXXXXX */
	char *path; /* dir/NAME */
	int fd;
	int named; /* tmp is on the disk */
};

static int
batch_file_open(
    struct batch_file *f, const char *dir, const char *name, char **cause)
{
	f->dir = dir;
	f->tmp = xasprintf("%s/.%s.tmp-XXXXXX", dir, name);
	f->path = xasprintf("%s/%s", dir, name);
	/* 0600 either way: visits, for the recipient only */
	f->named = 0;
	/* named later through /proc: without it, a temporary name */
	if (access("/proc/self/fd", X_OK) == 0 &&
	    (f->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)) >= 0)
		return 0;
	f->named = 1;
	if ((f->fd = mkstemp(f->tmp)) < 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(f->tmp);
		free(f->path);
		f->tmp = f->path = NULL;
		return -1;
	}
	return 0;
}

static int
batch_file_write(void *arg, const void *buf, size_t len, char **cause)
{
	struct batch_file *f = arg;
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		errno = 0;
		if ((n = write(f->fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf(
			    "%s: %s", f->dir, strerror(errno ? errno : EIO));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* On the disk, and named, still under a temporary name. */
static int
batch_file_close(struct batch_file *f, char **cause)
{
	char proc[64];
	int fd = f->fd;

	if (fsync(fd) != 0) {
		*cause = xasprintf("%s: %s", f->dir, strerror(errno));
		return -1;
	}
	if (!f->named) {
		/* a temporary name for an instant, then renamed: rename
		 * replaces a file of the same name (export --again) */
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		crypt_mem_random_id(strchr(f->tmp, '\0') - 6, 6);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp,
		        AT_SYMLINK_FOLLOW) != 0) {
			*cause = xasprintf("%s: %s", f->dir, strerror(errno));
			return -1;
		}
		f->named = 1;
	}
	f->fd = -1;
	if (close(fd) != 0) {
		*cause = xasprintf("%s: %s", f->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Gone, whatever state it was in; published files stay. */
static void
batch_file_drop(struct batch_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->named)
		unlink(f->tmp);
	f->named = 0;
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
}

/*
 * A new export's files, written and on the disk but not yet named: they
 * get their names only once the database says the visits went out in
 * them.  Named first, a kill before the commit left a whole signed batch
 * that the database knew nothing of, and the next export sent its visits
 * again under the same sequence number, which the supervisor refuses.
 */
struct batch_later {
	struct batch_file *f;
	size_t n;
};

static void
batch_later_drop(struct batch_later *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		batch_file_drop(&l->f[i]);
	free(l->f);
	l->f = NULL;
	l->n = 0;
}

/* The closed files under their names: all appear or none.  *paths (caller
 * frees) gets their names. */
static int
batch_file_publish(
    struct batch_file *f, size_t n, char ***paths, size_t *npaths, char **cause)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rename(f[i].tmp, f[i].path) != 0) {
			*cause =
			    xasprintf("%s: %s", f[i].path, strerror(errno));
			while (i-- > 0)
				unlink(f[i].path);
			return -1;
		}
		f[i].named = 0;
	}
	*paths = xcalloc(n, sizeof **paths);
	for (i = 0; i < n; i++) {
		(*paths)[i] = f[i].path;
		f[i].path = NULL;
	}
	*npaths = n;
	file_sync_dir(f[0].dir);
	return 0;
}

/* Where a batch's bytes go as they are read back from the store. */
struct batch_sink {
	struct crypt_sign_prehash *ph;  /* NULL: not signed here */
	struct crypt_seal_stream *seal; /* NULL: a plain file */
	struct batch_file *file;
};

static int
batch_sink(void *arg, const void *buf, size_t len, char **cause)
{
	struct batch_sink *k = arg;

	if (k->ph != NULL)
		crypt_sign_prehash_update(k->ph, buf, len);
	if (k->seal != NULL)
		return crypt_seal_stream_write(k->seal, buf, len, cause);
	return batch_file_write(k->file, buf, len, cause);
}

/*
 * Write batch id's files into dir from its bytes in the store (len of
 * them), a part at a time: ID.jsonl and ID.jsonl.minisig, or ID.sealed
 * holding both, sealed to `to`.  With key, the signature is made here from
 * the bytes as they go by (a new batch: *sig, caller frees, and hash, the
 * signature's prehash in hex); else *sig is the one to write (again).
 * With later, the files are left on the disk without their names, in
 * later; else they are named at once, into *paths.
 */
static int
batch_write(struct store *s, const char *dir, const char *id, size_t len,
    const struct crypt_sign_key *key, const char *trusted, char **sig,
    char hash[CRYPT_SIGN_PREHASH_BYTES * 2 + 1],
    const struct crypt_seal_key *to, struct batch_later *later, char ***paths,
    size_t *npaths, char **cause)
{
	unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES];
	struct batch_file f[2] = { { NULL, NULL, NULL, -1, 0 },
		{ NULL, NULL, NULL, -1, 0 } };
	struct batch_sink k = { NULL, NULL, &f[0] };
	char *name, *untrusted;
	size_t nf = 0, i;
	int rc = -1;

	name = xasprintf(to ? "%s.sealed" : "%s.jsonl", id);
	i = (size_t)batch_file_open(&f[0], dir, name, cause);
	free(name);
	if (i != 0)
		return -1;
	nf = 1;
	if (to != NULL) {
		k.seal =
		    crypt_seal_stream_new(to, batch_file_write, &f[0], cause);
		if (k.seal == NULL)
			goto out;
		name = xasprintf("%s.jsonl", id);
		i = (size_t)crypt_seal_stream_part(k.seal, name, len, cause);
		free(name);
		if (i != 0)
			goto out;
	}
	if (key != NULL)
		k.ph = crypt_sign_prehash_new();
	if (store_batch_read(s, id, batch_sink, &k, cause) != 0)
		goto out;
	if (key != NULL) {
		crypt_sign_prehash_final(k.ph, prehash);
		k.ph = NULL;
		batch_hex(hash, prehash, sizeof prehash);
		untrusted = xasprintf("anfang batch %s", id);
		*sig = crypt_sign_minisig(key, prehash, untrusted, trusted);
		free(untrusted);
		if (*sig == NULL) {
			*cause = xstrdup(_("cannot sign the batch"));
			goto out;
		}
	}
	name = xasprintf("%s.jsonl.minisig", id);
	if (to != NULL) {
		i = (size_t)(crypt_seal_stream_part(
		                 k.seal, name, strlen(*sig), cause) != 0 ||
		             crypt_seal_stream_write(
		                 k.seal, *sig, strlen(*sig), cause) != 0);
		free(name);
		if (i != 0)
			goto out;
		i = (size_t)crypt_seal_stream_end(k.seal, cause);
		k.seal = NULL;
		if (i != 0)
			goto out;
	} else {
		i = (size_t)batch_file_open(&f[1], dir, name, cause);
		free(name);
		if (i != 0)
			goto out;
		nf = 2;
		if (batch_file_write(&f[1], *sig, strlen(*sig), cause) != 0)
			goto out;
	}
	if (later != NULL) {
		for (i = 0; i < nf; i++) {
			if (fsync(f[i].fd) != 0) {
				*cause =
				    xasprintf("%s: %s", dir, strerror(errno));
				goto out;
			}
		}
		later->f =
		    xreallocarray(later->f, later->n + nf, sizeof *later->f);
		memcpy(later->f + later->n, f, nf * sizeof *f);
		later->n += nf;
		nf = 0;
		rc = 0;
		goto out;
	}
	for (i = 0; i < nf; i++) {
		if (batch_file_close(&f[i], cause) != 0)
			goto out;
	}
	rc = batch_file_publish(f, nf, paths, npaths, cause);
out:
	if (k.ph != NULL)
		crypt_sign_prehash_final(k.ph, prehash);
	crypt_seal_stream_free(k.seal);
	for (i = 0; i < nf; i++)
		batch_file_drop(&f[i]);
	return rc;
}

/* Sent batches are stored in parts of about this size. */
#define BATCH_PART ((size_t)4 << 20)

/* The visits going out: those named, or every finalized one, read a page
 * at a time in the order of their ids (store_visit_ids). */
struct batch_src {
	char **ids;
	size_t n;
	size_t i;
	/* all finalized: a page of them, after the id last read */
	int all;
	char (*page)[VISIT_ID_LEN + 1];
	size_t npage;
	char last[VISIT_ID_LEN + 1];
	int done;
};

#define BATCH_SRC_PAGE 256

static int
batch_src_row(void *arg, const char *id)
{
	struct batch_src *src = arg;

	snprintf(src->page[src->npage++], VISIT_ID_LEN + 1, "%s", id);
	snprintf(src->last, sizeof src->last, "%s", id);
	return 0;
}

/* The next visit's id (valid until the next call): 1, 0 no more, -1. */
static int
batch_src_next(
    struct store *s, struct batch_src *src, const char **id, char **cause)
{
	if (!src->all) {
		if (src->i == src->n)
			return 0;
		*id = src->ids[src->i++];
		return 1;
	}
	if (src->i == src->npage) {
		if (src->done)
			return 0;
		if (src->page == NULL)
			src->page = xcalloc(BATCH_SRC_PAGE, sizeof *src->page);
		src->npage = src->i = 0;
		/* after the last one read: those marked exported since are
		 * before it, and no longer final anyway */
		if (store_visit_ids(s, VISIT_FINAL, src->last, BATCH_SRC_PAGE,
		        batch_src_row, src, cause) != 0)
			return -1;
		src->done = src->npage < BATCH_SRC_PAGE;
		if (src->npage == 0)
			return 0;
	}
	*id = src->page[src->i++];
	return 1;
}

/* A visit's line, ready to go in a batch (or the next one), with the head
 * of its trail that marking it exported goes after. */
struct batch_line {
	struct visit *v;
	char *line;
	size_t len; /* with its newline */
	int64_t count;
	unsigned char head[CRYPT_HASH_BYTES];
	struct batch_json_out out; /* kept from line to line */
};

static void
batch_line_free(struct batch_line *l)
{
	visit_free(l->v);
	l->v = NULL;
	l->line = NULL;
}

static void
batch_line_entry(void *arg, int64_t at, const char *event, const char *detail)
{
	batch_json_line_entry(arg, at, event, detail);
}

/* The line the slow way, from the visit and its whole chain: a visit that
 * was received, or a text that is not UTF-8. */
static int
batch_line_chain(struct store *s, struct batch_line *l, char **cause)
{
	unsigned char head[CRYPT_HASH_BYTES];
	struct audit_chain chain;
	int64_t count;
	char *line;

	if (load_chain(s, l->v->id, &chain, head, &count, cause) != 0)
		return -1;
	line = batch_json_visit_line(l->v, &chain);
	audit_chain_free(&chain);
	free(l->out.p);
	l->out.p = line;
	l->out.len = strlen(line);
	l->out.cap = l->out.len + 1;
	return 0;
}

static int
batch_line(struct store *s, const char *id, struct batch_line *l, char **cause)
{
	unsigned char last[CRYPT_HASH_BYTES];
	char *rline;
	size_t rlen;
	int rc;

	l->line = NULL;
	if (load_visit(s, id, &l->v, cause) != 0)
		return -1;
	if (l->v->status != VISIT_FINAL) {
		*cause = xasprintf(_("%s is %s: only finalized visits not yet "
		                     "exported go in a batch"),
		    l->v->id, visit_status_label(l->v->status));
		batch_line_free(l);
		return -1;
	}
	/* The line is written as the trail is read; its head is where the
	 * "exported" entry goes. */
	batch_json_line_begin(&l->out, l->v);
	if (store_audit_walk(s, l->v->id, batch_line_entry, &l->out, last,
	        &l->count, l->head, cause) != 0 ||
	    (rc = store_received_line(s, l->v->id, &rline, &rlen, cause)) < 0) {
		batch_line_free(l);
		return -1;
	}
	if (rc > 0)
		free(rline);
	if ((batch_json_line_end(&l->out, last) != 0 || rc > 0) &&
	    batch_line_chain(s, l, cause) != 0) {
		batch_line_free(l);
		return -1;
	}
	l->line = l->out.p;
	l->len = l->out.len + 1;
	return 0;
}

/* A batch as it is made: its visit lines go to the store as they come,
 * so that memory holds one part of them. */
struct batch_out {
	const char *id;
	struct batch_buf part; /* lines not yet stored */
	long long nparts;      /* stored; the head is part 0, before them */
	size_t body_len;       /* the visit lines' bytes */
	size_t head_len;       /* the header and form lines, at most */
	struct form **forms;   /* each form used, once */
	size_t nforms;
	size_t nids;
};

/* The length of f's form line when the batch does not have it yet. */
static size_t
batch_out_form_len(const struct batch_out *o, const struct form *f)
{
	size_t k, len;
	char *line;

	for (k = 0; k < o->nforms; k++) {
		if (strcmp(o->forms[k]->hash, f->hash) == 0)
			return 0;
	}
	line = batch_json_form_line(f);
	len = strlen(line) + 1;
	free(line);
	return len;
}

static void
batch_out_form(struct batch_out *o, struct form *f)
{
	size_t k;

	for (k = 0; k < o->nforms; k++) {
		if (strcmp(o->forms[k]->hash, f->hash) == 0)
			return;
	}
	o->forms = xreallocarray(o->forms, o->nforms + 1, sizeof *o->forms);
	o->forms[o->nforms++] = form_ref(f);
}

static void
batch_out_free(struct batch_out *o)
{
	while (o->nforms > 0)
		form_free(o->forms[--o->nforms]);
	free(o->forms);
	free(o->part.p);
	memset(o, 0, sizeof *o);
}

static int
batch_out_flush(struct store *s, struct batch_out *o, char **cause)
{
	if (o->part.len == 0)
		return 0;
	if (store_batch_part(
	        s, o->id, ++o->nparts, o->part.p, o->part.len, cause) != 0)
		return -1;
	o->part.len = 0;
	return 0;
}

/*
 * Fill batch o with visit lines, from *l (a line left over from the batch
 * before, or none) and then from src, marking each visit exported.  Stops
 * before the visit that would take the file past max bytes, leaving its
 * line in *l for the next batch; *last says src is done.
 * BATCH_EXPORT_EDATA when a visit alone is too large.
 */
static int
batch_lines(struct store *s, struct batch_src *src, size_t max,
    struct batch_out *o, struct batch_line *l, int64_t now, int *last,
    char **cause)
{
	const char *vid;
	size_t flen;
	int k;

	o->head_len = BATCH_HEADER_MAX;
	*last = 0;
	for (;;) {
		if (l->line == NULL) {
			if ((k = batch_src_next(s, src, &vid, cause)) < 0)
				return -1;
			if (k == 0) {
				*last = 1;
				break;
			}
			if (batch_line(s, vid, l, cause) != 0)
				return -1;
		}
		flen = batch_out_form_len(o, l->v->form);
		if (o->head_len + flen + o->body_len + l->len > max) {
			if (o->nids > 0)
				break;
			*cause = xasprintf(_("visit %s alone makes a batch of "
			                     "%zu bytes, over the %zu a batch "
			                     "may have"),
			    l->v->id, o->head_len + flen + l->len, max);
			return BATCH_EXPORT_EDATA;
		}
		if (store_batch_mark_after(
		        s, l->v->id, o->id, now, l->count, l->head, cause) != 0)
			return -1;
		batch_buf_add(&o->part, l->line, l->len - 1);
		o->body_len += l->len;
		o->head_len += flen;
		batch_out_form(o, l->v->form);
		o->nids++;
		batch_line_free(l);
		if (o->part.len >= BATCH_PART && batch_out_flush(s, o, cause))
			return -1;
	}
	return batch_out_flush(s, o, cause);
}

/* The header and the form lines: part 0, before the visit lines. */
static int
batch_head(struct store *s, struct batch_out *o, long long seq, int64_t now,
    const char *signer, size_t *len, char **cause)
{
	struct batch_buf head = { NULL, 0, 0 };
	char *line;
	size_t k;
	int rc;

	line = batch_json_header(o->id, signer, seq, now, o->nids, o->nforms);
	batch_buf_add(&head, line, strlen(line));
	free(line);
	for (k = 0; k < o->nforms; k++) {
		line = batch_json_form_line(o->forms[k]);
		batch_buf_add(&head, line, strlen(line));
		free(line);
	}
	*len = head.len + o->body_len;
	rc = store_batch_part(s, o->id, 0, head.p, head.len, cause);
	free(head.p);
	return rc;
}

int
batch_out_dir(const char *dir, char **cause)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		*cause = xasprintf(_("%s: not a directory"), dir);
		return -1;
	}
	if (errno != ENOENT || mkdir(dir, 0700) != 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
batch_export(struct store *s, const char *dir, char **ids, size_t n,
    const struct crypt_seal_key *to, char ***paths, size_t *npaths,
    char **cause)
{
	struct batch_src src;
	struct batch_line l;
	struct batch_out o;
	struct crypt_sign_key key;
	struct batch_later later = { NULL, 0 };
	char id[VISIT_ID_LEN + 1], signer[17];
	char hash[CRYPT_SIGN_PREHASH_BYTES * 2 + 1];
	char *sig = NULL, *trusted, *sent = NULL, *why;
	const char *first;
	int64_t now = clock_now();
	long long seq;
	size_t i, len;
	int rc = -1, k, last = 0;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	memset(&src, 0, sizeof src);
	memset(&key, 0, sizeof key);
	*paths = NULL;
	*npaths = 0;
	src.ids = ids;
	src.n = n;
	src.all = n == 0;
	store_bulk(s, 1);
	/* One transaction from the first read: the visits written are the
	 * ones marked, and reading takes no lock per statement.  It commits
	 * only once the files are whole on the disk, and they take their
	 * names after it (struct batch_later): a failure before leaves the
	 * visits unexported, and no batch.  Visits that would make a batch
	 * larger than import takes go on in the next batch, with the next
	 * sequence number. */
	if (store_begin(s, cause) != 0)
		goto out;
	if ((k = batch_src_next(s, &src, &first, cause)) <= 0) {
		store_rollback(s);
		rc = k == 0 ? 1 : -1;
		goto out;
	}
	if (batch_line(s, first, &l, cause) != 0)
		goto rollback;
	if ((k = store_key_get_sign(s, &key, 1, cause)) != 1) {
		if (k == 0)
			*cause = xstrdup(_("this database has no signing key"));
		goto rollback;
	}
	crypt_sign_keyid_hex(signer, key.keyid);
	while (!last) {
		batch_out_free(&o);
		free(sig);
		sig = NULL;
		if (store_batch_next(s, &seq, cause) != 0)
			goto rollback;
		crypt_mem_random_id(id, VISIT_ID_LEN);
		o.id = id;
		if (store_batch_begin(s, id, seq, now, cause) != 0)
			goto rollback;
		if ((k = batch_lines(s, &src, batch_max_written(), &o, &l, now,
		         &last, cause)) != 0) {
			rc = k == BATCH_EXPORT_EDATA ? k : -1;
			goto rollback;
		}
		if (batch_head(s, &o, seq, now, signer, &len, cause) != 0)
			goto rollback;
		trusted = batch_trusted(id, seq, (long long)o.nids);
		k = batch_write(s, dir, id, len, &key, trusted, &sig, hash, to,
		    &later, NULL, NULL, cause);
		free(trusted);
		if (k != 0)
			goto rollback;
		if (store_batch_done(s, id, o.nids, hash, sig, cause) != 0)
			goto rollback;
		why = sent;
		sent = xasprintf("%s%s%s", why ? why : "", why ? " " : "", id);
		free(why);
	}
	if (store_commit(s, cause) != 0)
		goto drop;
	for (i = 0; i < later.n; i++) {
		if (batch_file_close(&later.f[i], cause) != 0)
			break;
	}
	if (i < later.n ||
	    batch_file_publish(later.f, later.n, paths, npaths, cause) != 0) {
		/* Sent, for the database: the same bytes can be written
		 * again from it. */
		why = *cause;
		*cause = xasprintf(_("%s; the visits are marked exported: "
		                     "write the batch again with anfang export "
		                     "--again BATCH (%s)"),
		    why, sent);
		free(why);
		goto drop;
	}
	rc = 0;
	goto drop;
rollback:
	store_rollback(s);
drop:
	batch_later_drop(&later);
out:
	batch_line_free(&l);
	free(l.out.p);
	batch_out_free(&o);
	free(sig);
	free(src.page);
	crypt_sign_key_free(&key);
	free(sent);
	store_bulk(s, 0);
	return rc;
}

int
batch_export_again(struct store *s, const char *id, const char *dir,
    const struct crypt_seal_key *to, char ***paths, size_t *npaths,
    char **cause)
{
	char *sig;
	size_t len;
	int rc;

	if ((rc = store_batch_get(s, id, &len, &sig, cause)) != 1) {
		if (rc == 0)
			*cause = xasprintf(_("no batch %s was sent from this "
			                     "database"),
			    id);
		return -1;
	}
	rc = batch_write(s, dir, id, len, NULL, NULL, &sig, NULL, to, NULL,
	    paths, npaths, cause);
	free(sig);
	return rc;
}

/* Reading and checking. */

static void batch_fail(struct batch_verdict *v, enum batch_fail f,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
batch_fail(struct batch_verdict *v, enum batch_fail f, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n < 0 ? 1 : (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, n < 0 ? 1 : (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(v->message);
	v->message = msg;
	v->fail = f;
}

static char *
batch_read(const char *path, size_t max, size_t *len, char **cause)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		*cause = xasprintf("%s: %s", path,
		    S_ISREG(st.st_mode) ? _("too large")
		                        : _("not a regular file"));
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		if ((n = read(fd, buf + got, (size_t)st.st_size - got)) < 0 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* Map a whole regular file read-only (an empty one too). */
static char *
batch_map(const char *path, size_t *len, char **cause)
{
	struct stat st;
	void *p;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang us before fstat refuses it */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > batch_max_bytes()) {
		*cause = xasprintf("%s: %s", path,
		    S_ISREG(st.st_mode) ? _("too large")
		                        : _("not a regular file"));
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	p = mmap(NULL, *len ? *len : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	return p;
}

/* Open a sealed batch with this database's box key. */
static int
batch_unseal(const char *path, const char *buf, size_t len, struct store *s,
    char **text, size_t *tlen, char **sig, struct batch_verdict *v)
{
	unsigned char kid[CRYPT_SEAL_KEYID_BYTES];
	struct crypt_seal_part *parts = NULL;
	struct crypt_seal_key me;
	enum crypt_seal_result r;
	char hex[17], *cause = NULL;
	size_t n = 0, i;

	if (s == NULL) {
		batch_fail(v, BATCH_ESEALED,
		    _("%s is sealed: only the recipient's database opens it"),
		    path);
		return -1;
	}
	if (store_key_get_box(s, &me, 0, &cause) != 0) {
		batch_fail(
		    v, BATCH_ESEALED, _("%s is sealed and %s"), path, cause);
		free(cause);
		return -1;
	}
	r = crypt_seal_open(&me, buf, len, &parts, &n);
	crypt_seal_key_free(&me);
	if (r == CRYPT_SEAL_ERECIPIENT) {
		crypt_seal_recipient(buf, len, kid);
		crypt_seal_keyid_hex(hex, kid);
		batch_fail(v, BATCH_ESEALED,
		    _("sealed for another recipient (box key %s)"), hex);
		return -1;
	}
	if (r != CRYPT_SEAL_OK) {
		batch_fail(v, BATCH_ESEALED, _("the sealed file is %s"),
		    r == CRYPT_SEAL_ETRUNCATED ? _("truncated")
		                               : _("damaged or changed"));
		return -1;
	}
	*text = *sig = NULL;
	for (i = 0; i < n; i++) {
		size_t nl = strlen(parts[i].name);

		if (nl > 8 && strcmp(parts[i].name + nl - 8, ".minisig") == 0 &&
		    *sig == NULL) {
			*sig = xmalloc(parts[i].len + 1);
			memcpy(*sig, parts[i].data, parts[i].len);
			(*sig)[parts[i].len] = '\0';
		} else if (nl > 6 &&
		           strcmp(parts[i].name + nl - 6, ".jsonl") == 0 &&
		           *text == NULL) {
			*text = xmalloc(parts[i].len + 1);
			memcpy(*text, parts[i].data, parts[i].len);
			(*text)[parts[i].len] = '\0';
			*tlen = parts[i].len;
		}
	}
	crypt_seal_parts_free(parts, n);
	if (*text == NULL || *sig == NULL) {
		free(*text);
		free(*sig);
		batch_fail(v, BATCH_EFORMAT,
		    _("the sealed file does not hold a batch and its "
		      "signature"));
		return -1;
	}
	return 0;
}

static void
batch_hex(char *out, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;

	for (k = 0; k < n; k++) {
		out[2 * k] = hex[p[k] >> 4];
		out[2 * k + 1] = hex[p[k] & 15];
	}
	out[2 * n] = '\0';
}

/* The signature, against the given key or the keyring. */
static int
batch_check_signature(struct batch *b, const char *sig, size_t siglen,
    struct store *s, const struct crypt_sign_key *given,
    struct batch_verdict *v)
{
	unsigned char kid[CRYPT_SIGN_KEYID_BYTES];
	unsigned char prehash[CRYPT_SIGN_PREHASH_BYTES];
	struct crypt_sign_prehash *ph;
	struct crypt_sign_key pub;
	char *trusted = NULL, *cause = NULL, given_hex[17];
	enum crypt_sign_result r;
	int rc;

	if (crypt_sign_minisig_keyid(sig, siglen, kid) != 0) {
		batch_fail(v, BATCH_ESIGNATURE,
		    _("the signature file is not a minisign signature"));
		return -1;
	}
	crypt_sign_keyid_hex(b->signer, kid);
	memcpy(v->signer, b->signer, sizeof v->signer);
	memset(&pub, 0, sizeof pub);
	if (given != NULL) {
		crypt_sign_keyid_hex(given_hex, given->keyid);
		if (memcmp(given->keyid, kid, sizeof kid) != 0) {
			batch_fail(v, BATCH_ESIGNER,
			    _("signed by key %s, not by the given key %s"),
			    b->signer, given_hex);
			return -1;
		}
		pub = *given;
		pub.sk = NULL;
	} else {
		memcpy(pub.keyid, kid, sizeof kid);
		rc = store_keyring_get(s, b->signer, pub.pk, &b->label, &cause);
		if (rc != 1) {
			batch_fail(v, rc == 0 ? BATCH_ESIGNER : BATCH_EREAD,
			    rc == 0 ? _("unknown signer %s: not in the keyring")
			            : _("keyring: %s"),
			    rc == 0 ? b->signer : cause);
			free(cause);
			return -1;
		}
		v->label = xstrdup(b->label);
	}
	ph = crypt_sign_prehash_new();
	crypt_sign_prehash_update(ph, b->text, b->len);
	crypt_sign_prehash_final(ph, prehash);
	batch_hex(b->hash, prehash, sizeof prehash);
	r = crypt_sign_verify(&pub, prehash, sig, siglen, &trusted);
	if (r != CRYPT_SIGN_OK) {
		batch_fail(v,
		    r == CRYPT_SIGN_ETRUSTED ? BATCH_ETRUSTED
		                             : BATCH_ESIGNATURE,
		    r == CRYPT_SIGN_ETRUSTED
		        ? _("the trusted comment is not the one signed")
		    : r == CRYPT_SIGN_ESIG
		        ? _("the file does not match its signature (changed?)")
		        : _("the signature file is malformed"));
		return -1;
	}
	v->message = trusted; /* kept for the header check */
	return 0;
}

static struct form *
batch_form_of(void *arg, const char *hash)
{
	struct batch *b = arg;
	size_t i;

	for (i = 0; i < b->nforms; i++) {
		if (strcmp(b->forms[i]->hash, hash) == 0)
			return b->forms[i];
	}
	return NULL;
}

/* The end of the line starting at off. */
static size_t
batch_eol(const struct batch *b, size_t off)
{
	const char *nl = memchr(b->text + off, '\n', b->len - off);

	return nl ? (size_t)(nl - b->text) : b->len;
}

/* The header and the forms; the visits only by their shape here. */
static int
batch_check_content(
    struct batch *b, const char *trusted, struct batch_verdict *v)
{
	struct diag_list diags = { 0 };
	char hash[CRYPT_HASH_HEX], *want, *id, *signer, *text, *fhash, *fid;
	size_t off = 0, end, k, textlen;
	long long nforms;

	end = batch_eol(b, 0);
	if (batch_json_header_parse(b->text, end, &b->version, &id, &signer,
	        &b->sequence, &b->nvisits, &nforms) != 0) {
		batch_fail(v, BATCH_EFORMAT,
		    _("line 1: not an anfang batch "
		      "header (format 1 or 2)"));
		return -1;
	}
	/* The id names files and is printed: its own alphabet only. */
	if (!crypt_mem_id_valid(id, VISIT_ID_LEN)) {
		batch_fail(v, BATCH_EFORMAT,
		    _("line 1: a batch id is %d of the characters "
		      "23456789abcdefghjkmnpqrstuvwxyz"),
		    VISIT_ID_LEN);
		free(id);
		free(signer);
		return -1;
	}
	b->id = id;
	v->id = xstrdup(id);
	v->sequence = b->sequence;
	v->visits = b->nvisits;
	if (strcmp(signer, b->signer) != 0) {
		batch_fail(v, BATCH_EFORMAT,
		    _("the header names signer %s but key %s signed it"),
		    signer, b->signer);
		free(signer);
		return -1;
	}
	free(signer);
	want = batch_trusted(b->id, b->sequence, b->nvisits);
	if (strcmp(want, trusted) != 0) {
		batch_fail(v, BATCH_ETRUSTED,
		    _("the trusted comment (\"%s\") does not match the header"),
		    trusted);
		free(want);
		return -1;
	}
	free(want);
	if (nforms < 0 || b->nvisits < 0 || nforms > 10000) {
		batch_fail(v, BATCH_EFORMAT, _("line 1: bad counts"));
		return -1;
	}
	for (k = 0; k < (size_t)nforms; k++) {
		off = end + 1;
		if (off >= b->len) {
			batch_fail(v, BATCH_EFORMAT, _("the batch ends early"));
			return -1;
		}
		end = batch_eol(b, off);
		if (batch_json_form_parse(b->text + off, end - off, &text,
		        &textlen, &fhash, &fid) != 0) {
			batch_fail(
			    v, BATCH_EFORMAT, _("line %zu: not a form"), k + 2);
			return -1;
		}
		crypt_hash_hex(hash, text, textlen);
		if (strcmp(hash, fhash) != 0) {
			batch_fail(v, BATCH_EFORM,
			    _("line %zu: form %s's text does not match its "
			      "hash"),
			    k + 2, fid);
			free(text);
			free(fhash);
			free(fid);
			return -1;
		}
		free(fhash);
		free(fid);
		b->forms =
		    xreallocarray(b->forms, b->nforms + 1, sizeof *b->forms);
		b->forms[b->nforms] =
		    form_load_mem("batch form", NULL, text, textlen, &diags);
		free(text);
		if (b->forms[b->nforms] == NULL) {
			batch_fail(v, BATCH_EFORM,
			    _("line %zu: the form does "
			      "not load here: %s"),
			    k + 2, diags.n ? diags.v[0].msg : "?");
			diag_clear(&diags);
			return -1;
		}
		b->nforms++;
	}
	b->visits_at = end + 1;
	return 0;
}

/*
 * The visit lines: as many as the header counts, each a visit object.
 * Their content is read in full, and each audit trail checked, by the
 * import, which refuses the whole batch if any is bad; verify stays about
 * as fast as hashing the file.
 */
static int
batch_check_visits(struct batch *b, struct batch_verdict *v)
{
	static const char start[] = "{\"visit\":\"";
	size_t off = b->visits_at, end, line = 2 + b->nforms;
	long long n = 0;

	while (off < b->len) {
		end = batch_eol(b, off);
		if (n == b->nvisits) {
			batch_fail(v, BATCH_EFORMAT,
			    _("line %zu: more lines than the %lld visits the "
			      "header counts"),
			    line, b->nvisits);
			return -1;
		}
		if (end - off < sizeof start ||
		    memcmp(b->text + off, start, sizeof start - 1) != 0 ||
		    b->text[end - 1] != '}') {
			batch_fail(
			    v, BATCH_EFORMAT, _("line %zu: not a visit"), line);
			return -1;
		}
		n++;
		line++;
		off = end + 1;
	}
	if (n != b->nvisits) {
		batch_fail(v, BATCH_EFORMAT,
		    _("%lld visit lines, but the header counts %lld"), n,
		    b->nvisits);
		return -1;
	}
	if (b->len > 0 && b->text[b->len - 1] != '\n') {
		batch_fail(v, BATCH_EFORMAT, _("the last line is cut short"));
		return -1;
	}
	return 0;
}

int
batch_sequence(struct batch *b, struct store *s, const struct batch_run *run,
    struct batch_verdict *v)
{
	long long last = 0;
	char *cause = NULL;
	size_t i;
	int has;

	if ((has = store_received_has(s, b->id, &cause)) != 0) {
		batch_fail(v, has < 0 ? BATCH_EREAD : BATCH_EDUPLICATE,
		    has < 0 ? "%s" : _("batch %s was received before"),
		    has < 0 ? cause : b->id);
		free(cause);
		return -1;
	}
	if (store_received_last(s, b->signer, &last, &cause) != 0) {
		batch_fail(v, BATCH_EREAD, "%s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; run != NULL && i < run->n; i++) {
		if (strcmp(run->v[i].signer, b->signer) == 0 &&
		    run->v[i].last > last)
			last = run->v[i].last;
	}
	if (b->sequence <= last) {
		batch_fail(v, BATCH_ESEQUENCE,
		    _("replay: sequence %lld, but %lld from this signer is "
		      "already in"),
		    b->sequence, last);
		return -1;
	}
	if (b->sequence > last + 1) {
		batch_fail(v, BATCH_ESEQUENCE,
		    b->sequence == last + 2
		        ? _("gap: batch %lld of this signer "
		            "is missing")
		        : _("gap: batches %lld to %lld of "
		            "this signer are missing"),
		    last + 1, b->sequence - 1);
		return -1;
	}
	return 0;
}

void
batch_run_take(struct batch_run *run, const struct batch_verdict *v)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		if (strcmp(run->v[i].signer, v->signer) == 0)
			break;
	}
	if (i == run->n) {
		run->v = xreallocarray(run->v, run->n + 1, sizeof *run->v);
		memcpy(run->v[run->n++].signer, v->signer, 17);
		run->v[i].last = 0;
	}
	if (v->sequence > run->v[i].last)
		run->v[i].last = v->sequence;
}

static int
batch_order_cmp(const void *a, const void *b)
{
	const struct batch_verdict *x = *(const struct batch_verdict *const *)a;
	const struct batch_verdict *y = *(const struct batch_verdict *const *)b;
	int c;

	if ((x->fail != BATCH_OK) != (y->fail != BATCH_OK))
		return x->fail != BATCH_OK ? -1 : 1;
	if (x->fail == BATCH_OK) {
		if ((c = strcmp(x->signer, y->signer)) != 0)
			return c;
		if (x->sequence != y->sequence)
			return x->sequence < y->sequence ? -1 : 1;
	}
	/* as given (qsort is not stable): the verdicts are one array */
	return x < y ? -1 : x > y;
}

void
batch_order(const struct batch_verdict *v, size_t n, size_t *order)
{
	const struct batch_verdict **p = xcalloc(n ? n : 1, sizeof *p);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof *p, batch_order_cmp);
	for (i = 0; i < n; i++)
		order[i] = (size_t)(p[i] - v);
	free(p);
}

/*
 * A mapped file that shrinks under us (a USB stick pulled out) raises
 * SIGBUS on the next read of a lost page: the reads of a batch run under
 * this guard, which turns that into an error instead of a crash.
 */
#define BATCH_GUARD_BUS 2

/* Per thread: the import reads the file in a second thread too. */
static _Thread_local sigjmp_buf batch_bus_jmp;
static _Thread_local volatile sig_atomic_t batch_bus_armed;

static void
batch_on_bus(int sig)
{
	if (batch_bus_armed)
		siglongjmp(batch_bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
batch_on_bus_install(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = batch_on_bus;
	sigaction(SIGBUS, &sa, old);
}

/* fn(arg): its result, or BATCH_GUARD_BUS when the file went away. */
static int
batch_guard(int (*fn)(void *), void *arg)
{
	struct sigaction old;
	int rc;

	batch_on_bus_install(&old);
	if (sigsetjmp(batch_bus_jmp, 1) != 0)
		rc = BATCH_GUARD_BUS; /* what was being built is lost */
	else {
		batch_bus_armed = 1;
		rc = fn(arg);
	}
	batch_bus_armed = 0;
	sigaction(SIGBUS, &old, NULL);
	return rc;
}

struct batch_checks {
	struct batch *b;
	const char *sig;
	size_t siglen;
	struct store *s;
	const struct crypt_sign_key *key;
	const struct batch_run *run;
	struct batch_verdict *v;
};

/* Everything that reads the batch's text, in order; 0 or -1. */
static int
batch_checks(void *arg)
{
	struct batch_checks *c = arg;
	char *trusted;
	int rc;

	if (batch_check_signature(
	        c->b, c->sig, c->siglen, c->s, c->key, c->v) != 0)
		return -1;
	trusted = c->v->message;
	c->v->message = NULL;
	rc = batch_check_content(c->b, trusted, c->v);
	free(trusted);
	if (rc != 0 || batch_check_visits(c->b, c->v) != 0)
		return -1;
	if (c->key == NULL && c->run != NULL &&
	    batch_sequence(c->b, c->s, c->run, c->v) != 0)
		return -1;
	return 0;
}

struct batch *
batch_verify(const char *path, struct store *s,
    const struct crypt_sign_key *key, const struct batch_run *run,
    struct batch_verdict *v)
{
	struct batch *b = xcalloc(1, sizeof *b);
	char *buf, *sig = NULL, *sigpath, *cause = NULL, *jpath;
	size_t len, siglen = 0, pl = strlen(path);
	struct batch_checks ck;
	int rc;

	memset(v, 0, sizeof *v);
	/* Either file of a pair names the batch. */
	jpath = pl > 8 && strcmp(path + pl - 8, ".minisig") == 0
	            ? xstrndup(path, pl - 8)
	            : xstrdup(path);
	if ((buf = batch_map(jpath, &len, &cause)) == NULL) {
		batch_fail(v, BATCH_EREAD, "%s", cause);
		goto fail;
	}
	if (crypt_seal_is_sealed(buf, len)) {
		rc = batch_unseal(
		    jpath, buf, len, s, &b->text, &b->len, &sig, v);
		munmap(buf, len ? len : 1);
		if (rc != 0)
			goto fail;
		siglen = strlen(sig);
	} else {
		/* Mapped, not read: verifying costs about what hashing does. */
		b->text = buf;
		b->len = len;
		b->mapped = 1;
		sigpath = xasprintf("%s.minisig", jpath);
		sig = batch_read(sigpath, BATCH_MAX_SIG, &siglen, &cause);
		free(sigpath);
		if (sig == NULL) {
			batch_fail(
			    v, BATCH_ESIGNATURE, _("no signature: %s"), cause);
			goto fail;
		}
	}
	if (b->len == 0) {
		batch_fail(v, BATCH_EFORMAT, _("%s is empty"), jpath);
		goto fail;
	}
	ck.b = b;
	ck.sig = sig;
	ck.siglen = siglen;
	ck.s = s;
	ck.key = key;
	ck.run = run;
	ck.v = v;
	if ((rc = batch_guard(batch_checks, &ck)) != 0) {
		if (rc == BATCH_GUARD_BUS)
			batch_fail(v, BATCH_EREAD,
			    _("%s changed while it was read (removed? pulled "
			      "out?)"),
			    jpath);
		goto fail;
	}
	free(sig);
	free(cause);
	free(jpath);
	v->fail = BATCH_OK;
	return b;
fail:
	free(sig);
	free(cause);
	free(jpath);
	batch_free(b);
	return NULL;
}

/*
 * Import runs in several threads: readers parse the visit lines and check
 * each trail, reader k of n taking every nth line from the kth, and the
 * caller's thread stores them in the file's order, taking line i from
 * reader i mod n's short queue.  Each stops at its first fault; the fault
 * of the earliest line is the one reported.
 */
#define BATCH_QUEUE   64
#define BATCH_READERS 8

struct batch_item {
	struct visit *vis; /* NULL with why: the line's fault */
	int io;            /* ... or the file's: it went away */
	struct audit_chain chain;
	char *text; /* a copy of the line: the writer never reads the file */
	size_t len, line;
	char *why;
};

/* One reader's queue, and what it reads. */
struct batch_queue {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct batch_item v[BATCH_QUEUE];
	size_t first, n;
	/* Items the writer has stored, for the reader to free: what a thread
	 * allocated goes back to its own arena, from that thread, and the
	 * writer does not wait on the reader's arena lock to free it. */
	struct batch_item used[BATCH_QUEUE];
	size_t nused;
	int done; /* the reader put its last item */
	int stop; /* the writer wants no more */
	struct batch *b;
	size_t k, nreaders;
	pthread_t thread;
};

static void
batch_item_free(struct batch_item *it)
{
	visit_free(it->vis);
	audit_chain_free(&it->chain);
	free(it->text);
	free(it->why);
	memset(it, 0, sizeof *it);
}

/* Free the items the writer has stored: the reader's, outside the lock. */
static void
batch_queue_free_used(struct batch_queue *q)
{
	struct batch_item used[BATCH_QUEUE];
	size_t n, k;

	pthread_mutex_lock(&q->mu);
	n = q->nused;
	memcpy(used, q->used, n * sizeof *used);
	q->nused = 0;
	pthread_mutex_unlock(&q->mu);
	for (k = 0; k < n; k++)
		batch_item_free(&used[k]);
}

/* Queue an item, waiting for room; 0 if the writer has stopped. */
static int
batch_queue_put(struct batch_queue *q, struct batch_item *it)
{
	int stopped;

	batch_queue_free_used(q);
	pthread_mutex_lock(&q->mu);
	while (q->n == BATCH_QUEUE && !q->stop)
		pthread_cond_wait(&q->room, &q->mu);
	if (!(stopped = q->stop)) {
		q->v[(q->first + q->n++) % BATCH_QUEUE] = *it;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->mu);
	if (stopped)
		batch_item_free(it);
	return !stopped;
}

/* Hand a stored item back to its reader; freed here when its list is full
 * (the reader has stopped putting). */
static void
batch_queue_used(struct batch_queue *q, struct batch_item *it)
{
	int kept;

	pthread_mutex_lock(&q->mu);
	if ((kept = q->nused < BATCH_QUEUE))
		q->used[q->nused++] = *it;
	pthread_mutex_unlock(&q->mu);
	if (!kept)
		batch_item_free(it);
	memset(it, 0, sizeof *it);
}

/* The next item, waiting for one; 0 when the reader has finished. */
static int
batch_queue_get(struct batch_queue *q, struct batch_item *it)
{
	int got = 0;

	pthread_mutex_lock(&q->mu);
	while (q->n == 0 && !q->done)
		pthread_cond_wait(&q->more, &q->mu);
	if (q->n > 0) {
		*it = q->v[q->first];
		q->first = (q->first + 1) % BATCH_QUEUE;
		q->n--;
		got = 1;
		pthread_cond_signal(&q->room);
	}
	pthread_mutex_unlock(&q->mu);
	return got;
}

static void
batch_queue_finish(struct batch_queue *q, int stop)
{
	pthread_mutex_lock(&q->mu);
	if (stop)
		q->stop = 1;
	else
		q->done = 1;
	pthread_cond_broadcast(stop ? &q->room : &q->more);
	pthread_mutex_unlock(&q->mu);
}

/* Parse and check this reader's visit lines, in order, until one is bad. */
static void
batch_read_lines(struct batch_queue *q)
{
	struct batch *b = q->b;
	struct batch_item it;
	size_t off = b->visits_at, end, i = 0;
	char *why = NULL;

	for (; off < b->len; off = end + 1, i++) {
		end = batch_eol(b, off);
		if (i % q->nreaders != q->k)
			continue;
		memset(&it, 0, sizeof it);
		it.line = 2 + b->nforms + i;
		it.vis = batch_json_visit_parse(b->text + off, end - off,
		    b->version, batch_form_of, b, &it.chain, &why);
		if (it.vis == NULL)
			it.why = xasprintf(_("line %zu: %s"), it.line, why);
		else if (batch_check_visit(it.vis, &it.chain, &why) != 0) {
			it.why = xasprintf(_("line %zu: %s"), it.line, why);
			visit_free(it.vis);
			it.vis = NULL;
		} else {
			it.len = end - off;
			it.text = xmalloc(it.len);
			memcpy(it.text, b->text + off, it.len);
		}
		free(why);
		why = NULL;
		if (!batch_queue_put(q, &it) || it.why != NULL)
			return;
	}
}

static void *
batch_reader(void *arg)
{
	struct batch_queue *q = arg;
	struct batch_item it;

	if (sigsetjmp(batch_bus_jmp, 1) != 0) {
		batch_bus_armed = 0;
		memset(&it, 0, sizeof it);
		it.io = 1;
		it.why = xstrdup(_("the batch file changed while it was read "
		                   "(removed? pulled out?): nothing imported"));
		batch_queue_put(q, &it);
	} else {
		batch_bus_armed = 1;
		batch_read_lines(q);
		batch_bus_armed = 0;
	}
	batch_queue_finish(q, 0);
	return NULL;
}

/*
 * Whether a received visit's new copy extends the one stored: its trail
 * is the stored one (the trail it came with; the entries added here are
 * "received") and more.  1 when it does, 0 when not, -1 with *cause.
 */
static int
batch_extends(struct store *s, const struct batch_item *it, char **cause)
{
	unsigned char head[CRYPT_HASH_BYTES];
	struct audit_chain old;
	int64_t count;
	size_t k;
	int ok;

	if (load_chain(s, it->vis->id, &old, head, &count, cause) != 0)
		return -1;
	for (k = old.n; k > 0 && strcmp(old.v[k - 1].event, "received") == 0;)
		k--;
	/* Both chains hold together: one hash in common is a common past. */
	ok = k > 0 && it->chain.n > k &&
	     memcmp(it->chain.v[k - 1].hash, old.v[k - 1].hash,
	         CRYPT_HASH_BYTES) == 0;
	audit_chain_free(&old);
	return ok;
}

/*
 * Where a visit goes: 0 new, 1 in place of its copy received before (the
 * same signer's, amended since: its trail goes on from the stored one),
 * or BATCH_IMPORT_EDATA / BATCH_IMPORT_EIO with *cause.  A visit belongs
 * to the signer that sent it first: another signer's copy is refused,
 * naming both keys.
 */
static int
batch_place(struct store *s, const struct batch *b, const struct batch_item *it,
    char **cause)
{
	const char *id = it->vis->id;
	char owner[17];
	int rc;

	if ((rc = store_visit_signer(s, id, owner, cause)) <= 0)
		return rc == 0 ? 0 : BATCH_IMPORT_EIO;
	if (owner[0] == '\0') {
		*cause = xasprintf(_("line %zu: visit %s is one of this "
		                     "database's own"),
		    it->line, id);
		return BATCH_IMPORT_EDATA;
	}
	if (strcmp(owner, "?") != 0 && strcmp(owner, b->signer) != 0) {
		*cause = xasprintf(_("line %zu: visit %s came from signer %s: "
		                     "signer %s cannot send it"),
		    it->line, id, owner, b->signer);
		return BATCH_IMPORT_EDATA;
	}
	if (strcmp(owner, "?") != 0 &&
	    (rc = batch_extends(s, it, cause)) != 0) {
		if (rc < 0)
			return BATCH_IMPORT_EIO;
		return store_visit_unreceive(s, id, cause) == 0
		           ? 1
		           : BATCH_IMPORT_EIO;
	}
	*cause = xasprintf(_("line %zu: visit %s is in this database already "
	                     "(or twice in the batch), and this copy does not "
	                     "go on from its audit trail"),
	    it->line, id);
	return BATCH_IMPORT_EDATA;
}

/* Store the readers' visits, in the file's order, as they come. */
static int
batch_write_visits(struct batch_queue *q, size_t n, struct store *s,
    const char *origin, int64_t now, size_t *imported, char **cause)
{
	struct batch *b = q[0].b;
	struct batch_item it;
	char *again;
	size_t i;
	int rc = 0;

	again = xasprintf("%s, in place of the copy received before", origin);
	for (i = 0; rc == 0 && batch_queue_get(&q[i % n], &it); i++) {
		if (it.vis == NULL) {
			*cause = it.why;
			it.why = NULL;
			rc = it.io ? BATCH_IMPORT_EIO : BATCH_IMPORT_EDATA;
		} else if ((rc = batch_place(s, b, &it, cause)) >= 0) {
			it.vis->status = VISIT_RECEIVED;
			if (store_visit_receive(s, it.vis, it.text, it.len,
			        &it.chain, b->id, rc ? again : origin, now,
			        cause) != 0)
				rc = BATCH_IMPORT_EIO;
			else {
				rc = 0;
				(*imported)++;
			}
		}
		batch_queue_used(&q[i % n], &it);
	}
	free(again);
	return rc;
}

/* As many readers as processors: the writer waits much of the time. */
static size_t
batch_nreaders(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > BATCH_READERS ? BATCH_READERS : (size_t)n;
}

/*
 * The readers read the file under their own SIGBUS guards; this thread
 * only stores copies, so a file that goes away mid-import is a reader's
 * fault to report, and nothing here can fault on it.
 */
int
batch_import(struct batch *b, struct store *s, size_t *imported, char **cause)
{
	struct batch_queue q[BATCH_READERS];
	struct batch_item it;
	struct sigaction bus;
	sigset_t all, old;
	size_t n = batch_nreaders(), started = 0, k;
	int64_t now = clock_now();
	char *origin;
	int rc = BATCH_IMPORT_EIO, err = 0;

	*imported = 0;
	memset(q, 0, sizeof q);
	for (k = 0; k < n; k++) {
		q[k].b = b;
		q[k].k = k;
		q[k].nreaders = n;
		pthread_mutex_init(&q[k].mu, NULL);
		pthread_cond_init(&q[k].more, NULL);
		pthread_cond_init(&q[k].room, NULL);
	}
	/* store_visit_signer reads the signer back from its start. */
	origin = xasprintf("signer %s (%s), batch %s, sequence %lld", b->signer,
	    b->label ? b->label : "?", b->id, b->sequence);
	store_bulk(s, 1);
	if (store_begin(s, cause) != 0)
		goto out;
	batch_on_bus_install(&bus);
	/* Signals are the caller's to handle, SIGBUS aside. */
	sigfillset(&all);
	sigdelset(&all, SIGBUS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; started < n && err == 0; started++)
		err = pthread_create(
		    &q[started].thread, NULL, batch_reader, &q[started]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		*cause =
		    xasprintf(_("cannot start a thread: %s"), strerror(err));
		started--;
	} else
		rc = batch_write_visits(q, n, s, origin, now, imported, cause);
	for (k = 0; k < n; k++) {
		batch_queue_finish(&q[k], 1);
		if (k >= started)
			continue; /* never started: nothing to drain */
		while (batch_queue_get(&q[k], &it))
			batch_item_free(&it);
		pthread_join(q[k].thread, NULL);
		batch_queue_free_used(&q[k]);
	}
	sigaction(SIGBUS, &bus, NULL);
	if (rc == 0 &&
	    (store_received_add(s, b->id, b->signer, b->sequence, *imported,
	         b->hash, now, cause) != 0 ||
	        store_audit(s, "", "batch imported", origin, now, cause) != 0))
		rc = BATCH_IMPORT_EIO;
	if (rc == 0)
		rc = store_commit(s, cause) == 0 ? 0 : BATCH_IMPORT_EIO;
	else
		store_rollback(s);
	if (rc != 0)
		*imported = 0;
out:
	store_bulk(s, 0);
	free(origin);
	for (k = 0; k < n; k++) {
		pthread_cond_destroy(&q[k].room);
		pthread_cond_destroy(&q[k].more);
		pthread_mutex_destroy(&q[k].mu);
	}
	return rc;
}

void
batch_free(struct batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nforms; i++)
		form_free(b->forms[i]);
	free(b->forms);
	if (b->mapped)
		munmap(b->text, b->len ? b->len : 1);
	else
		free(b->text);
	free(b->id);
	free(b->label);
	free(b);
}

void
batch_verdict_clear(struct batch_verdict *v)
{
	free(v->message);
	free(v->id);
	free(v->label);
	memset(v, 0, sizeof *v);
}

void
batch_run_clear(struct batch_run *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}
