/* Making a file's new name last: what a power cut must not undo. */
#ifndef ANFANG_FILE_H
#define ANFANG_FILE_H

/* fsync(2) of the file at path; 0, or -1 with errno. */
int file_sync(const char *path);
/* fsync(2) of the directory dir, so that the names it holds last. */
int file_sync_dir(const char *dir);
/* fsync(2) of the directory that holds path ("." for a bare name). */
int file_sync_parent(const char *path);

#endif
