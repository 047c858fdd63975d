// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * errno -> name, for %pe.
 *
 * The user-visible errnos are taken from the C library's <errno.h>: on
 * x86-64 Linux its values are the kernel's asm-generic ones, which the
 * static assertions below pin down.  Aliases (EWOULDBLOCK, EDEADLOCK,
 * ENOTSUP) share a number with their primary name, and Linux prints the
 * primary one, so the table holds exactly one name per number.  The
 * kernel-internal codes from 512 up never reach user space, so libc does
 * not define them and they are spelt out here.
 */
#include <errno.h>
#include <stddef.h>

#include "kernel/errname.h"

_Static_assert(EAGAIN == 11 && EDEADLK == 35 && EOPNOTSUPP == 95 &&
		       EHWPOISON == 133,
	       "errno numbering is not Linux x86-64's");

/* Every entry carries the leading '-'; errname() skips it for err > 0. */
#define NAME(e) [e] = "-" #e

static const char *const user_names[] = {
	NAME(EPERM), NAME(ENOENT), NAME(ESRCH), NAME(EINTR), NAME(EIO),
	NAME(ENXIO), NAME(E2BIG), NAME(ENOEXEC), NAME(EBADF), NAME(ECHILD),
	NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES), NAME(EFAULT),
	NAME(ENOTBLK), NAME(EBUSY), NAME(EEXIST), NAME(EXDEV), NAME(ENODEV),
	NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE),
	NAME(EMFILE), NAME(ENOTTY), NAME(ETXTBSY), NAME(EFBIG),
	NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS), NAME(EMLINK), NAME(EPIPE),
	NAME(EDOM), NAME(ERANGE), NAME(EDEADLK), NAME(ENAMETOOLONG),
	NAME(ENOLCK), NAME(ENOSYS), NAME(ENOTEMPTY), NAME(ELOOP),
	NAME(ENOMSG), NAME(EIDRM), NAME(ECHRNG), NAME(EL2NSYNC),
	NAME(EL3HLT), NAME(EL3RST), NAME(ELNRNG), NAME(EUNATCH),
	NAME(ENOCSI), NAME(EL2HLT), NAME(EBADE), NAME(EBADR), NAME(EXFULL),
	NAME(ENOANO), NAME(EBADRQC), NAME(EBADSLT), NAME(EBFONT),
	NAME(ENOSTR), NAME(ENODATA), NAME(ETIME), NAME(ENOSR),
	NAME(ENONET), NAME(ENOPKG), NAME(EREMOTE), NAME(ENOLINK),
	NAME(EADV), NAME(ESRMNT), NAME(ECOMM), NAME(EPROTO),
	NAME(EMULTIHOP), NAME(EDOTDOT), NAME(EBADMSG), NAME(EOVERFLOW),
	NAME(ENOTUNIQ), NAME(EBADFD), NAME(EREMCHG), NAME(ELIBACC),
	NAME(ELIBBAD), NAME(ELIBSCN), NAME(ELIBMAX), NAME(ELIBEXEC),
	NAME(EILSEQ), NAME(ERESTART), NAME(ESTRPIPE), NAME(EUSERS),
	NAME(ENOTSOCK), NAME(EDESTADDRREQ), NAME(EMSGSIZE),
	NAME(EPROTOTYPE), NAME(ENOPROTOOPT), NAME(EPROTONOSUPPORT),
	NAME(ESOCKTNOSUPPORT), NAME(EOPNOTSUPP), NAME(EPFNOSUPPORT),
	NAME(EAFNOSUPPORT), NAME(EADDRINUSE), NAME(EADDRNOTAVAIL),
	NAME(ENETDOWN), NAME(ENETUNREACH), NAME(ENETRESET),
	NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS), NAME(EISCONN),
	NAME(ENOTCONN), NAME(ESHUTDOWN), NAME(ETOOMANYREFS),
	NAME(ETIMEDOUT), NAME(ECONNREFUSED), NAME(EHOSTDOWN),
	NAME(EHOSTUNREACH), NAME(EALREADY), NAME(EINPROGRESS),
	NAME(ESTALE), NAME(EUCLEAN), NAME(ENOTNAM), NAME(ENAVAIL),
	NAME(EISNAM), NAME(EREMOTEIO), NAME(EDQUOT), NAME(ENOMEDIUM),
	NAME(EMEDIUMTYPE), NAME(ECANCELED), NAME(ENOKEY),
	NAME(EKEYEXPIRED), NAME(EKEYREVOKED), NAME(EKEYREJECTED),
	NAME(EOWNERDEAD), NAME(ENOTRECOVERABLE), NAME(ERFKILL),
	NAME(EHWPOISON),
};

#undef NAME

/*
 * include/linux/errno.h: codes the kernel uses internally (syscall
 * restart, probe deferral, NFS).  Indexed from 512.  ENOGRACE (531) has
 * no entry in Linux 6.1's table either, so it prints as a number.
 */
#define KERNEL_ERRNO_BASE 512
static const char *const kernel_names[] = {
	[512 - KERNEL_ERRNO_BASE] = "-ERESTARTSYS",
	[513 - KERNEL_ERRNO_BASE] = "-ERESTARTNOINTR",
	[514 - KERNEL_ERRNO_BASE] = "-ERESTARTNOHAND",
	[515 - KERNEL_ERRNO_BASE] = "-ENOIOCTLCMD",
	[516 - KERNEL_ERRNO_BASE] = "-ERESTART_RESTARTBLOCK",
	[517 - KERNEL_ERRNO_BASE] = "-EPROBE_DEFER",
	[518 - KERNEL_ERRNO_BASE] = "-EOPENSTALE",
	[519 - KERNEL_ERRNO_BASE] = "-ENOPARAM",
	[521 - KERNEL_ERRNO_BASE] = "-EBADHANDLE",
	[522 - KERNEL_ERRNO_BASE] = "-ENOTSYNC",
	[523 - KERNEL_ERRNO_BASE] = "-EBADCOOKIE",
	[524 - KERNEL_ERRNO_BASE] = "-ENOTSUPP",
	[525 - KERNEL_ERRNO_BASE] = "-ETOOSMALL",
	[526 - KERNEL_ERRNO_BASE] = "-ESERVERFAULT",
	[527 - KERNEL_ERRNO_BASE] = "-EBADTYPE",
	[528 - KERNEL_ERRNO_BASE] = "-EJUKEBOX",
	[529 - KERNEL_ERRNO_BASE] = "-EIOCBQUEUED",
	[530 - KERNEL_ERRNO_BASE] = "-ERECALLCONFLICT",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *errname(int err)
{
	/* unsigned, so INT_MIN cannot overflow on negation */
	unsigned int mag = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;
	const char *name = NULL;

	if (mag < ARRAY_LEN(user_names))
		name = user_names[mag];
	else if (mag >= KERNEL_ERRNO_BASE &&
		 mag - KERNEL_ERRNO_BASE < ARRAY_LEN(kernel_names))
		name = kernel_names[mag - KERNEL_ERRNO_BASE];

	if (!name)
		return NULL;
	return err > 0 ? name + 1 : name;
}
