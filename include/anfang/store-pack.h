/*
 * A final visit's answers as reports read them, packed into one compact
 * blob kept beside the visit's row for reports (store-report.c), so that a
 * period of visits is one sequential read.  No SQL here: the encoding is
 * plain bytes, unit-tested alone.
 *
 * Version 1 (all integers are unsigned LEB128 varints; a number is either
 * tag 4, a zigzag varint when it is a whole number that a double holds
 * exactly, or tag 3, its 8 IEEE 754 bytes, little-endian):
 *
 *   1                   the version
 *   N                   the number of questions of the visit's form
 *   score, score_max    two numbers, each a tag (3 or 4) and its payload
 *   then per question shown, in the form's order:
 *     gap               its index less the previous shown index + 1
 *                       (the first: its index)
 *     tag               low 3 bits the value's kind: 0 unanswered,
 *                       1 no, 2 yes, 3 a double, 4 a whole number,
 *                       5 a string (length, bytes), 6 a set (count, then
 *                       each as length, bytes); bits 3-4 the severity of
 *                       the alert it fired (0 none, 1 low .. 3 high);
 *                       bit 5 set for a string (5) or a set (6) of
 *                       the question's choices given by their positions
 *                       in the form (a varint, or a count and varints);
 *                       bits 6-7 zero
 *     payload
 *
 * The blob ends exactly after the last question.  Strings hold no NUL.
 */
#ifndef ANFANG_STORE_PACK_H
#define ANFANG_STORE_PACK_H

#include <stddef.h>

#include "anfang/form.h"
#include "anfang/value.h"

#define STORE_PACK_VERSION 1

struct store_pack {
	unsigned char *p;
	size_t len;
	size_t cap;
	size_t next; /* the index after the last question added */
};

/* Start a blob for a form of n questions (p is reused when not NULL). */
void store_pack_begin(
    struct store_pack *, size_t nquestions, double score, double score_max);
/*
 * Add a question shown, after those added before (question greater than
 * theirs); severity 0 when it fired no alert, else enum form_severity.
 * questions (may be NULL) are the form's: a choice goes as its position.
 */
void store_pack_add(struct store_pack *, const struct form_question *questions,
    size_t question, const struct value *, int severity);
void store_pack_free(struct store_pack *);

/*
 * Unpack a blob for a form of nquestions (questions: its questions, for
 * the choices given by position; NULL when none are): values[i] (cleared first)
 * is the question's value, VALUE_NONE when not shown or unanswered; seen[i]
 * whether it was shown; severity[i] its alert's severity (0 none).  0, or
 * -1 with *cause saying what is wrong with a damaged or foreign blob.
 */
int store_pack_read(const unsigned char *p, size_t len,
    const struct form_question *questions, size_t nquestions, double *score,
    double *score_max, struct value *values, unsigned char *seen,
    unsigned char *severity, char **cause);

#endif
