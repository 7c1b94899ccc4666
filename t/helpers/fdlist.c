/*
 * fdlist FILE: write the open descriptors this program was started with
 * to FILE, one number a line, in increasing order (the one reading
 * /proc/self/fd left out; FILE is opened only once they are collected).
 * Used by t/svrun.sh to see what svrun's -0 -1 -2 and -l leave open.
 * Exit 111 if /proc/self/fd or FILE cannot be used.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	int fds[1024], n = 0, i, j, t;
	struct dirent *de;
	FILE *f;
	DIR *d;

	if (argc != 2)
		return 100;
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 111;
	while ((de = readdir(d)) != NULL && n < 1024) {
		if (de->d_name[0] == '.')
			continue;
		t = atoi(de->d_name);
		if (t != dirfd(d))
			fds[n++] = t;
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	if ((f = fopen(argv[1], "w")) == NULL)
		return 111;
	for (i = 0; i < n; i++)
		fprintf(f, "%d\n", fds[i]);
	return fclose(f) == 0 ? 0 : 111;
}
