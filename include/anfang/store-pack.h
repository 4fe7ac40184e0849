/*
 * A final visit's answers as reports read them, packed into one compact
 * blob kept beside the visit's row for reports (store-report.c), so that a
 * period of visits is one sequential read.  No SQL here: the encoding is
 * plain bytes, unit-tested alone.
 *
 * Version 2 (all integers are unsigned LEB128 varints; a number is either
 * tag 4, a zigzag varint when it is a whole number that a double holds
 * exactly, or tag 3, its 8 IEEE 754 bytes, little-endian):
 *
 *   2                   the version
 *   N                   the number of questions of the visit's form
 *   score, score_max    two numbers, each a tag (3 or 4) and its payload
 *   then per question shown, in the form's order:
 *     gap               its index less the previous shown index + 1
 *                       (the first: its index)
 *     tag               low 3 bits the value's kind: 0 unanswered,
 *                       1 no, 2 yes, 3 a double, 4 a whole number,
 *                       5 one of the question's choices, 6 a set (count,
 *                       then each as length, bytes), 7 a free text, kept
 *                       apart (no payload); bits 3-4 the severity of
 *                       the alert it fired (0 none, 1 low .. 3 high);
 *                       bit 5 set for a choice (5: always) or a set (6)
 *                       of the question's choices given by their
 *                       positions in the form (a varint, or a count and
 *                       varints); bits 6-7 zero
 *     payload
 *
 * The blob ends exactly after the last question.  Strings hold no NUL.
 *
 * A free text is a string that is none of its question's choices (what
 * text, date and time questions hold): reports count it but never read
 * it, and it is most of a visit's bytes, so it goes to a second blob, the
 * texts, read only by what shows it (a table of the visits' answers):
 *
 *   2                   the version
 *   then per kind 7 of the answers, in their order: length, bytes
 *
 * A visit without free text has no texts (an empty blob).
 *
 * Version 1 was version 2 without kind 7 or texts: its free texts lay
 * among the answers as strings (kind 5 without bit 5: length, bytes).
 * store_pack_split turns it into version 2.
 */
#ifndef ANFANG_STORE_PACK_H
#define ANFANG_STORE_PACK_H

#include <stddef.h>

#include "anfang/form.h"
#include "anfang/value.h"

#define STORE_PACK_VERSION 2

struct store_pack_buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

struct store_pack {
	struct store_pack_buf answers;
	struct store_pack_buf texts; /* len 0 when the visit has none */
	size_t next; /* the index after the last question added */
};

/* Start the blobs of a form of n questions (their memory is reused). */
void store_pack_begin(
    struct store_pack *, size_t nquestions, double score, double score_max);
/*
 * Add a question shown, after those added before (question greater than
 * theirs); severity 0 when it fired no alert, else enum form_severity.
 * questions (may be NULL) are the form's: a choice goes as its position,
 * a string that is none of its choices to the texts.
 */
void store_pack_add(struct store_pack *, const struct form_question *questions,
    size_t question, const struct value *, int severity);
void store_pack_free(struct store_pack *);

/*
 * Unpack the answers (p, len) of a form of nquestions (questions: its
 * questions, for the choices given by position; NULL when none are):
 * values[i] (cleared first) is the question's value, VALUE_NONE when not
 * shown or unanswered; seen[i] whether it was shown; severity[i] its
 * alert's severity (0 none).  texts (tlen bytes, 0 when the visit has
 * none) are its texts; NULL when they are not wanted: each free text is
 * then the empty string.  0, or -1 with *cause saying what is wrong with
 * damaged or foreign blobs.
 */
int store_pack_read(const unsigned char *p, size_t len,
    const unsigned char *texts, size_t tlen,
    const struct form_question *questions, size_t nquestions, double *score,
    double *score_max, struct value *values, unsigned char *seen,
    unsigned char *severity, char **cause);

/*
 * The version 2 blobs (into out, as store_pack_begin) of a version 1
 * blob, which needs no form: its strings that are not given by position
 * are its free texts.  0, or -1 with *cause when p is not a whole
 * version 1 blob.
 */
int store_pack_split(
    const unsigned char *p, size_t len, struct store_pack *out, char **cause);

#endif
