// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load/: a file written here is a module image; when its writer closes
 * it, the image is loaded and the result of the load becomes the result
 * of close() (FUSE flush).  The file then disappears.  Its load-time
 * parameters come from etc/modprobe.d and --cmdline (etc.c), looked up
 * by the module's own name once the loader knows it.
 *
 * The load runs on a thread of its own while the flush request waits for
 * it: a module whose init never returns blocks only its writer, and when
 * the daemon is told to go away the wait ends (EINTR) instead of keeping
 * the daemon alive forever.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "fs/fs.h"

struct load_job {
	struct memfile *mf;
	int result;
	bool done, abandoned;
	pthread_cond_t cond;
	struct load_job *next;
};

/*
 * Loader threads stay around between loads (a thread per load costs more
 * than the load itself); one more is started when all are busy, so a
 * module stuck in its init never delays another load.
 */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static struct load_job *queue_head, **queue_tail = &queue_head;
static unsigned int idle_loaders;

static int load_data(const char *data, size_t len, void *arg)
{
	(void)arg;
	return load_module(data, len, NULL, MODULE_INIT_COMPRESSED_FILE | fs_opts.load_flags);
}

static void job_free(struct load_job *job)
{
	pthread_cond_destroy(&job->cond);
	free(job);
}

static void *loader_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool_lock);
	for (;;) {
		struct load_job *job;
		int r;

		while (!queue_head) {
			idle_loaders++;
			pthread_cond_wait(&pool_cond, &pool_lock);
			idle_loaders--;
		}
		job = queue_head;
		queue_head = job->next;
		if (!queue_head)
			queue_tail = &queue_head;
		pthread_mutex_unlock(&pool_lock);

		r = memfile_with_data(job->mf, load_data, NULL);

		pthread_mutex_lock(&pool_lock);
		if (job->abandoned) {
			job_free(job);
		} else {
			job->result = r;
			job->done = true;
			pthread_cond_signal(&job->cond);
		}
	}
	return NULL;
}

/* 0 or the -errno finit_module would return; -EINTR at daemon exit. */
int load_commit(struct memfile *mf)
{
	struct load_job *job = calloc(1, sizeof(*job));
	pthread_condattr_t ca;
	int r = 0;

	if (!job)
		return -ENOMEM;
	job->mf = mf;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&job->cond, &ca);
	pthread_condattr_destroy(&ca);

	pthread_mutex_lock(&pool_lock);
	*queue_tail = job;
	queue_tail = &job->next;
	if (idle_loaders) {
		pthread_cond_signal(&pool_cond);
	} else {
		pthread_attr_t attr;
		pthread_t t;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		r = pthread_create(&t, &attr, loader_main, NULL);
		pthread_attr_destroy(&attr);
		if (r) {
			/* take the job back out: it is the last one queued */
			struct load_job **pp = &queue_head;

			while (*pp != job)
				pp = &(*pp)->next;
			*pp = NULL;
			queue_tail = pp;
			pthread_mutex_unlock(&pool_lock);
			job_free(job);
			return -r;
		}
		pthread_setname_np(t, "kmodfs-loader");
	}
	while (!job->done) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&job->cond, &pool_lock, &ts);
		if (!job->done && fuse_session_exited(fs_session)) {
			/* the loader frees the job when (if) the load ends */
			job->abandoned = true;
			pthread_mutex_unlock(&pool_lock);
			return -EINTR;
		}
	}
	r = job->result;
	pthread_mutex_unlock(&pool_lock);
	job_free(job);
	return r;
}
