/*
 * A checklist form: its sections and questions, as loaded from YAML by
 * form-load and checked by form-check.  Pure data: no YAML, no curses.
 */
#ifndef ANFANG_FORM_H
#define ANFANG_FORM_H

#include <stddef.h>

#include "anfang/crypt-hash.h"
#include "anfang/value.h"

struct form_expr;

enum form_type {
	FORM_YESNO,
	FORM_CHOICE,
	FORM_MULTI,
	FORM_NUMBER,
	FORM_SCALE,
	FORM_TEXT,
	FORM_DATE,
	FORM_TIME,
	FORM_TIMER,
	FORM_COUNT,
	FORM_NOTE,
	FORM_NTYPES
};

/* Whether the visit asks for a division or a person. */
enum form_field {
	FORM_FIELD_ABSENT = 0,
	FORM_FIELD_OPTIONAL,
	FORM_FIELD_REQUIRED,
};

enum form_severity {
	FORM_SEVERITY_LOW = 1,
	FORM_SEVERITY_MEDIUM,
	FORM_SEVERITY_HIGH,
};

struct form_pos {
	int line;
	int col;
};

struct form_choice {
	char *value;
	char *label;
};

/* Points for one answer: "yes"/"no", a choice value, or a scale number. */
struct form_score {
	char *answer;
	double points;
	struct form_pos pos;
};

/*
 * A target a question's figure over many visits should meet: the share (in
 * per cent, of the visits that answered it) of one answer, or the median,
 * 90th percentile or mean of the answers.
 */
enum form_figure {
	FORM_FIGURE_NONE = 0,
	FORM_FIGURE_SHARE,
	FORM_FIGURE_MEDIAN,
	FORM_FIGURE_P90,
	FORM_FIGURE_MEAN,
};

struct form_target {
	enum form_figure figure;
	char *of;     /* share: the answer ("yes", a choice or an option) */
	int at_most;  /* else at least */
	double bound; /* share: per cent; else in the answer's own unit */
	struct form_pos pos;
};

struct form_unit {
	char *id;
	char *name;
};

struct form_question {
	char *id;
	enum form_type type;
	char *label;
	char *hint;
	int required;
	struct value dflt; /* VALUE_NONE when there is no default */

	struct form_expr *show_if;
	struct form_expr *constraint;
	char *constraint_message;
	struct form_expr *warn_if;
	char *warn_message;
	struct form_expr *alert_if;
	enum form_severity severity;
	char *alert_message;

	struct form_choice *choices; /* choice, multi */
	size_t nchoices;
	struct form_score *scores;
	size_t nscores;

	/* number: bounds, unit and decimals; scale: min..max and labels. */
	int has_min;
	int has_max;
	double min;
	double max;
	char *unit;
	int decimals;
	char **labels;
	size_t nlabels;
	int lines;                 /* text */
	size_t max_length;         /* text, in characters */
	struct form_target target; /* FORM_FIGURE_NONE when none */

	size_t section;
	struct form_pos pos;
};

struct form_section {
	char *title;
	size_t first; /* index of its first question */
	size_t count;
};

struct form {
	char *id;
	long version;
	char *title;
	char *language;
	char *description;
	char *family; /* forms counted together (translations); NULL if none */
	/* How yes/no answers read (`yes:` / `no:`); NULL: by the language. */
	char *yes_label;
	char *no_label;
	enum form_field division;
	enum form_field person;

	struct form_unit *units;
	size_t nunits;
	char *units_file; /* the sites file named by `units:`, if any */

	struct form_section *sections;
	size_t nsections;
	struct form_question *questions; /* all questions, in order */
	size_t nquestions;

	/*
	 * Every question, each after the questions its show_if reads (set
	 * by form_check when the form has no error): visibility worked out
	 * in this order needs no recursion.  NULL before the check.
	 */
	size_t *show_order;

	/* private: question ids hashed to index + 1 (0 is empty) */
	size_t *index;
	size_t index_cap;

	char *path;
	char *text; /* the exact bytes the form was loaded from */
	size_t textlen;
	char hash[CRYPT_HASH_HEX]; /* BLAKE2b of text, in hex */

	int refs; /* private: holders beyond the first (form_ref) */
};

const char *form_type_name(enum form_type);
int form_type_from_name(const char *, enum form_type *);
const char *form_severity_name(enum form_severity);
/* "share", "median", "p90", "mean". */
const char *form_figure_name(enum form_figure);
/* Whether a value meets q's target (always when it has none). */
int form_target_met(const struct form_question *, double value);
/* Whether a question of this type holds an answer (all but note). */
int form_type_answers(enum form_type);
/* The kind of value an answer of this type has. */
enum value_kind form_type_value_kind(enum form_type);
/* Index of the question with this id, or -1. */
long form_find(const struct form *, const char *id);
/* The family a form is counted in: its family, else its own id. */
const char *form_family(const struct form *);
/* Make question i findable by form_find (the loader calls this). */
void form_index_add(struct form *, size_t i);
const struct form_choice *form_find_choice(
    const struct form_question *, const char *value);
/* Whether s is a real calendar date "YYYY-MM-DD" / a time "HH:MM". */
int form_valid_date(const char *s);
int form_valid_time(const char *s);
/* Why d does not suit a number, scale or count question (the caller
 * frees), or NULL. */
char *form_number_fits(const struct form_question *, double d);
/*
 * A yes/no answer as people read it, in the form's language: its `yes:` /
 * `no:` labels, else the language's own words ("是"/"否" for any zh),
 * else "yes"/"no".  Never what JSON or batches carry: those keep yes/no.
 */
const char *form_yesno_label(const struct form *, int yes);
/* Points for an answer, 0 when it scores nothing. */
double form_score(const struct form_question *, const struct value *);
/* One more holder: each form_ref needs its own form_free. */
struct form *form_ref(struct form *);
/* Let go of a form; the last holder frees it. */
void form_free(struct form *);

#endif
