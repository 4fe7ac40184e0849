/*
 * bench-tui: the terminal UI under a scripted session, through a
 * pseudo-terminal, as an inspector would use it.
 *
 *   bench-tui [-d MOVES] [-k KEYS] [-q QUIET_MS] [-t TIMEOUT_MS] [-s SEED] [-v]
 *             DB FORMS_DIR [ANFANG]
 *
 * The passphrase of DB is read from standard input.  ANFANG (or $ANFANG,
 * or build/anfang) runs as `anfang --db DB --forms FORMS_DIR` on a new
 * 80x24 pseudo-terminal (TERM=xterm-256color, LANG=C.UTF-8).  The bench
 * types the passphrase, starts a visit of the form whose id starts with
 * "bench" at a unit found by typing part of its name, then replays KEYS
 * keystrokes (10,000 by default) over the form: mostly moves, answers of
 * every type, text in Chinese and English, reasons for soft checks, pages,
 * the review screen and back.  The keys are chosen from what the screen
 * shows (a small terminal emulator keeps it), with a fixed-seed PRNG, so
 * the session never stalls on a prompt.  -v prints each key, -v -v the
 * screen before it too, -v -v -v the bytes of each key.
 *
 * After each key the bench reads the terminal until the program is back
 * waiting for input (its input queue empty, the process sleeping) and
 * nothing more has come for QUIET_MS (15); the bytes read are that key's.
 * Its CPU is the difference of the program's on-CPU time
 * (/proc/PID/schedstat) before the key and after.  A key that takes longer
 * than TIMEOUT_MS (2000) aborts the bench with the screen and the last
 * bytes.  Peak memory is VmHWM before quitting.
 *
 * Prints one line of key=value figures: keys, cpu_median_ms, cpu_p99_ms,
 * bytes_median, bytes_mean, maxrss_mib, total_s, and more for reference:
 * the resident memory at the end (the peak is Argon2's, at unlock), the
 * figures per kind of key (move, answer, typing, other: opening the
 * review, the help, an editor), CPU and bytes, the program's CPU while
 * idle, and move_floor_median: the characters a move changes on the
 * screen, an estimate of the least any draw of it must send (vt_floor).
 * Then, in the same run, the peer: `dialog --form` with 12 fields on the
 * same 80x24 pseudo-terminal, moved between its fields MOVES times (-d,
 * 1000; 0: not run), and its bytes per move (dialog_move_bytes_median,
 * _p99).
 */
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <term.h>

#define ROWS  24
#define COLS_ 80
#define CONT  0xffffffffu /* the right half of a wide character */

/* ------------------------------------------------------------------ */
/* A terminal emulator: just enough of xterm to read what ncurses draws. */

enum vt_state { VT_GROUND, VT_ESC, VT_CSI, VT_STR, VT_STR_ESC, VT_SKIP };

struct vt {
	uint32_t cell[ROWS][COLS_];
	int row, col, wrap;
	int top, bot;
	int srow, scol;
	uint32_t last;
	enum vt_state state;
	char param[64];
	size_t nparam;
	char inter;
	unsigned char utf[4];
	size_t nutf, needutf;
	int reply_fd; /* where answers to queries go */
};

static void
vt_init(struct vt *vt, int reply_fd)
{
	memset(vt, 0, sizeof *vt);
	vt->bot = ROWS - 1;
	vt->reply_fd = reply_fd;
}

static void
vt_blank(struct vt *vt, int r, int c0, int c1)
{
	int c;

	for (c = c0; c <= c1 && c < COLS_; c++)
		vt->cell[r][c] = 0;
}

static void
vt_scroll_up(struct vt *vt, int top, int bot, int n)
{
	int r;

	if (n > bot - top + 1)
		n = bot - top + 1;
	for (r = top; r <= bot; r++) {
		if (r + n <= bot)
			memcpy(
			    vt->cell[r], vt->cell[r + n], sizeof vt->cell[r]);
		else
			vt_blank(vt, r, 0, COLS_ - 1);
	}
}

static void
vt_scroll_down(struct vt *vt, int top, int bot, int n)
{
	int r;

	if (n > bot - top + 1)
		n = bot - top + 1;
	for (r = bot; r >= top; r--) {
		if (r - n >= top)
			memcpy(
			    vt->cell[r], vt->cell[r - n], sizeof vt->cell[r]);
		else
			vt_blank(vt, r, 0, COLS_ - 1);
	}
}

static void
vt_linefeed(struct vt *vt)
{
	if (vt->row == vt->bot)
		vt_scroll_up(vt, vt->top, vt->bot, 1);
	else if (vt->row < ROWS - 1)
		vt->row++;
}

static void
vt_put(struct vt *vt, uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w == 0)
		return; /* a combining mark: kept with its base, not drawn */
	if (w < 0)
		w = 1;
	if (vt->wrap) {
		vt->col = 0;
		vt->wrap = 0;
		vt_linefeed(vt);
	}
	if (vt->col + w > COLS_) {
		vt->col = 0;
		vt_linefeed(vt);
	}
	/* overwriting half of a wide character blanks the other half */
	if (vt->cell[vt->row][vt->col] == CONT && vt->col > 0)
		vt->cell[vt->row][vt->col - 1] = 0;
	if (vt->col + w < COLS_ && vt->cell[vt->row][vt->col + w] == CONT)
		vt->cell[vt->row][vt->col + w] = 0;
	vt->cell[vt->row][vt->col] = cp;
	if (w == 2)
		vt->cell[vt->row][vt->col + 1] = CONT;
	vt->col += w;
	if (vt->col >= COLS_) {
		vt->col = COLS_ - 1;
		vt->wrap = 1;
	}
	vt->last = cp;
}

static int
vt_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
vt_csi(struct vt *vt, char final)
{
	int p[8] = { 0 }, np = 0, n, r, c, priv = 0;
	const char *s = vt->param;
	char *end;

	if (*s == '?' || *s == '>' || *s == '<' || *s == '=') {
		priv = 1;
		s++;
	}
	while (*s != '\0' && np < 8) {
		p[np++] = (int)strtol(s, &end, 10);
		s = end;
		if (*s == ';' || *s == ':')
			s++;
		else
			break;
	}
	if (priv || vt->inter != 0)
		return; /* modes, soft reset: nothing on the screen */
	n = p[0] > 0 ? p[0] : 1;
	vt->wrap = 0;
	switch (final) {
	case 'A':
		vt->row = vt_clamp(vt->row - n, 0, ROWS - 1);
		break;
	case 'B':
	case 'e':
		vt->row = vt_clamp(vt->row + n, 0, ROWS - 1);
		break;
	case 'C':
	case 'a':
		vt->col = vt_clamp(vt->col + n, 0, COLS_ - 1);
		break;
	case 'D':
		vt->col = vt_clamp(vt->col - n, 0, COLS_ - 1);
		break;
	case 'E':
		vt->row = vt_clamp(vt->row + n, 0, ROWS - 1);
		vt->col = 0;
		break;
	case 'F':
		vt->row = vt_clamp(vt->row - n, 0, ROWS - 1);
		vt->col = 0;
		break;
	case 'G':
	case '`':
		vt->col = vt_clamp(n - 1, 0, COLS_ - 1);
		break;
	case 'd':
		vt->row = vt_clamp(n - 1, 0, ROWS - 1);
		break;
	case 'H':
	case 'f':
		vt->row = vt_clamp((p[0] > 0 ? p[0] : 1) - 1, 0, ROWS - 1);
		vt->col = vt_clamp((p[1] > 0 ? p[1] : 1) - 1, 0, COLS_ - 1);
		break;
	case 'J':
		if (p[0] == 0) {
			vt_blank(vt, vt->row, vt->col, COLS_ - 1);
			for (r = vt->row + 1; r < ROWS; r++)
				vt_blank(vt, r, 0, COLS_ - 1);
		} else if (p[0] == 1) {
			for (r = 0; r < vt->row; r++)
				vt_blank(vt, r, 0, COLS_ - 1);
			vt_blank(vt, vt->row, 0, vt->col);
		} else {
			for (r = 0; r < ROWS; r++)
				vt_blank(vt, r, 0, COLS_ - 1);
		}
		break;
	case 'K':
		if (p[0] == 0)
			vt_blank(vt, vt->row, vt->col, COLS_ - 1);
		else if (p[0] == 1)
			vt_blank(vt, vt->row, 0, vt->col);
		else
			vt_blank(vt, vt->row, 0, COLS_ - 1);
		break;
	case 'L':
		if (vt->row >= vt->top && vt->row <= vt->bot)
			vt_scroll_down(vt, vt->row, vt->bot, n);
		break;
	case 'M':
		if (vt->row >= vt->top && vt->row <= vt->bot)
			vt_scroll_up(vt, vt->row, vt->bot, n);
		break;
	case 'S':
		vt_scroll_up(vt, vt->top, vt->bot, n);
		break;
	case 'T':
		vt_scroll_down(vt, vt->top, vt->bot, n);
		break;
	case 'P':
		for (c = vt->col; c < COLS_; c++)
			vt->cell[vt->row][c] =
			    c + n < COLS_ ? vt->cell[vt->row][c + n] : 0;
		break;
	case '@':
		for (c = COLS_ - 1; c >= vt->col; c--)
			vt->cell[vt->row][c] =
			    c - n >= vt->col ? vt->cell[vt->row][c - n] : 0;
		break;
	case 'X':
		vt_blank(vt, vt->row, vt->col, vt->col + n - 1);
		break;
	case 'b':
		while (n-- > 0 && vt->last != 0)
			vt_put(vt, vt->last);
		break;
	case 'r':
		vt->top = vt_clamp((p[0] > 0 ? p[0] : 1) - 1, 0, ROWS - 1);
		vt->bot = vt_clamp(
		    (np > 1 && p[1] > 0 ? p[1] : ROWS) - 1, vt->top, ROWS - 1);
		vt->row = vt->col = 0;
		break;
	case 's':
		vt->srow = vt->row;
		vt->scol = vt->col;
		break;
	case 'u':
		vt->row = vt->srow;
		vt->col = vt->scol;
		break;
	case 'n':
		if (p[0] == 6 && vt->reply_fd >= 0) {
			char buf[32];
			int len = snprintf(buf, sizeof buf, "\033[%d;%dR",
			    vt->row + 1, vt->col + 1);

			if (write(vt->reply_fd, buf, (size_t)len) < 0)
				break;
		}
		break;
	default:
		break; /* m (attributes), t, q...: nothing to keep */
	}
}

static void
vt_esc(struct vt *vt, unsigned char b)
{
	vt->state = VT_GROUND;
	switch (b) {
	case '[':
		vt->state = VT_CSI;
		vt->nparam = 0;
		vt->param[0] = '\0';
		vt->inter = 0;
		break;
	case ']':
	case 'P':
	case '_':
	case '^':
	case 'X':
		vt->state = VT_STR;
		break;
	case '(':
	case ')':
	case '*':
	case '+':
	case '#':
	case ' ':
		vt->state = VT_SKIP;
		break;
	case 'M':
		vt->wrap = 0;
		if (vt->row == vt->top)
			vt_scroll_down(vt, vt->top, vt->bot, 1);
		else if (vt->row > 0)
			vt->row--;
		break;
	case 'D':
		vt->wrap = 0;
		vt_linefeed(vt);
		break;
	case 'E':
		vt->wrap = 0;
		vt->col = 0;
		vt_linefeed(vt);
		break;
	case '7':
		vt->srow = vt->row;
		vt->scol = vt->col;
		break;
	case '8':
		vt->row = vt->srow;
		vt->col = vt->scol;
		vt->wrap = 0;
		break;
	case 'c':
		vt_init(vt, vt->reply_fd);
		break;
	default:
		break; /* = > and the like */
	}
}

static void
vt_feed(struct vt *vt, const unsigned char *p, size_t len)
{
	size_t i;
	unsigned char b;
	uint32_t cp;

	for (i = 0; i < len; i++) {
		b = p[i];
		switch (vt->state) {
		case VT_ESC:
			vt_esc(vt, b);
			continue;
		case VT_SKIP:
			vt->state = VT_GROUND;
			continue;
		case VT_STR:
			if (b == 7)
				vt->state = VT_GROUND;
			else if (b == 0x1b)
				vt->state = VT_STR_ESC;
			continue;
		case VT_STR_ESC:
			vt->state = b == '\\' ? VT_GROUND : VT_STR;
			continue;
		case VT_CSI:
			if (b >= 0x30 && b <= 0x3f) {
				if (vt->nparam + 1 < sizeof vt->param) {
					vt->param[vt->nparam++] = (char)b;
					vt->param[vt->nparam] = '\0';
				}
			} else if (b >= 0x20 && b <= 0x2f)
				vt->inter = (char)b;
			else if (b >= 0x40 && b <= 0x7e) {
				vt->state = VT_GROUND;
				vt_csi(vt, (char)b);
			} else if (b == 0x1b)
				vt->state = VT_ESC;
			continue;
		case VT_GROUND:
			break;
		}
		if (vt->needutf > 0) {
			if ((b & 0xc0) == 0x80) {
				vt->utf[vt->nutf++] = b;
				if (vt->nutf < vt->needutf)
					continue;
				cp = vt->utf[0] & (0x7f >> vt->needutf);
				for (size_t k = 1; k < vt->nutf; k++)
					cp = (cp << 6) | (vt->utf[k] & 0x3f);
				vt->needutf = 0;
				vt_put(vt, cp);
				continue;
			}
			vt->needutf = 0;
			vt_put(vt, 0xfffd);
		}
		if (b == 0x1b)
			vt->state = VT_ESC;
		else if (b == '\r') {
			vt->col = 0;
			vt->wrap = 0;
		} else if (b == '\n' || b == '\v' || b == '\f') {
			vt->wrap = 0;
			vt_linefeed(vt);
		} else if (b == '\b') {
			vt->wrap = 0;
			if (vt->col > 0)
				vt->col--;
		} else if (b == '\t') {
			vt->col = vt_clamp((vt->col / 8 + 1) * 8, 0, COLS_ - 1);
		} else if (b < 0x20 || b == 0x7f) {
			/* BEL, SO, SI: nothing */
		} else if (b < 0x80)
			vt_put(vt, b);
		else if (b >= 0xc2 && b <= 0xf4) {
			vt->utf[0] = b;
			vt->nutf = 1;
			vt->needutf = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
		} else
			vt_put(vt, 0xfffd);
	}
}

/* Row r as UTF-8, trailing blanks dropped. */
static const char *
vt_row(const struct vt *vt, int r, int from)
{
	static char buf[COLS_ * 4 + 1];
	size_t len = 0, keep = 0;
	uint32_t cp;
	int c;

	for (c = from; c < COLS_; c++) {
		cp = vt->cell[r][c];
		if (cp == CONT)
			continue;
		if (cp == 0)
			cp = ' ';
		if (cp < 0x80)
			buf[len++] = (char)cp;
		else if (cp < 0x800) {
			buf[len++] = (char)(0xc0 | (cp >> 6));
			buf[len++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			buf[len++] = (char)(0xe0 | (cp >> 12));
			buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			buf[len++] = (char)(0x80 | (cp & 0x3f));
		} else {
			buf[len++] = (char)(0xf0 | (cp >> 18));
			buf[len++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			buf[len++] = (char)(0x80 | (cp & 0x3f));
		}
		if (cp != ' ')
			keep = len;
	}
	buf[keep] = '\0';
	return buf;
}

static int
vt_has(const struct vt *vt, const char *text)
{
	int r;

	for (r = 0; r < ROWS; r++) {
		if (strstr(vt_row(vt, r, 0), text) != NULL)
			return 1;
	}
	return 0;
}

static void
vt_dump(const struct vt *vt, FILE *f)
{
	int r;

	fprintf(f, "  +%.*s+\n", COLS_,
	    "------------------------------------"
	    "--------------------------------------"
	    "------");
	for (r = 0; r < ROWS; r++)
		fprintf(f, "  |%s\n", vt_row(vt, r, 0));
	fprintf(f, "  +--- cursor at row %d, column %d\n", vt->row, vt->col);
}

/*
 * The least a terminal must be sent to turn screen a into screen b, as
 * an estimate: for each row, the UTF-8 bytes of the characters that still
 * differ when the row is taken from a's same row or a neighbour (a
 * scroll), shifted by up to 6 columns (characters inserted or deleted),
 * whichever leaves fewest; blanks are free (an erase) and so are cursor
 * moves and attributes.  No draw of the same screens sends much less.
 */
static long
vt_floor(const uint32_t a[ROWS][COLS_], const uint32_t b[ROWS][COLS_])
{
	long total = 0, best, cost;
	int r, dy, dx, c, from;
	uint32_t x, o;

	for (r = 0; r < ROWS; r++) {
		best = -1;
		for (dy = -1; dy <= 1; dy++) {
			if (r + dy < 0 || r + dy >= ROWS)
				continue;
			for (dx = -6; dx <= 6; dx++) {
				cost = 0;
				for (c = 0; c < COLS_; c++) {
					x = b[r][c];
					from = c + dx;
					o = from >= 0 && from < COLS_
					        ? a[r + dy][from]
					        : CONT - 1;
					if (x == o || x == 0 || x == CONT)
						continue;
					cost += x < 0x80    ? 1
					        : x < 0x800 ? 2
					                    : 3;
				}
				if (best < 0 || cost < best)
					best = cost;
			}
		}
		total += best;
	}
	return total;
}

/* ------------------------------------------------------------------ */
/* The program on its pseudo-terminal. */

#define RAW_KEEP 2048

struct session {
	pid_t pid;
	int master;
	int slave; /* kept open: its input queue says what is still unread */
	struct vt vt;
	unsigned char raw[RAW_KEEP]; /* the last bytes, for a post-mortem */
	size_t nraw;
	int quiet_ms;
	int timeout_ms;
	int verbose;
	const char *what; /* the key being waited for */
	long long rchar;  /* what the program had read before the key */
};

static struct session *the_session;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
dump_raw(FILE *f, const unsigned char *p, size_t n)
{
	size_t i;

	fputs("  ", f);
	for (i = 0; i < n; i++) {
		if (p[i] == 0x1b)
			fputs("\\e", f);
		else if (p[i] == '\n')
			fputs("\\n", f);
		else if (p[i] == '\r')
			fputs("\\r", f);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "^%c", p[i] ^ 0x40);
		else
			fputc(p[i], f);
	}
	fputc('\n', f);
}

static void
die(const char *fmt, ...)
{
	struct session *s = the_session;
	va_list ap;

	fputs("bench-tui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (s != NULL && s->pid != 0) {
		if (s->what != NULL) {
			fprintf(stderr, "  after the key:\n");
			dump_raw(stderr, (const unsigned char *)s->what,
			    strlen(s->what));
		}
		fprintf(stderr, "  the screen:\n");
		vt_dump(&s->vt, stderr);
		fprintf(stderr,
		    "  the last %zu bytes written to the terminal:\n", s->nraw);
		dump_raw(stderr, s->raw, s->nraw);
		if (s->pid > 0) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
	}
	exit(1);
}

/* The program's on-CPU time, in nanoseconds. */
static uint64_t
proc_cpu_ns(pid_t pid)
{
	char path[64], buf[128];
	unsigned long long ns = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	sscanf(buf, "%llu", &ns);
	return ns;
}

/* Its scheduler state: 'R' running, 'S' sleeping, 'D' in I/O... */
static char
proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return '?';
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return '?';
	return p[2];
}

/* A line of /proc/PID/status, in kB. */
static long
proc_status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			kb = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* Run argv[0] with argv on a new 80x24 pseudo-terminal. */
static void
session_start(struct session *s, const char *const argv[])
{
	struct winsize ws = { ROWS, COLS_, 0, 0 };
	const char *name;
	int fl;

	if ((s->master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
	    grantpt(s->master) != 0 || unlockpt(s->master) != 0 ||
	    (name = ptsname(s->master)) == NULL)
		die("cannot make a pseudo-terminal: %s", strerror(errno));
	if ((s->slave = open(name, O_RDWR | O_NOCTTY)) < 0)
		die("%s: %s", name, strerror(errno));
	if (ioctl(s->master, TIOCSWINSZ, &ws) != 0)
		die("TIOCSWINSZ: %s", strerror(errno));
	vt_init(&s->vt, s->master);
	fflush(NULL);
	if ((s->pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (s->pid == 0) {
		int fd;

		close(s->master);
		if (setsid() < 0 || (fd = open(name, O_RDWR)) < 0 ||
		    ioctl(fd, TIOCSCTTY, 0) != 0) {
			perror("bench-tui: the child's terminal");
			_exit(127);
		}
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		close(s->slave);
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		execvp(argv[0], (char *const *)argv);
		fprintf(
		    stderr, "bench-tui: %s: %s\r\n", argv[0], strerror(errno));
		_exit(127);
	}
	fl = fcntl(s->master, F_GETFL);
	fcntl(s->master, F_SETFL, fl | O_NONBLOCK);
}

static void
session_keep_raw(struct session *s, const unsigned char *p, size_t n)
{
	if (n >= RAW_KEEP) {
		memcpy(s->raw, p + n - RAW_KEEP, RAW_KEEP);
		s->nraw = RAW_KEEP;
		return;
	}
	if (s->nraw + n > RAW_KEEP) {
		memmove(
		    s->raw, s->raw + (s->nraw + n - RAW_KEEP), RAW_KEEP - n);
		s->nraw = RAW_KEEP - n;
	}
	memcpy(s->raw + s->nraw, p, n);
	s->nraw += n;
}

/* Read what is there; the byte count, or -1 when the program has gone. */
static long
session_read(struct session *s)
{
	unsigned char buf[65536];
	long total = 0;
	ssize_t n;

	for (;;) {
		n = read(s->master, buf, sizeof buf);
		if (n > 0) {
			vt_feed(&s->vt, buf, (size_t)n);
			session_keep_raw(s, buf, (size_t)n);
			total += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return total;
		return total > 0 ? total : -1;
	}
}

static int
session_unread_input(struct session *s)
{
	int n = 0;

	if (ioctl(s->slave, FIONREAD, &n) != 0)
		return 0;
	return n;
}

/* The bytes the program has read (/proc/PID/io rchar), or -1. */
static long long
proc_rchar(pid_t pid)
{
	char path[64], line[128];
	long long n = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "rchar: %lld", &n) == 1)
			break;
	}
	fclose(f);
	return n;
}

/*
 * Wait until the program has reacted: it has read what was typed (its
 * read count has grown since the key: a loaded machine may pass the key
 * to the terminal's input queue late, and meanwhile the queue is empty
 * and the program asleep), it has read everything typed, it is sleeping
 * (in its read of the terminal), and no output has come for quiet
 * milliseconds (at least min_ms after the start).  The bytes read.
 */
static long
session_settle(struct session *s, int quiet, int min_ms, int timeout_ms)
{
	struct pollfd pfd = { s->master, POLLIN, 0 };
	double start = now_ms(), last = start, t;
	long bytes = 0, n;
	int status, rc;

	for (;;) {
		rc = poll(&pfd, 1, quiet);
		t = now_ms();
		if (rc > 0) {
			n = session_read(s);
			if (n > 0) {
				bytes += n;
				last = t;
			}
		}
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			session_read(s);
			s->pid = -s->pid;
			die("the program exited (status %d) while waiting",
			    WIFEXITED(status) ? WEXITSTATUS(status)
			                      : 128 + WTERMSIG(status));
		}
		if (t - last >= quiet && t - start >= min_ms &&
		    (s->rchar < 0 || proc_rchar(s->pid) > s->rchar) &&
		    session_unread_input(s) == 0 && proc_state(s->pid) == 'S') {
			s->rchar = -1;
			/* one more look: output may lag the program */
			if (poll(&pfd, 1, 0) > 0 && session_read(s) > 0) {
				last = now_ms();
				continue;
			}
			return bytes;
		}
		if (t - start > timeout_ms)
			die("no answer within %d ms (the program is '%c', "
			    "%d bytes of input unread)",
			    timeout_ms, proc_state(s->pid),
			    session_unread_input(s));
	}
}

static void
session_write(struct session *s, const char *p, size_t n)
{
	ssize_t w;

	s->rchar = proc_rchar(s->pid);
	while (n > 0) {
		w = write(s->master, p, n);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			die("writing to the terminal: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* Type text (or a key's bytes) and wait until the screen shows want. */
static void
session_until(
    struct session *s, const char *keys, const char *want, int timeout_ms)
{
	double start = now_ms();

	s->what = keys;
	if (keys != NULL)
		session_write(s, keys, strlen(keys));
	for (;;) {
		session_settle(s, s->quiet_ms, 0, timeout_ms);
		if (want == NULL || vt_has(&s->vt, want))
			return;
		if (now_ms() - start > timeout_ms)
			die("the screen never showed \"%s\"", want);
	}
}

/* ------------------------------------------------------------------ */
/* What the screen shows, read as the script needs it. */

enum ui_screen { UI_OTHER, UI_VISITS, UI_NEW, UI_FORM, UI_REVIEW, UI_HELP };
enum ui_mode { UI_IDLE, UI_EDIT, UI_REASON, UI_PICK };

struct ui {
	enum ui_screen screen;
	enum ui_mode mode;
	int q;         /* the current question's number (Question N), or 0 */
	char type[16]; /* its type */
	char answer[COLS_ * 4 + 1];
	int confirm; /* a (y/n) question on the message row */
};

static void
ui_read(const struct vt *vt, struct ui *u)
{
	const char *row, *p, *a;
	int r, sep = -1;

	memset(u, 0, sizeof *u);
	row = vt_row(vt, 0, 0);
	if (strncmp(row, "anfang  ", 8) != 0)
		u->screen = UI_OTHER;
	else if (strncmp(row + 8, "review:", 7) == 0)
		u->screen = UI_REVIEW;
	else if (strncmp(row + 8, "help", 4) == 0)
		u->screen = UI_HELP;
	else if (strncmp(row + 8, "visits (", 8) == 0)
		u->screen = UI_VISITS;
	else if (strncmp(row + 8, "new visit", 9) == 0)
		u->screen = UI_NEW;
	else if (strstr(row, "Benchmark form") != NULL)
		u->screen = UI_FORM;
	u->confirm = strstr(vt_row(vt, ROWS - 2, 0), "(y/n)") != NULL;
	if (u->screen != UI_FORM)
		return;
	/* the separator between the list and the detail */
	for (r = 2; r < ROWS - 2 && sep < 0; r++) {
		if (strncmp(vt_row(vt, r, 0), "\xe2\x94\x80\xe2\x94\x80", 6) ==
		    0)
			sep = r;
	}
	if (sep < 0)
		sep = ROWS - 2;
	for (r = 2; r < sep; r++) {
		row = vt_row(vt, r, 0);
		if (row[0] != '>')
			continue;
		/* "Question 12, text:", on the Chinese form
		 * "第12題 text：" */
		if ((p = strstr(row, "Question ")) != NULL) {
			if (sscanf(p, "Question %d, %15[a-z]", &u->q,
			        u->type) != 2)
				u->q = 0;
		} else if ((p = strstr(row, "\xe7\xac\xac")) == NULL ||
		           sscanf(p, "\xe7\xac\xac%d\xe9\xa1\x8c %15[a-z]",
		               &u->q, u->type) != 2)
			u->q = 0;
		/* the answer ends the row, two blanks after the label */
		a = NULL;
		for (p = row + 4; (p = strstr(p, "  ")) != NULL; p++)
			a = p;
		snprintf(
		    u->answer, sizeof u->answer, "%s", a != NULL ? a + 2 : "");
		break;
	}
	for (r = sep + 1; r < ROWS - 2; r++) {
		row = vt_row(vt, r, 0);
		if (strncmp(row, " Reason:", 8) == 0)
			u->mode = UI_REASON;
		else if (strncmp(row, " > ", 3) == 0 || strcmp(row, " >") == 0)
			u->mode = UI_EDIT;
		else if (strstr(row, ">[") != NULL && u->mode == UI_IDLE)
			u->mode = UI_PICK;
	}
}

/* ------------------------------------------------------------------ */
/* The script. */

enum kind { K_MOVE, K_COMMIT, K_TYPE, K_OTHER, K_KINDS };
static const char *const kind_name[K_KINDS] = { "move", "answer", "typing",
	"other" };

struct keys {
	const char *down, *up, *pgdn, *pgup, *home, *end, *bs;
};

static struct keys keys;

static const char *
key_string(const char *cap, const char *fallback)
{
	char *s = tigetstr(cap);

	return s != NULL && s != (char *)-1 ? s : fallback;
}

static void
keys_init(void)
{
	int err;

	if (setupterm("xterm-256color", -1, &err) != OK)
		die("no terminfo entry for xterm-256color");
	keys.down = key_string("kcud1", "\033OB");
	keys.up = key_string("kcuu1", "\033OA");
	keys.pgdn = key_string("knp", "\033[6~");
	keys.pgup = key_string("kpp", "\033[5~");
	keys.home = key_string("khome", "\033OH");
	keys.end = key_string("kend", "\033OF");
	keys.bs = key_string("kbs", "\177");
}

static uint32_t prng_state = 20261126u;

static uint32_t
prng(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 17;
	prng_state ^= prng_state << 5;
	return prng_state;
}

/* A number in [0, n). */
static int
pick(int n)
{
	return (int)(prng() % (uint32_t)n);
}

/* Keys planned ahead (typing a text, moving in the review), each one
 * keystroke. */
#define PLAN_MAX 64
/* The largest question number followed (gen-form.sh numbers them). */
#define QMAX 20000

struct plan {
	const char *k[PLAN_MAX];
	enum kind kind[PLAN_MAX];
	int n, at;
	enum ui_screen screen; /* the plan holds while this screen is up */
	int typing;            /* ... and, when set, while typing */
};

static void
plan_add(struct plan *p, const char *k, enum kind kind)
{
	if (p->n < PLAN_MAX) {
		p->kind[p->n] = kind;
		p->k[p->n++] = k;
	}
}

static void
plan_reset(struct plan *p, enum ui_screen screen, int typing)
{
	p->n = p->at = 0;
	p->screen = screen;
	p->typing = typing;
}

/* Text typed: characters, one keystroke each. */
static const char *const words[] = { "窗", "口", "人", "員", "在", "崗", "服",
	"務", "態", "度", "好", "等", "候", "時", "間", "長", "，", "。", "a",
	"b", "c", "d", "e", "f", "g", "h", "i", "k", "l", "m", "n", "o", "r",
	"s", "t", "u", "w", " ", " ", "1", "2", "5" };

static void
plan_text(struct plan *p, int min, int max)
{
	int n = min + pick(max - min + 1), i;

	for (i = 0; i < n; i++)
		plan_add(p, words[pick((int)(sizeof words / sizeof words[0]))],
		    K_TYPE);
}

static const char *const digits[] = { "0", "1", "2", "3", "4", "5", "6", "7",
	"8", "9" };

struct script {
	struct plan plan;
	int acted[QMAX + 1]; /* keys given to each question in a pass */
	int last_q, same_q;
	int down;  /* the last key was Down in the list */
	int stuck; /* keys given to an edit that its plan did not close */
	int passes;
	int confirm_yes;
	long reviews, helps, commits;
};

/*
 * The next key for what the screen shows; *kind says what sort of key it
 * is.  Returns NULL when the script cannot go on.
 */
static const char *
script_next(struct script *sc, const struct ui *u, enum kind *kind)
{
	struct plan *p = &sc->plan;
	int r, q = u->q > 0 && u->q <= QMAX ? u->q : 0;

	*kind = K_OTHER;
	if (u->confirm) {
		p->n = p->at = 0;
		*kind = K_COMMIT;
		return sc->confirm_yes ? "y" : "n";
	}
	sc->confirm_yes = 0;
	/* a plan goes on while the screen (and typing) it was made for is
	 * still there */
	if (p->at < p->n && u->screen == p->screen &&
	    (!p->typing || (u->mode == UI_EDIT || u->mode == UI_REASON))) {
		*kind = p->kind[p->at];
		return p->k[p->at++];
	}
	p->n = p->at = 0;
	switch (u->screen) {
	case UI_REVIEW:
		return "q";
	case UI_HELP:
		return "q";
	case UI_VISITS:
		return "\r"; /* the draft, the newest: back to it */
	case UI_FORM:
		break;
	default:
		return NULL;
	}
	if (q == sc->last_q)
		sc->same_q++;
	else
		sc->same_q = 0;
	if (u->mode != UI_EDIT)
		sc->stuck = 0;
	switch (u->mode) {
	case UI_REASON:
		/* a soft check asks why: give a reason, or cancel it */
		if (pick(5) == 0) {
			*kind = K_OTHER;
			return "\033";
		}
		plan_reset(p, UI_FORM, 1);
		plan_text(p, 2, 6);
		plan_add(p, "\r", K_COMMIT);
		return script_next(sc, u, kind);
	case UI_EDIT:
		/* the typing is over but the field is still open: several
		 * lines end with ^D; a refused value is cancelled */
		if (sc->stuck++ == 0) {
			*kind = K_COMMIT;
			return "\004";
		}
		return "\033";
	case UI_PICK:
		r = pick(4);
		if (r == 0 && strcmp(u->type, "multi") == 0) {
			*kind = K_COMMIT;
			return " ";
		}
		*kind = r == 1 ? K_COMMIT : K_MOVE;
		return r == 1 ? "\r" : keys.down;
	case UI_IDLE:
		break;
	}
	if (sc->same_q > 60)
		return NULL; /* stuck: the caller shows the screen */
	/* Down did not move: the end of the form, another pass from the
	 * top */
	if (sc->down && q == sc->last_q) {
		sc->down = 0;
		sc->passes++;
		memset(sc->acted, 0, sizeof sc->acted);
		*kind = K_MOVE;
		return keys.home;
	}
	sc->last_q = q;
	sc->down = 0;
	/* now and then: a look at the answers above and back, a page, the
	 * review, the help */
	r = pick(1000);
	*kind = K_MOVE;
	if (r < 150) {
		plan_reset(p, UI_FORM, 0);
		for (r = pick(8); r > 0; r--)
			plan_add(p, keys.up, K_MOVE);
		for (r = p->n + 1; r > 0; r--)
			plan_add(p, keys.down, K_MOVE);
		return keys.up;
	}
	if (r < 170)
		return keys.pgdn;
	if (r < 185)
		return keys.pgup;
	*kind = K_OTHER;
	if (r < 193) {
		sc->reviews++;
		plan_reset(p, UI_REVIEW, 0);
		for (r = pick(6); r > 0; r--)
			plan_add(p, pick(3) ? keys.down : keys.up, K_MOVE);
		plan_add(p, pick(3) ? "q" : "\r", K_OTHER);
		return "r";
	}
	if (r < 195) {
		sc->helps++;
		plan_reset(p, UI_HELP, 0);
		plan_add(p, keys.down, K_MOVE);
		plan_add(p, "q", K_OTHER);
		return "?";
	}
	if (r < 198 && u->answer[0] != '\0' && strcmp(u->answer, "-") != 0) {
		sc->confirm_yes = 1;
		sc->acted[q] = 0;
		return "x"; /* clear it (asks first) */
	}
	/* the current question: answer it once in a pass, then move on */
	*kind = K_MOVE;
	if (q == 0 || sc->acted[q] > 0 || strcmp(u->type, "note") == 0) {
		if (q != 0)
			sc->acted[q] = 0;
		sc->down = 1;
		return keys.down;
	}
	sc->acted[q] = 1;
	sc->commits++;
	*kind = K_COMMIT;
	if (strcmp(u->type, "yesno") == 0)
		return pick(5) < 3 ? "y" : "n";
	if (strcmp(u->type, "choice") == 0) {
		if (pick(6) == 0) {
			plan_reset(p, UI_FORM, 0);
			for (r = pick(4); r > 0; r--)
				plan_add(p, keys.down, K_MOVE);
			plan_add(p, "\r", K_COMMIT);
			return "\r"; /* pick from the list */
		}
		return digits[1 + pick(4)];
	}
	if (strcmp(u->type, "scale") == 0)
		return digits[1 + pick(5)];
	if (strcmp(u->type, "multi") == 0) {
		plan_reset(p, UI_FORM, 0);
		for (r = 1 + pick(3); r > 0; r--)
			plan_add(p, digits[1 + pick(5)], K_COMMIT);
		plan_add(p, keys.down, K_MOVE);
		return digits[1 + pick(5)];
	}
	if (strcmp(u->type, "number") == 0) {
		plan_reset(p, UI_FORM, 1);
		r = pick(10) == 0 ? 4 : pick(3);
		while (r-- > 0)
			plan_add(p, digits[pick(10)], K_TYPE);
		plan_add(p, "\r", K_COMMIT);
		*kind = K_TYPE;
		return digits[1 + pick(9)];
	}
	if (strcmp(u->type, "text") == 0) {
		plan_reset(p, UI_FORM, 1);
		if (pick(2) == 0)
			plan_add(p, "\025", K_TYPE); /* ^U: start afresh */
		plan_text(p, 2, 10);
		/* Enter keeps one line; in several lines it starts another,
		 * and ^D keeps them.  (Never a newline last: the list of
		 * questions overflows the heap on one, see
		 * form_short.) */
		plan_add(p, "\r", K_COMMIT);
		plan_text(p, 2, 6);
		plan_add(p, "\004", K_COMMIT);
		*kind = K_OTHER;
		return "\r";
	}
	if (strcmp(u->type, "date") == 0) {
		/* today, or another day of this month (End: the suggestion
		 * is edited, not replaced) */
		plan_reset(p, UI_FORM, 1);
		if (pick(2) == 0) {
			plan_add(p, keys.end, K_TYPE);
			plan_add(p, keys.bs, K_TYPE);
			plan_add(p, keys.bs, K_TYPE);
			plan_add(p, digits[1 + pick(2)], K_TYPE);
			plan_add(p, digits[1 + pick(8)], K_TYPE);
		}
		plan_add(p, "\r", K_COMMIT);
		*kind = K_OTHER;
		return "\r";
	}
	if (strcmp(u->type, "time") == 0) {
		/* a time typed over the current one (not the clock's: the
		 * same session at any hour); after 18:00 now and then, which
		 * asks for a reason */
		plan_reset(p, UI_FORM, 1);
		plan_add(p, "\025", K_TYPE);
		plan_add(p, digits[1], K_TYPE);
		plan_add(p, pick(4) ? digits[pick(8)] : "9", K_TYPE);
		plan_add(p, ":", K_TYPE);
		plan_add(p, digits[pick(6)], K_TYPE);
		plan_add(p, digits[pick(10)], K_TYPE);
		plan_add(p, "\r", K_COMMIT);
		*kind = K_OTHER;
		return "\r";
	}
	if (strcmp(u->type, "timer") == 0) {
		plan_reset(p, UI_FORM, 0);
		if (pick(3) != 0)
			plan_add(p, " ", K_COMMIT); /* and stop it again */
		plan_add(p, keys.down, K_MOVE);
		return " ";
	}
	if (strcmp(u->type, "count") == 0) {
		plan_reset(p, UI_FORM, 0);
		for (r = pick(5); r > 0; r--)
			plan_add(p, pick(6) ? "+" : "-", K_COMMIT);
		plan_add(p, keys.down, K_MOVE);
		return "+";
	}
	*kind = K_MOVE;
	return keys.down;
}

/* ------------------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* After median (sorted). */
static double
p99(const double *v, size_t n)
{
	size_t i = (n * 99 + 99) / 100;

	return n == 0 ? 0 : v[i ? i - 1 : 0];
}

/*
 * The peer: `dialog --form` with 12 fields at 80x24 on the same kind of
 * pseudo-terminal, moved between its fields with the arrow keys (down to
 * the last, up to the first, again) MOVES times.  Its bytes per move,
 * sorted, in out[].
 */
static void
dialog_peer(size_t moves, double *out)
{
	struct session d;
	const char *argv[6 + 12 * 8 + 1];
	char num[12][4][8], label[12][16], value[12][16];
	const char *down = key_string("kcud1", "\033[B");
	const char *up = key_string("kcuu1", "\033[A");
	size_t i, a = 0;
	int f = 0, dir = 1;

	/* dialog --form TEXT HEIGHT WIDTH FORMHEIGHT
	 *   [LABEL Y X ITEM Y X FLEN ILEN]... */
	argv[a++] = "dialog";
	argv[a++] = "--form";
	argv[a++] = "Bench: 12 fields";
	argv[a++] = "0"; /* its own height: all 12 fields in sight */
	argv[a++] = "80";
	argv[a++] = "12";
	for (i = 0; i < 12; i++) {
		snprintf(label[i], sizeof label[i], "Field %zu:", i + 1);
		snprintf(value[i], sizeof value[i], "value %zu", i + 1);
		snprintf(num[i][0], sizeof num[i][0], "%zu", i + 1);
		snprintf(num[i][1], sizeof num[i][1], "%d", 1);
		snprintf(num[i][2], sizeof num[i][2], "%d", 12);
		snprintf(num[i][3], sizeof num[i][3], "%d", 40);
		argv[a++] = label[i];
		argv[a++] = num[i][0];
		argv[a++] = num[i][1];
		argv[a++] = value[i];
		argv[a++] = num[i][0];
		argv[a++] = num[i][2];
		argv[a++] = num[i][3];
		argv[a++] = num[i][3];
	}
	argv[a] = NULL;
	memset(&d, 0, sizeof d);
	d.rchar = -1;
	d.quiet_ms = 15;
	d.timeout_ms = 2000;
	the_session = &d;
	session_start(&d, argv);
	session_until(&d, NULL, "Field 12:", 10000);
	for (i = 0; i < moves; i++) {
		const char *k;

		if (f + dir < 0 || f + dir > 11)
			dir = -dir;
		k = dir > 0 ? down : up;
		f += dir;
		d.what = k;
		session_write(&d, k, strlen(k));
		out[i] =
		    (double)session_settle(&d, d.quiet_ms, 0, d.timeout_ms);
	}
	kill(d.pid, SIGTERM);
	waitpid(d.pid, NULL, 0);
	close(d.master);
	close(d.slave);
	median(out, moves);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-tui [-d MOVES] [-k KEYS] [-q QUIET_MS] "
	                "[-t TIMEOUT_MS] [-s SEED] [-v] DB FORMS_DIR "
	                "[ANFANG]\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	struct session s;
	struct script sc;
	struct ui u;
	char pass[1024], *nl;
	const char *anfang, *k;
	double *cpu, *bytes, *bykind[K_KINDS], *bbykind[K_KINDS], *peer;
	double *floor_move;
	static uint32_t shown[ROWS][COLS_]; /* the screen before a key */
	size_t nfloor = 0;
	double t0, total_s, sum = 0;
	size_t peer_moves = 1000;
	const char *args[6];
	size_t nkeys = 10000, i, nk[K_KINDS] = { 0 };
	uint64_t c0, c1;
	long hwm, rss, n;
	enum kind kind;
	int opt, status, escape;

	memset(&s, 0, sizeof s);
	s.rchar = -1;
	s.quiet_ms = 15;
	s.timeout_ms = 2000;
	while ((opt = getopt(argc, argv, "d:k:q:t:s:v")) != -1) {
		switch (opt) {
		case 'd':
			peer_moves = (size_t)atol(optarg);
			break;
		case 'k':
			nkeys = (size_t)atol(optarg);
			break;
		case 'q':
			s.quiet_ms = atoi(optarg);
			break;
		case 't':
			s.timeout_ms = atoi(optarg);
			break;
		case 's':
			prng_state = (uint32_t)strtoul(optarg, NULL, 10) | 1;
			break;
		case 'v':
			s.verbose++;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3 || nkeys == 0)
		usage();
	anfang = argc - optind == 3 ? argv[optind + 2]
	         : getenv("ANFANG") ? getenv("ANFANG")
	                            : "build/anfang";
	if (fgets(pass, sizeof pass, stdin) == NULL)
		die("no passphrase on standard input");
	if ((nl = strchr(pass, '\n')) != NULL)
		*nl = '\0';
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		die("no C.UTF-8 locale");
	keys_init();
	signal(SIGPIPE, SIG_IGN);

	cpu = calloc(nkeys, sizeof *cpu);
	bytes = calloc(nkeys, sizeof *bytes);
	for (i = 0; i < K_KINDS; i++) {
		bykind[i] = calloc(nkeys, sizeof *bykind[i]);
		bbykind[i] = calloc(nkeys, sizeof *bbykind[i]);
	}
	floor_move = calloc(nkeys, sizeof *floor_move);
	memset(&sc, 0, sizeof sc);

	/* Unlock, then a new visit: the form, a unit, no division or
	 * person. */
	the_session = &s;
	args[0] = anfang;
	args[1] = "--db";
	args[2] = argv[optind];
	args[3] = "--forms";
	args[4] = argv[optind + 1];
	args[5] = NULL;
	session_start(&s, args);
	session_until(&s, NULL, "Passphrase", 10000);
	strcat(pass, "\r");
	session_until(&s, pass, "visits (", 60000);
	memset(pass, 0, sizeof pass);
	session_until(&s, "n", "Form (type to filter)", 10000);
	for (k = "bench"; *k != '\0'; k++) {
		char c[2] = { *k, '\0' };

		session_until(&s, c, NULL, 10000);
	}
	session_until(&s, "\r", "Unit observed", 10000);
	session_until(&s, "東", NULL, 10000);
	session_until(&s, "城", NULL, 10000);
	session_until(&s, "區", NULL, 10000);
	session_until(&s, "政", NULL, 10000);
	session_until(&s, "務", "> 東城區政務服務中心", 10000);
	session_until(&s, "\r", "Division", 10000);
	session_until(&s, "\r", "badge number", 10000);
	session_until(&s, "\r", " yesno", 30000); /* the first question */

	/* The replay. */
	t0 = now_ms();
	for (i = 0; i < nkeys; i++) {
		ui_read(&s.vt, &u);
		if (s.verbose > 1)
			vt_dump(&s.vt, stderr);
		if ((k = script_next(&sc, &u, &kind)) == NULL)
			die("the script does not know what to do on this "
			    "screen (key %zu)",
			    i);
		s.what = k;
		escape = strcmp(k, "\033") == 0;
		memcpy(shown, s.vt.cell, sizeof shown);
		c0 = proc_cpu_ns(s.pid);
		session_write(&s, k, strlen(k));
		/* A lone Esc is one only after ncurses' ESCDELAY (25 ms). */
		n = session_settle(&s, escape ? 60 : s.quiet_ms,
		    escape ? 60 : 0, s.timeout_ms);
		c1 = proc_cpu_ns(s.pid);
		cpu[i] = (double)(c1 - c0) / 1e6;
		bytes[i] = (double)n;
		sum += (double)n;
		bbykind[kind][nk[kind]] = (double)n;
		if (kind == K_MOVE)
			floor_move[nfloor++] =
			    (double)vt_floor(shown, s.vt.cell);
		bykind[kind][nk[kind]++] = cpu[i];
		if (s.verbose)
			fprintf(stderr,
			    "%zu q%d %s mode %d %s %.3f ms %ld bytes\n", i, u.q,
			    u.type, (int)u.mode, kind_name[kind], cpu[i], n);
		/* -v -v -v: the bytes themselves (the last RAW_KEEP) */
		if (s.verbose > 2 && n > 0)
			dump_raw(stderr,
			    s.raw + s.nraw -
			        (size_t)(n < (long)s.nraw ? n : (long)s.nraw),
			    (size_t)(n < (long)s.nraw ? n : (long)s.nraw));
	}
	total_s = (now_ms() - t0) / 1e3;

	/* The program's own pace while nobody types: its CPU over 2 s. */
	c0 = proc_cpu_ns(s.pid);
	t0 = now_ms();
	while (now_ms() - t0 < 2000) {
		struct pollfd pfd = { s.master, POLLIN, 0 };

		if (poll(&pfd, 1, 100) > 0)
			session_read(&s);
	}
	c1 = proc_cpu_ns(s.pid);

	/* The peak is Argon2's at unlock; what the UI holds is VmRSS. */
	hwm = proc_status_kb(s.pid, "VmHWM");
	rss = proc_status_kb(s.pid, "VmRSS");

	/* Out: cancel whatever is open, back to the visits, quit. */
	ui_read(&s.vt, &u);
	if (u.confirm)
		session_until(&s, "n", NULL, s.timeout_ms);
	for (i = 0; i < 8; i++) {
		ui_read(&s.vt, &u);
		if (u.screen == UI_VISITS)
			break;
		if (u.mode != UI_IDLE) {
			s.what = "Esc";
			session_write(&s, "\033", 1);
			session_settle(&s, 60, 60, s.timeout_ms);
			continue;
		}
		session_until(&s, "q", NULL, s.timeout_ms);
	}
	if (u.screen != UI_VISITS)
		die("cannot get back to the visits screen");
	s.what = "q";
	session_write(&s, "q", 1);
	t0 = now_ms();
	while (waitpid(s.pid, &status, WNOHANG) != s.pid) {
		struct pollfd pfd = { s.master, POLLIN, 0 };

		if (poll(&pfd, 1, 20) > 0)
			session_read(&s);
		if (now_ms() - t0 > 10000)
			die("the program did not quit");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		s.pid = 0;
		die("the program quit with status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status)
		                      : 128 + WTERMSIG(status));
	}

	printf("keys=%zu cpu_median_ms=%.3f", nkeys, median(cpu, nkeys));
	printf(" cpu_p99_ms=%.3f cpu_max_ms=%.3f", p99(cpu, nkeys),
	    cpu[nkeys - 1]);
	printf(" bytes_median=%.0f bytes_mean=%.0f", median(bytes, nkeys),
	    sum / (double)nkeys);
	printf(" maxrss_mib=%.1f total_s=%.1f", hwm / 1024.0, total_s);
	printf(" rss_end_mib=%.1f", rss / 1024.0);
	for (i = 0; i < K_KINDS; i++) {
		double med = median(bykind[i], nk[i]);

		printf(" %s_keys=%zu %s_median_ms=%.3f %s_p99_ms=%.3f",
		    kind_name[i], nk[i], kind_name[i], med, kind_name[i],
		    p99(bykind[i], nk[i]));
	}
	for (i = 0; i < K_KINDS; i++) {
		double med = median(bbykind[i], nk[i]);

		printf(" %s_bytes_median=%.0f %s_bytes_p99=%.0f", kind_name[i],
		    med, kind_name[i], p99(bbykind[i], nk[i]));
	}
	printf(" move_floor_median=%.0f", median(floor_move, nfloor));
	printf(" idle_cpu_ms_per_s=%.2f reviews=%ld",
	    (double)(c1 - c0) / 1e6 / 2.0, sc.reviews);
	/* The peer, in the same run: dialog --form, moves between fields. */
	if (peer_moves > 0) {
		double med;

		peer = calloc(peer_moves, sizeof *peer);
		dialog_peer(peer_moves, peer);
		med = median(peer, peer_moves);
		printf(" dialog_moves=%zu dialog_move_bytes_median=%.0f "
		       "dialog_move_bytes_p99=%.0f",
		    peer_moves, med, p99(peer, peer_moves));
		free(peer);
	}
	printf("\n");
	for (i = 0; i < K_KINDS; i++) {
		free(bykind[i]);
		free(bbykind[i]);
	}
	free(floor_move);
	free(cpu);
	free(bytes);
	return 0;
}
