/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ownership of hugepage files.  A process holds, for its whole life,
 * - an exclusive lock on <rundir>/<prefix>.lock, so two processes never
 *   share a --file-prefix, and
 * - a shared lock on each of its hugepage files <huge-dir>/<prefix>map_<n>.
 * A file whose shared lock nobody holds belongs to a dead process (killed
 * before it could delete it): the next process with that prefix takes an
 * exclusive lock on it and deletes it, giving the pages back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_log.h"

static int run_lock_fd = -1;

static void run_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		eal_fmt(buf, n, "/run/vfnet");
	else if (xdg && *xdg)
		eal_fmt(buf, n, "%s/vfnet", xdg);
	else
		eal_fmt(buf, n, "/tmp/vfnet-%u", (unsigned int)geteuid());
}

int eal_run_lock(const char *prefix)
{
	char dir[PATH_MAX - 80], run_lock_path[PATH_MAX];
	int fd;

	run_dir(dir, sizeof(dir));
	if (mkdir(dir, 0700) && errno != EEXIST) {
		eal_error("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	eal_fmt(run_lock_path, sizeof(run_lock_path), "%s/%s.lock", dir,
		 prefix);
	fd = open(run_lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		eal_error("cannot open %s: %s", run_lock_path,
			  strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		eal_error("another vfnet process runs with --file-prefix %s; give this one another --file-prefix (or use --in-memory)",
			  prefix);
		return -1;
	}
	run_lock_fd = fd;
	return 0;
}

void eal_run_unlock(void)
{
	if (run_lock_fd < 0)
		return;
	/* the file stays: unlinking it would race with a process that has
	 * it open and is about to lock the orphaned inode */
	close(run_lock_fd);
	run_lock_fd = -1;
}

int eal_huge_reclaim_stale(const char *dir, const char *prefix)
{
	char name[64], path[PATH_MAX];
	size_t plen;
	struct dirent *de;
	int n = 0;
	DIR *d;

	eal_fmt(name, sizeof(name), "%smap_", prefix);
	plen = strlen(name);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, name, plen))
			continue;
		eal_fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			if (!unlink(path)) {
				n++;
				vfn_log(VFN_LOG_INFO, "EAL",
					"removed stale hugepage file %s", path);
			}
		}
		close(fd);
	}
	closedir(d);
	return n;
}
