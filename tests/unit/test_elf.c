// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hostile and malformed ELF input through load_module(): the ELF checks
 * of elf_validity_check() and setup_load_info() (facts §3), vermagic and
 * forced loads (§4), symbols (§6), layout (§8), the signature trailer
 * (§1), truncation at every section boundary and a seeded random
 * mutation sweep of the ELF and section headers.
 *
 * Every rejection is checked for its exact errno and its exact log line,
 * and that nothing stays behind in the registry.  The tests run in order
 * in one "boot": the once-per-boot messages are checked where they first
 * appear.
 *
 * The mutation sweep and the reproducers of loader crashes run in a fresh
 * copy of this program (KTEST_CHILD=...), so that a crash is reported
 * rather than taking the whole test program down.  A mutated module that
 * loads runs its own code, which a mutation can turn into garbage (a
 * relocation section that no longer applies, text that is no longer
 * executable): that is the module's fault, as it would be on Linux, and
 * the child tells such faults and sanitizer reports (a frame in module
 * code) from the loader's own.
 *
 * Tests named bug_* reproduce loader bugs found while writing these
 * tests; they fail until the bug is fixed (KTEST_SKIP_KNOWN_BUGS=1 leaves
 * them out).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kernel/modcall.h"
#include "kernel/taint.h"
#include "ktest.h"
#include "loader/module.h"
#include "loader/signature.h"

#define NONAME "(missing .modinfo section or name field)"
#define SIG_MARKER "~Module signature appended~\n"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct image hello(void)
{
	return example("hello.ko");
}

/* Load im; it must fail with err and log exactly line (if given), and
 * leave nothing in the registry. */
/* Load im with flags; it must load; unload it again. */
static void expect_load_flags(const struct image *im, const char *name, int flags)
{
	struct image c = image_dup(im);
	uint64_t m = log_mark();
	int r = load_module(c.data, c.len, "", flags);

	image_free(&c);
	if (r) {
		log_dump(m);
		fail_msg("load of %s returned %d", name, r);
	}
	assert_int_equal(delete_module(name, 0), 0);
	assert_int_equal(nr_kmodules(), 0);
}

static void expect_load(const struct image *im, const char *name)
{
	expect_load_flags(im, name, 0);
}

/* Grow the image by len bytes (data or zeros) at an aligned offset. */
static size_t image_append(struct image *im, const void *data, size_t len,
			   size_t align)
{
	size_t off = (im->len + align - 1) / align * align;
	uint8_t *p = realloc(im->data, off + len);

	assert_non_null(p);
	memset(p + im->len, 0, off - im->len);
	if (data)
		memcpy(p + off, data, len);
	else
		memset(p + off, 0, len);
	im->data = p;
	im->len = off + len;
	return off;
}

/* Rename section i: a grown copy of the section name table at the end. */
static void sec_rename(struct image *im, unsigned int i, const char *name)
{
	Elf64_Shdr *ss = shdr(im, ehdr(im)->e_shstrndx);
	size_t oldsz = ss->sh_size, n = strlen(name) + 1;
	uint8_t *tmp = malloc(oldsz + n);
	size_t off;

	assert_non_null(tmp);
	memcpy(tmp, im->data + ss->sh_offset, oldsz);
	memcpy(tmp + oldsz, name, n);
	off = image_append(im, tmp, oldsz + n, 1);
	free(tmp);
	ss = shdr(im, ehdr(im)->e_shstrndx);
	ss->sh_offset = off;
	ss->sh_size = oldsz + n;
	shdr(im, i)->sh_name = (uint32_t)oldsz;
}

static unsigned int must_sec(struct image *im, const char *name)
{
	unsigned int i = sec_index(im, name);

	if (!i)
		fail_msg("no section %s", name);
	return i;
}

/* The .modinfo entry starting with prefix (in the image). */
static char *modinfo_entry(struct image *im, const char *prefix)
{
	Elf64_Shdr *s = shdr(im, must_sec(im, ".modinfo"));
	char *p = (char *)im->data + s->sh_offset, *end = p + s->sh_size;

	for (; p < end; p += strlen(p) + 1)
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
	fail_msg("no modinfo entry %s", prefix);
	return NULL;
}

static Elf64_Shdr *symtab_hdr(struct image *im)
{
	return shdr(im, must_sec(im, ".symtab"));
}

static Elf64_Sym *must_sym(struct image *im, const char *name, unsigned int *index)
{
	Elf64_Sym *s = sym_by_name(im, name, index);

	if (!s)
		fail_msg("no symbol %s", name);
	return s;
}

static void expect_taints(const char *name, const char *taints)
{
	struct kmodule *km = kmodule_get_by_name(name);
	char t[32];

	assert_non_null(km);
	module_flags_taint(km->taints, t);
	kmodule_put(km);
	assert_string_equal(t, taints);
}

static bool skip_known_bugs(void)
{
	const char *s = getenv("KTEST_SKIP_KNOWN_BUGS");

	return s && *s && strcmp(s, "0") != 0;
}

/* ------------------------------------------------------------------ */
/* isolated runs: a case in a fresh copy of this program               */

/* module_alloc()'s arena (module_alloc.c): [ARENA_TOP - 1 GiB, ARENA_TOP) */
#define ARENA_LO 0x3fff0000ul
#define ARENA_HI 0x7fff0000ul

static int report_fd = -1;

static bool in_arena(uintptr_t a)
{
	return a >= ARENA_LO && a < ARENA_HI;
}

static void __attribute__((format(printf, 1, 2))) report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (report_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(report_fd, buf, (size_t)n) < 0)
		_exit(97);
}

/*
 * A fault, an abort (a sanitizer report, glibc's stack protector) or a
 * hang (SIGALRM) in the child: was module code running?  It was inside
 * modcall(), or if the faulting pc or a return address is in module
 * memory: a module that jumps into the daemon at random, or hands a
 * kernel function garbage, makes the daemon fault in its own code.
 */
static void crash_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	void *bt[64];
	int n = backtrace(bt, 64);
	bool in_module = in_arena(pc) || modcall_active();

	for (int i = 0; i < n; i++)
		if (in_arena((uintptr_t)bt[i]))
			in_module = true;
	report("C %d %d %#lx %#lx\n", sig, in_module, (unsigned long)pc,
	       (unsigned long)si->si_addr);
	_exit(in_module ? 98 : 99);
}

static void child_setup(void)
{
	static uint8_t altstack[1 << 16];
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGALRM, SIGABRT };
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	void *bt[4];

	report_fd = 3;
	backtrace(bt, 4);	/* load the unwinder now, not in the handler */
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* A tail-keeping buffer for a child's output. */
struct outbuf {
	char data[1 << 20];
	size_t len;
};

static void outbuf_add(struct outbuf *o, const char *p, size_t n)
{
	const size_t cap = sizeof(o->data) - 1;

	if (n > cap) {
		p += n - cap;
		n = cap;
	}
	if (o->len + n > cap) {	/* keep the tail: the last records matter */
		size_t drop = o->len + n - cap;

		memmove(o->data, o->data + drop, o->len - drop);
		o->len -= drop;
	}
	memcpy(o->data + o->len, p, n);
	o->len += n;
	o->data[o->len] = '\0';
}

struct child_result {
	int status;
	struct outbuf rep;	/* fd 3: the child's records (the tail) */
	struct outbuf err;	/* stderr: sanitizer reports */
	/* every record line, as it arrives (optional) */
	void (*on_line)(const char *line, void *arg);
	void *arg;
	char partial[512];
	size_t plen;
};

static void feed_lines(struct child_result *res, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (res->plen < sizeof(res->partial) - 1)
				res->partial[res->plen++] = p[i];
			continue;
		}
		res->partial[res->plen] = '\0';
		res->on_line(res->partial, res->arg);
		res->plen = 0;
	}
}

/* Run this program with KTEST_CHILD=spec; collect fd 3, stderr, status. */
static void run_child(const char *spec, struct child_result *res)
{
	extern char **environ;
	static char arg0[] = "ktest-child";
	char *argv[] = { arg0, NULL };
	char envspec[512], buf[4096], ubsan[512];
	char **envp;
	size_t n = 0, j = 0;
	posix_spawn_file_actions_t fa;
	struct pollfd pfd[2];
	int rp[2], ep[2], open_fds = 2;
	pid_t pid;

	snprintf(envspec, sizeof(envspec), "KTEST_CHILD=%s", spec);
	while (environ[n])
		n++;
	envp = calloc(n + 3, sizeof(*envp));
	assert_non_null(envp);
	/* sanitizer reports end in abort(), which the child reports */
	snprintf(ubsan, sizeof(ubsan), "UBSAN_OPTIONS=%s%sabort_on_error=1",
		 getenv("UBSAN_OPTIONS") ? getenv("UBSAN_OPTIONS") : "",
		 getenv("UBSAN_OPTIONS") ? ":" : "");
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "KTEST_CHILD=", 12) &&
		    strncmp(environ[i], "UBSAN_OPTIONS=", 14))
			envp[j++] = environ[i];
	envp[j++] = ubsan;
	envp[j] = envspec;

	assert_int_equal(pipe2(rp, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ep, O_CLOEXEC), 0);
	assert_true(rp[1] != 3 && ep[1] != 3);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, rp[1], 3);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	close(rp[1]);
	close(ep[1]);
	res->rep.len = res->err.len = res->plen = 0;
	res->rep.data[0] = res->err.data[0] = '\0';
	pfd[0] = (struct pollfd){ .fd = rp[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = ep[0], .events = POLLIN };
	while (open_fds > 0) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		for (int k = 0; k < 2; k++) {
			ssize_t r;

			if (pfd[k].fd < 0 || !pfd[k].revents)
				continue;
			r = read(pfd[k].fd, buf, sizeof(buf));
			if (r > 0) {
				outbuf_add(k ? &res->err : &res->rep, buf, (size_t)r);
				if (!k && res->on_line)
					feed_lines(res, buf, (size_t)r);
				continue;
			}
			close(pfd[k].fd);
			pfd[k].fd = -1;
			open_fds--;
		}
	}
	assert_int_equal(waitpid(pid, &res->status, 0), pid);
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == 99)
		snprintf(buf, len, "died outside module code (a loader crash, or a sanitizer report: see stderr)");
	else if (WEXITSTATUS(status) == 98)
		snprintf(buf, len, "faulted in module code");
	else
		snprintf(buf, len, "exited with %d", WEXITSTATUS(status));
}

/*
 * Sanitizer reports in a child's stderr: each UBSan or ASan report and
 * each leak is one block.  A block whose stack has a frame in module
 * code ("<unknown module>": modules have no symbols for the sanitizers)
 * or in modcall() (module code called into the daemon) was caused by the
 * module -- printk(NULL) from garbage code, memory
 * kasprintf()ed by an init that then faulted -- and is the module's
 * doing, as it would be on Linux.  Returns the number of blocks; *loader
 * counts those without a module frame.
 */
static unsigned int sanitizer_blocks(const char *err, unsigned int *loader)
{
	static const char *const starts[] = {
		"runtime error:", "ERROR: AddressSanitizer", "Direct leak of",
		"Indirect leak of",
	};
	unsigned int blocks = 0;
	bool open = false, module = false;

	*loader = 0;
	for (const char *line = err; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		bool start = false;

		for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
			if (memmem(line, len, starts[k], strlen(starts[k])))
				start = true;
		if (start) {
			if (open && !module)
				(*loader)++;
			open = true;
			module = false;
			blocks++;
		}
		if (open && (memmem(line, len, "(<unknown module>)", 18) ||
			     memmem(line, len, " in modcall ", 12)))
			module = true;
		line = nl ? nl + 1 : NULL;
	}
	if (open && !module)
		(*loader)++;
	return blocks;
}

/* A single case run isolated must end normally (exit 0). */
static void expect_isolated_ok(const char *spec)
{
	static struct child_result res;
	char why[160];

	unsigned int loader;

	run_child(spec, &res);
	if (WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0 &&
	    !sanitizer_blocks(res.err.data, &loader))
		return;
	describe_status(res.status, why, sizeof(why));
	fprintf(stderr, "%s", res.err.data);
	fail_msg("isolated case %s: %s; report: %s", spec, why, res.rep.data);
}

/* ------------------------------------------------------------------ */
/* §3 ELF header                                                       */

static void test_header_len(void **state)
{
	struct image im = hello(), s = { im.data, 63 };

	(void)state;
	expect_reject(&s, -ENOEXEC, "Invalid ELF header len 63");
	s.len = 0;
	expect_reject(&s, -ENOEXEC, "Invalid ELF header len 0");
	s.len = 1;
	expect_reject(&s, -ENOEXEC, "Invalid ELF header len 1");
	/* 64 bytes: a whole header, whose section table is then missing */
	s.len = 64;
	expect_reject(&s, -ENOEXEC, "Invalid ELF section header overflow");
	image_free(&im);
}

static void test_header_magic_type_machine(void **state)
{
	struct image im = hello(), c;

	(void)state;
	for (int i = 0; i < 4; i++) {
		c = image_dup(&im);
		c.data[i] ^= 0x20;
		expect_reject(&c, -ENOEXEC, "Invalid ELF header magic: != \177ELF");
		image_free(&c);
	}

	c = image_dup(&im);
	ehdr(&c)->e_type = ET_EXEC;
	expect_reject(&c, -ENOEXEC, "Invalid ELF header type: 2 != 1");
	ehdr(&c)->e_type = ET_DYN;
	expect_reject(&c, -ENOEXEC, "Invalid ELF header type: 3 != 1");
	ehdr(&c)->e_type = 0xffff;
	expect_reject(&c, -ENOEXEC, "Invalid ELF header type: 65535 != 1");
	ehdr(&c)->e_type = ET_REL;
	ehdr(&c)->e_machine = EM_386;
	expect_reject(&c, -ENOEXEC, "Invalid architecture in ELF header: 3");
	ehdr(&c)->e_machine = EM_AARCH64;
	expect_reject(&c, -ENOEXEC, "Invalid architecture in ELF header: 183");
	image_free(&c);

	/* the order of the checks: magic before type before machine */
	c = image_dup(&im);
	ehdr(&c)->e_type = ET_EXEC;
	ehdr(&c)->e_machine = EM_386;
	ehdr(&c)->e_shentsize = 1;
	expect_reject(&c, -ENOEXEC, "Invalid ELF header type: 2 != 1");
	c.data[0] = 0;
	expect_reject(&c, -ENOEXEC, "Invalid ELF header magic: != \177ELF");
	image_free(&c);
	image_free(&im);
}

static void test_header_class_data(void **state)
{
	struct image im = hello(), c = image_dup(&im);

	(void)state;
	/* kmodfs's own check (Linux relies on e_machine alone) */
	c.data[EI_CLASS] = ELFCLASS32;
	expect_reject(&c, -ENOEXEC,
		      "Invalid ELF header class/data: 1/1 != ELFCLASS64/ELFDATA2LSB");
	c.data[EI_CLASS] = ELFCLASS64;
	c.data[EI_DATA] = ELFDATA2MSB;
	expect_reject(&c, -ENOEXEC,
		      "Invalid ELF header class/data: 2/2 != ELFCLASS64/ELFDATA2LSB");
	c.data[EI_DATA] = 0;
	expect_reject(&c, -ENOEXEC,
		      "Invalid ELF header class/data: 2/0 != ELFCLASS64/ELFDATA2LSB");
	image_free(&c);
	image_free(&im);
}

/* Fields Linux 6.1 does not look at: the module loads (facts §3.4). */
static void test_header_unchecked_fields(void **state)
{
	struct image im = hello(), c;

	(void)state;
	c = image_dup(&im);
	ehdr(&c)->e_version = 0;
	ehdr(&c)->e_flags = 0xdeadbeef;
	ehdr(&c)->e_ehsize = 0;
	ehdr(&c)->e_entry = 0x1234;
	c.data[EI_OSABI] = ELFOSABI_LINUX;
	c.data[EI_ABIVERSION] = 7;
	c.data[EI_PAD] = 0xff;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

/* kmodfs's own check, as for the class: libelf needs EV_CURRENT (Linux
 * does not look at EI_VERSION) */
static void test_header_ei_version(void **state)
{
	struct image im = hello();

	(void)state;
	im.data[EI_VERSION] = 0;
	expect_reject(&im, -ENOEXEC, "Invalid ELF header version: 0 != 1");
	im.data[EI_VERSION] = 2;
	expect_reject(&im, -ENOEXEC, "Invalid ELF header version: 2 != 1");
	image_free(&im);
}

static void test_header_program_headers_ignored(void **state)
{
	struct image im = hello(), c = image_dup(&im);

	(void)state;
	/* Linux never looks at program headers; garbage ones are fine */
	ehdr(&c)->e_phoff = 0xfffffffffff0ull;
	ehdr(&c)->e_phnum = 0x7fff;
	ehdr(&c)->e_phentsize = 56;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_section_header_table(void **state)
{
	struct image im = hello(), c;
	unsigned int n = ehdr(&im)->e_shnum, ss = ehdr(&im)->e_shstrndx;
	uint64_t shbytes = (uint64_t)n * sizeof(Elf64_Shdr);

	(void)state;
	c = image_dup(&im);
	ehdr(&c)->e_shentsize = 40;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header size");
	ehdr(&c)->e_shentsize = 0;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header size");
	ehdr(&c)->e_shentsize = 65;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header size");
	image_free(&c);

	/* e_shoff at, past and far past the end */
	c = image_dup(&im);
	ehdr(&c)->e_shoff = c.len;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	ehdr(&c)->e_shoff = c.len + 4096;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	ehdr(&c)->e_shoff = ~0ull;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	ehdr(&c)->e_shoff = ~0ull - 63;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	/* one byte short of the table */
	ehdr(&c)->e_shoff = c.len - shbytes + 1;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	image_free(&c);

	/* e_shnum * 64 beyond the end */
	c = image_dup(&im);
	ehdr(&c)->e_shnum = 0xffff;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	ehdr(&c)->e_shnum = (uint16_t)(n + 1);
	expect_reject(&c, -ENOEXEC, "Invalid ELF section header overflow");
	image_free(&c);

	/* e_shstrndx */
	c = image_dup(&im);
	ehdr(&c)->e_shstrndx = 0;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF section name index: 0 || e_shstrndx (0) >= e_shnum (%u)", n);
	ehdr(&c)->e_shstrndx = (uint16_t)n;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF section name index: %u || e_shstrndx (%u) >= e_shnum (%u)",
		       n, n, n);
	ehdr(&c)->e_shstrndx = SHN_XINDEX;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF section name index: 65535 || e_shstrndx (65535) >= e_shnum (%u)",
		       n);
	image_free(&c);

	/* e_shnum 0 (extended numbering is not supported) */
	c = image_dup(&im);
	ehdr(&c)->e_shnum = 0;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF section name index: %u || e_shstrndx (%u) >= e_shnum (0)",
		       ss, ss);
	image_free(&c);

	/* fewer sections: shstrndx (the last one) now out of range */
	c = image_dup(&im);
	assert_int_equal(ss, n - 1);
	ehdr(&c)->e_shnum = (uint16_t)ss;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF section name index: %u || e_shstrndx (%u) >= e_shnum (%u)",
		       ss, ss, ss);
	image_free(&c);
	image_free(&im);
}

static void test_section_name_table(void **state)
{
	struct image im = hello(), c;
	unsigned int ss = ehdr(&im)->e_shstrndx;

	(void)state;
	c = image_dup(&im);
	shdr(&c, ss)->sh_offset = c.len;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section hdr(type 3)");
	shdr(&c, ss)->sh_offset = shdr(&im, ss)->sh_offset;
	shdr(&c, ss)->sh_size = c.len;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section hdr(type 3)");
	/* offset + size wraps around */
	shdr(&c, ss)->sh_size = ~0ull - shdr(&im, ss)->sh_offset + 2;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section hdr(type 3)");
	shdr(&c, ss)->sh_size = 0;
	expect_reject(&c, -ENOEXEC, "empty section name table");
	image_free(&c);

	/* its type is not checked, its range is (with its type in the message) */
	c = image_dup(&im);
	shdr(&c, ss)->sh_type = SHT_NOBITS;
	shdr(&c, ss)->sh_offset = ~0ull;
	expect_reject(&c, -ENOEXEC, "Invalid ELF section hdr(type 8)");
	image_free(&c);

	c = image_dup(&im);
	c.data[shdr(&c, ss)->sh_offset + shdr(&c, ss)->sh_size - 1] = 'x';
	expect_reject(&c, -ENOEXEC,
		      "ELF Spec violation: section name table isn't null terminated");
	image_free(&c);

	/* one byte shorter: it ends in the last name's last character */
	c = image_dup(&im);
	shdr(&c, ss)->sh_size -= 1;
	expect_reject(&c, -ENOEXEC,
		      "ELF Spec violation: section name table isn't null terminated");
	image_free(&c);
	image_free(&im);
}

static void test_section_zero(void **state)
{
	struct image im = hello(), c;

	(void)state;
	c = image_dup(&im);
	shdr(&c, 0)->sh_type = SHT_PROGBITS;
	expect_reject(&c, -ENOEXEC,
		      "ELF Spec violation: section 0 type(1)!=SH_NULL or non-zero len or addr");
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, 0)->sh_size = 1;
	expect_reject(&c, -ENOEXEC,
		      "ELF Spec violation: section 0 type(0)!=SH_NULL or non-zero len or addr");
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, 0)->sh_addr = 0x1000;
	expect_reject(&c, -ENOEXEC,
		      "ELF Spec violation: section 0 type(0)!=SH_NULL or non-zero len or addr");
	image_free(&c);
	/* its flags count for W+X, as every section's */
	c = image_dup(&im);
	shdr(&c, 0)->sh_flags = SHF_WRITE | SHF_EXECINSTR;
	expect_reject(&c, -ENOEXEC, "hello: section  (index 0) has invalid WRITE|EXEC flags");
	image_free(&c);
	/* other fields of section 0 are not checked */
	c = image_dup(&im);
	shdr(&c, 0)->sh_offset = ~0ull;
	shdr(&c, 0)->sh_link = 12345;
	shdr(&c, 0)->sh_info = 12345;
	shdr(&c, 0)->sh_entsize = 3;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_symtab_link(void **state)
{
	struct image im = hello(), c = image_dup(&im);
	Elf64_Shdr *st = symtab_hdr(&c);
	unsigned int n = ehdr(&im)->e_shnum;

	(void)state;
	st->sh_link = 0;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF sh_link!=SHN_UNDEF(0) or (sh_link(0) >= hdr->e_shnum(%u)", n);
	st->sh_link = n;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF sh_link!=SHN_UNDEF(%u) or (sh_link(%u) >= hdr->e_shnum(%u)",
		       n, n, n);
	st->sh_link = 0xffffffff;
	expect_rejectf(&c, -ENOEXEC,
		       "Invalid ELF sh_link!=SHN_UNDEF(-1) or (sh_link(-1) >= hdr->e_shnum(%u)", n);
	image_free(&c);
	image_free(&im);
}

static void test_section_bounds(void **state)
{
	struct image im = hello(), c;
	unsigned int text = must_sec(&im, ".text.unlikely");
	unsigned int rela = must_sec(&im, ".rela.text.unlikely");
	unsigned int sym = must_sec(&im, ".symtab");
	unsigned int com = must_sec(&im, ".comment");

	(void)state;
	/* offset + size wraps */
	c = image_dup(&im);
	shdr(&c, text)->sh_offset = ~0ull - 0xf;
	shdr(&c, text)->sh_size = 0x20;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", text);
	shdr(&c, text)->sh_offset = 0x40;
	shdr(&c, text)->sh_size = ~0ull;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", text);
	/* one byte past the end; exactly at the end is fine (an empty one) */
	shdr(&c, text)->sh_offset = c.len - 0x28;
	shdr(&c, text)->sh_size = 0x29;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", text);
	image_free(&c);

	c = image_dup(&im);
	shdr(&c, rela)->sh_size += c.len;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 4)", rela);
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, sym)->sh_offset = c.len;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 2)", sym);
	image_free(&c);
	/* non-allocated sections are checked too */
	c = image_dup(&im);
	shdr(&c, com)->sh_offset = c.len - 1;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", com);
	image_free(&c);
	/* the first bad section is reported */
	c = image_dup(&im);
	shdr(&c, com)->sh_offset = c.len;
	shdr(&c, text)->sh_offset = c.len;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", text);
	image_free(&c);

	/* NOBITS and NULL sections have no contents to check */
	c = image_dup(&im);
	shdr(&c, must_sec(&c, ".bss"))->sh_offset = ~0ull;
	shdr(&c, must_sec(&c, ".bss"))->sh_size = 64;
	shdr(&c, com)->sh_type = SHT_NULL;
	shdr(&c, com)->sh_offset = ~0ull;
	expect_load(&c, "hello");
	image_free(&c);
	/* an empty section at the very end */
	c = image_dup(&im);
	shdr(&c, com)->sh_offset = c.len;
	shdr(&c, com)->sh_size = 0;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_section_name_bounds(void **state)
{
	struct image im = hello(), c;
	unsigned int ss = ehdr(&im)->e_shstrndx;
	uint32_t size = (uint32_t)shdr(&im, ss)->sh_size;
	unsigned int text = must_sec(&im, ".text.unlikely");

	(void)state;
	c = image_dup(&im);
	shdr(&c, text)->sh_name = size;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section name in module (section %u type 1)", text);
	shdr(&c, text)->sh_name = 0xffffffff;
	expect_rejectf(&c, -ENOEXEC, "Invalid ELF section name in module (section %u type 1)", text);
	image_free(&c);
	c = image_dup(&im);	/* NOBITS is not checked */
	{
		unsigned int data = must_sec(&c, ".data");

		shdr(&c, data)->sh_name = 0xffffffff;
		shdr(&c, data)->sh_type = SHT_NOBITS;
	}
	expect_load(&c, "hello");
	image_free(&c);

	/* the last byte of the table (the empty name) is in range */
	c = image_dup(&im);
	shdr(&c, must_sec(&c, ".rodata.str1.1"))->sh_name = size - 1;
	expect_load(&c, "hello");
	image_free(&c);

	/* names of non-allocated sections are not checked */
	c = image_dup(&im);
	{
		unsigned int com = must_sec(&c, ".comment"), dbg = must_sec(&c, ".debug_info");

		shdr(&c, com)->sh_name = 0xfffffff0;
		shdr(&c, dbg)->sh_name = size;
	}
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* §3.11 setup_load_info                                               */

static void test_no_symtab(void **state)
{
	struct image im = hello(), c;
	unsigned int sym = must_sec(&im, ".symtab");

	(void)state;
	c = image_dup(&im);
	shdr(&c, sym)->sh_type = SHT_PROGBITS;
	expect_reject(&c, -ENOEXEC, "hello: module has no symbols (stripped?)");
	/* .modinfo must be allocated to be found: no name then */
	shdr(&c, must_sec(&c, ".modinfo"))->sh_flags &= ~(uint64_t)SHF_ALLOC;
	expect_reject(&c, -ENOEXEC, NONAME ": module has no symbols (stripped?)");
	image_free(&c);

	/* .modinfo without a name= entry */
	c = image_dup(&im);
	shdr(&c, sym)->sh_type = SHT_PROGBITS;
	memcpy(modinfo_entry(&c, "name="), "nomx=", 5);
	expect_reject(&c, -ENOEXEC, NONAME ": module has no symbols (stripped?)");
	image_free(&c);

	/* the first SYMTAB is the one: a second (DYNSYM) does not count */
	c = image_dup(&im);
	shdr(&c, sym)->sh_type = SHT_DYNSYM;
	expect_reject(&c, -ENOEXEC, "hello: module has no symbols (stripped?)");
	image_free(&c);
	image_free(&im);
}

static void test_no_this_module(void **state)
{
	struct image im = hello(), c;
	unsigned int mod = must_sec(&im, ".gnu.linkonce.this_module");

	(void)state;
	c = image_dup(&im);
	shdr(&c, mod)->sh_flags &= ~(uint64_t)SHF_ALLOC;
	expect_reject(&c, -ENOEXEC, "hello: No module found in object");
	memcpy(modinfo_entry(&c, "name="), "nomx=", 5);
	expect_reject(&c, -ENOEXEC, NONAME ": No module found in object");
	image_free(&c);

	c = image_dup(&im);
	sec_rename(&c, mod, ".gnu.linkonce.this_modul");
	expect_reject(&c, -ENOEXEC, "hello: No module found in object");
	image_free(&c);

	/* without a .modinfo name, this_module's name names the module */
	c = image_dup(&im);
	memcpy(modinfo_entry(&c, "name="), "nomx=", 5);
	shdr(&c, symtab_hdr(&c)->sh_link)->sh_type = SHT_PROGBITS;
	expect_rejectf(&c, -ENOEXEC, "hello: invalid symbol string table (section %u)",
		       must_sec(&c, ".strtab"));
	image_free(&c);
	image_free(&im);
}

#define THIS_MODULE_MSG                                                      \
	"%s: .gnu.linkonce.this_module has size %u, alignment %u and flags %#x, " \
	"not the 896-byte writable struct module of this kernel"

/*
 * kmodfs's own checks of struct module (Linux 6.1 has none; 6.4+ checks
 * the size): whole, aligned, a string for a name, and writable -- the
 * loader keeps state and refcnt there, so text, read-only or
 * read-only-after-init memory would fault under it.
 */
static void test_this_module_shape(void **state)
{
	struct image im = hello(), c;
	unsigned int mod = must_sec(&im, ".gnu.linkonce.this_module");

	(void)state;
	c = image_dup(&im);
	shdr(&c, mod)->sh_size = 448;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 448, 64, 0x3);
	shdr(&c, mod)->sh_size = 897;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 897, 64, 0x3);
	shdr(&c, mod)->sh_size = 896;
	shdr(&c, mod)->sh_addralign = 4;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 4, 0x3);
	shdr(&c, mod)->sh_addralign = 24;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 24, 0x3);
	shdr(&c, mod)->sh_addralign = 64;
	shdr(&c, mod)->sh_type = SHT_NOBITS;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 64, 0x3);
	shdr(&c, mod)->sh_type = SHT_PROGBITS;
	/* read-only, text, read-only after init */
	shdr(&c, mod)->sh_flags = SHF_ALLOC;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 64, 0x2);
	shdr(&c, mod)->sh_flags = SHF_ALLOC | SHF_EXECINSTR;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 64, 0x6);
	shdr(&c, mod)->sh_flags = SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR;	/* before W+X */
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 64, 0x7);
	shdr(&c, mod)->sh_flags = SHF_ALLOC | SHF_WRITE | 0x00200000;
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, "hello", 896, 64, 0x200003);
	/* without a .modinfo name the message has none either */
	memcpy(modinfo_entry(&c, "name="), "nomx=", 5);
	expect_rejectf(&c, -ENOEXEC, THIS_MODULE_MSG, NONAME, 896, 64, 0x200003);
	image_free(&c);

	/* the name in struct module must be a string */
	c = image_dup(&im);
	memset(c.data + shdr(&c, mod)->sh_offset + 24, 'A', 56);
	expect_reject(&c, -ENOEXEC,
		      "hello: module name in .gnu.linkonce.this_module isn't null terminated");
	memcpy(modinfo_entry(&c, "name="), "nomx=", 5);
	expect_reject(&c, -ENOEXEC,
		      NONAME ": module name in .gnu.linkonce.this_module isn't null terminated");
	image_free(&c);

	/* a 55-character name is fine, and names the module */
	c = image_dup(&im);
	memset(c.data + shdr(&c, mod)->sh_offset + 24, 'a', 55);
	expect_load(&c, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	image_free(&c);
	image_free(&im);
}

static void test_symtab_shape(void **state)
{
	struct image im = hello(), c;
	unsigned int sym = must_sec(&im, ".symtab"), str = must_sec(&im, ".strtab");
	uint64_t size = shdr(&im, sym)->sh_size, strsize = shdr(&im, str)->sh_size;
	unsigned int nsyms = (unsigned int)(size / sizeof(Elf64_Sym)), k;

	(void)state;
	/* kmodfs's own checks of the symbol table and its strings */
	c = image_dup(&im);
	shdr(&c, sym)->sh_entsize = 0;
	expect_rejectf(&c, -ENOEXEC, "hello: invalid symbol table (size %" PRIu64 ", entsize 0)",
		       size);
	shdr(&c, sym)->sh_entsize = 24;
	shdr(&c, sym)->sh_size = size - 1;
	expect_rejectf(&c, -ENOEXEC, "hello: invalid symbol table (size %" PRIu64 ", entsize 24)",
		       size - 1);
	shdr(&c, sym)->sh_size = 0;
	expect_reject(&c, -ENOEXEC, "hello: invalid symbol table (size 0, entsize 24)");
	image_free(&c);

	c = image_dup(&im);
	shdr(&c, sym)->sh_link = must_sec(&c, ".bss");
	expect_rejectf(&c, -ENOEXEC, "hello: invalid symbol string table (section %u)",
		       must_sec(&c, ".bss"));
	shdr(&c, sym)->sh_link = str;
	shdr(&c, str)->sh_size = 0;
	expect_rejectf(&c, -ENOEXEC, "hello: invalid symbol string table (section %u)", str);
	image_free(&c);

	/* a non-NUL-terminated .strtab */
	c = image_dup(&im);
	{
		Elf64_Shdr *st = shdr(&c, must_sec(&c, ".strtab"));

		c.data[st->sh_offset + st->sh_size - 1] = 'x';
	}
	expect_reject(&c, -ENOEXEC, "hello: symbol string table isn't null terminated");
	image_free(&c);

	/* a symbol name beyond .strtab */
	c = image_dup(&im);
	must_sym(&c, "hello_init", &k)->st_name = (uint32_t)strsize;
	expect_rejectf(&c, -ENOEXEC, "hello: symbol %u has an invalid name offset %" PRIu64,
		       k, strsize);
	image_free(&c);
	c = image_dup(&im);
	((Elf64_Sym *)(c.data + shdr(&c, sym)->sh_offset))[nsyms - 1].st_name = 0xffffffff;
	expect_rejectf(&c, -ENOEXEC, "hello: symbol %u has an invalid name offset 4294967295",
		       nsyms - 1);
	image_free(&c);
	/* the last byte (the NUL) is a valid name offset */
	c = image_dup(&im);
	must_sym(&c, "hello_init", NULL)->st_name = (uint32_t)strsize - 1;
	expect_load(&c, "hello");
	image_free(&c);

	/* .strtab may be any in-bounds STRTAB: .shstrtab gives other names,
	 * and undefined symbols then do not resolve */
	c = image_dup(&im);
	shdr(&c, sym)->sh_link = ehdr(&c)->e_shstrndx;
	{
		Elf64_Shdr *ssh = shdr(&c, ehdr(&c)->e_shstrndx);
		const char *names = (const char *)c.data + ssh->sh_offset;
		uint64_t m = log_mark();
		unsigned int undef = 0;
		char line[256];

		assert_int_equal(load_image(&c, ""), -ENOENT);
		for (k = 1; k < nsyms; k++) {
			Elf64_Sym *y = (Elf64_Sym *)(c.data + shdr(&c, sym)->sh_offset) + k;

			if (y->st_shndx != SHN_UNDEF)
				continue;
			assert_true(y->st_name < ssh->sh_size);
			snprintf(line, sizeof(line), "hello: Unknown symbol %s (err -2)",
				 names + y->st_name);
			assert_line(m, line);
			undef++;
		}
		assert_int_equal(undef, 3);
	}
	assert_int_equal(nr_kmodules(), 0);
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* §3.14 W+X, §3.15 symbols, §3.16 ctors                               */

static void test_write_exec(void **state)
{
	struct image im = hello(), c;
	unsigned int text = must_sec(&im, ".text.unlikely"), com = must_sec(&im, ".comment");
	unsigned int data = must_sec(&im, ".data"), bss = must_sec(&im, ".bss");

	(void)state;
	c = image_dup(&im);
	shdr(&c, text)->sh_flags |= SHF_WRITE;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: section .text.unlikely (index %u) has invalid WRITE|EXEC flags", text);
	/* named after struct module, not after .modinfo's name= */
	memcpy(modinfo_entry(&c, "name=") + 5, "hallo", 5);
	expect_rejectf(&c, -ENOEXEC,
		       "hello: section .text.unlikely (index %u) has invalid WRITE|EXEC flags", text);
	image_free(&c);
	/* any section, allocated or not; the first one is reported */
	c = image_dup(&im);
	shdr(&c, com)->sh_flags |= SHF_WRITE | SHF_EXECINSTR;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: section .comment (index %u) has invalid WRITE|EXEC flags", com);
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, data)->sh_flags |= SHF_EXECINSTR;
	shdr(&c, bss)->sh_flags |= SHF_EXECINSTR;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: section .data (index %u) has invalid WRITE|EXEC flags", data);
	image_free(&c);
	/* W+X is checked after vermagic */
	c = image_dup(&im);
	shdr(&c, text)->sh_flags |= SHF_WRITE;
	modinfo_entry(&c, "vermagic=")[9] = '7';
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '7.1.0-kmodfs SMP preempt mod_unload ' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	image_free(&c);
	image_free(&im);
}

static void test_symbol_section_index(void **state)
{
	struct image im = hello(), c;
	unsigned int n = ehdr(&im)->e_shnum;

	(void)state;
	c = image_dup(&im);
	must_sym(&c, "hello_init", NULL)->st_shndx = (uint16_t)n;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: Symbol hello_init has an invalid section index %u (max %u)", n, n - 1);
	must_sym(&c, "hello_init", NULL)->st_shndx = SHN_LORESERVE;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: Symbol hello_init has an invalid section index 65280 (max %u)", n - 1);
	must_sym(&c, "hello_init", NULL)->st_shndx = SHN_XINDEX;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: Symbol hello_init has an invalid section index 65535 (max %u)", n - 1);
	/* named after struct module */
	memcpy(modinfo_entry(&c, "name=") + 5, "hallo", 5);
	expect_rejectf(&c, -ENOEXEC,
		       "hello: Symbol hello_init has an invalid section index 65535 (max %u)", n - 1);
	image_free(&c);

	/* every bad symbol is reported, the load fails with the last error */
	c = image_dup(&im);
	must_sym(&c, "hello_init", NULL)->st_shndx = 100;
	must_sym(&c, "hello_exit", NULL)->st_shndx = 200;
	{
		uint64_t m = log_mark();
		char line[128];

		assert_int_equal(load_image(&c, ""), -ENOEXEC);
		snprintf(line, sizeof(line),
			 "hello: Symbol hello_init has an invalid section index 100 (max %u)", n - 1);
		assert_line(m, line);
		snprintf(line, sizeof(line),
			 "hello: Symbol hello_exit has an invalid section index 200 (max %u)", n - 1);
		assert_line(m, line);
		assert_int_equal(nr_kmodules(), 0);
	}
	image_free(&c);

	/* SHN_ABS and SHN_LIVEPATCH symbols are left alone */
	c = image_dup(&im);
	must_sym(&c, "hello_init", NULL)->st_shndx = SHN_ABS;
	must_sym(&c, "hello_exit", NULL)->st_shndx = 0xff20;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_symbol_common(void **state)
{
	struct image im = hello(), c;
	Elf64_Sym *s;
	uint64_t m;

	(void)state;
	c = image_dup(&im);
	must_sym(&c, "hello_init", NULL)->st_shndx = SHN_COMMON;
	expect_reject(&c, -ENOEXEC, "hello: please compile with -fno-common");
	image_free(&c);

	/* undefined and common symbols together: both reported, last error */
	c = image_dup(&im);
	must_sym(&c, "hello_exit", NULL)->st_shndx = SHN_COMMON;
	s = must_sym(&c, "_printk", NULL);
	memcpy(c.data + shdr(&c, must_sec(&c, ".strtab"))->sh_offset + s->st_name,
	       "_prinTk", 7);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), -ENOENT);
	assert_line(m, "hello: please compile with -fno-common");
	assert_line(m, "hello: Unknown symbol _prinTk (err -2)");
	assert_int_equal(nr_kmodules(), 0);
	image_free(&c);

	/* except LTO's: "hello_init" renamed in place to "__gnu_lto_" */
	c = image_dup(&im);
	s = must_sym(&c, "hello_init", NULL);
	s->st_shndx = SHN_COMMON;
	memcpy(c.data + shdr(&c, must_sec(&c, ".strtab"))->sh_offset + s->st_name,
	       "__gnu_lto_", 10);
	m = log_mark();
	expect_load(&c, "hello");
	assert_false(log_has(m, "-fno-common"));
	image_free(&c);
	image_free(&im);
}

static void test_ctors_and_init_array(void **state)
{
	struct image im = hello(), c;
	unsigned int a, b;

	(void)state;
	c = image_dup(&im);
	a = must_sec(&c, ".data");
	b = must_sec(&c, ".bss");
	sec_rename(&c, a, ".ctors");
	sec_rename(&c, b, ".init_array");
	expect_reject(&c, -EINVAL, "hello: has both .ctors and .init_array.");
	image_free(&c);

	/* only allocated sections count */
	c = image_dup(&im);
	sec_rename(&c, must_sec(&c, ".data"), ".ctors");
	sec_rename(&c, must_sec(&c, ".comment"), ".init_array");
	expect_load(&c, "hello");
	image_free(&c);

	/* __obsparm only warns */
	c = image_dup(&im);
	sec_rename(&c, must_sec(&c, ".data"), "__obsparm");
	{
		uint64_t m = log_mark();

		expect_load(&c, "hello");
		assert_line(m, "hello: Ignoring obsolete parameters");
	}
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* §4 vermagic and forced loads                                        */

static void test_vermagic_mismatch(void **state)
{
	struct image im = hello(), c;
	char *v;

	(void)state;
	c = image_dup(&im);
	v = modinfo_entry(&c, "vermagic=");
	v[strlen("vermagic=6.1.0-kmodf")] = 'Z';
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '6.1.0-kmodfZ SMP preempt mod_unload ' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	image_free(&c);

	/* without modversions the whole string counts, the space too */
	c = image_dup(&im);
	v = modinfo_entry(&c, "vermagic=");
	v[strlen(v) - 1] = '_';
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '6.1.0-kmodfs SMP preempt mod_unload_' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	v[strlen(v) - 1] = '\0';
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '6.1.0-kmodfs SMP preempt mod_unload' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	v[strlen("vermagic=")] = '\0';
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	image_free(&c);

	/* the message names the module by its .modinfo name */
	c = image_dup(&im);
	memcpy(modinfo_entry(&c, "name=") + 5, "hallo", 5);
	modinfo_entry(&c, "vermagic=")[9] = '7';
	expect_reject(&c, -ENOEXEC,
		      "hallo: version magic '7.1.0-kmodfs SMP preempt mod_unload ' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	image_free(&c);
	/* .modinfo's last string (vermagic) not NUL-terminated: it ends
	 * with the section (Linux reads on into the NUL padding after it) */
	c = image_dup(&im);
	{
		Elf64_Shdr *mi = shdr(&c, must_sec(&c, ".modinfo"));

		assert_int_equal(c.data[mi->sh_offset + mi->sh_size - 1], '\0');
		assert_int_equal(c.data[mi->sh_offset + mi->sh_size], '\0');
		c.data[mi->sh_offset + mi->sh_size - 1] = 'X';
	}
	expect_reject(&c, -ENOEXEC,
		      "hello: version magic '6.1.0-kmodfs SMP preempt mod_unload X' should be '6.1.0-kmodfs SMP preempt mod_unload '");
	image_free(&c);
	assert_false(test_taint(TAINT_FORCED_MODULE));
	image_free(&im);
}

static void test_vermagic_missing_forces(void **state)
{
	struct image im = hello(), c;
	uint64_t m;

	(void)state;
	/* the first forced load of this boot taints F and says so */
	assert_false(test_taint(TAINT_FORCED_MODULE));
	c = image_dup(&im);
	memcpy(modinfo_entry(&c, "vermagic="), "vermagiX=", 9);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	assert_line(m, "hello: bad vermagic: kernel tainted.");
	assert_line(m, "Disabling lock debugging due to kernel taint");
	assert_true(test_taint(TAINT_FORCED_MODULE));
	expect_taints("hello", "FOE");
	assert_int_equal(delete_module("hello", 0), 0);

	/* later ones taint the module, silently */
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	assert_false(log_has(m, "kernel tainted"));
	assert_false(log_has(m, "Disabling lock debugging"));
	expect_taints("hello", "FOE");
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* MODULE_INIT_IGNORE_VERMAGIC forces a mismatching module in */
	c = image_dup(&im);
	modinfo_entry(&c, "vermagic=")[9] = '7';
	m = log_mark();
	assert_int_equal(load_module(c.data, c.len, "", MODULE_INIT_IGNORE_VERMAGIC), 0);
	assert_false(log_has(m, "version magic"));
	assert_false(log_has(m, "kernel tainted"));
	expect_taints("hello", "FOE");
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* a good module is not tainted F */
	c = image_dup(&im);
	assert_int_equal(load_image(&c, ""), 0);
	expect_taints("hello", "OE");
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* no .modinfo at all: forced, named after struct module */
	c = image_dup(&im);
	shdr(&c, must_sec(&c, ".modinfo"))->sh_flags &= ~(uint64_t)SHF_ALLOC;
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	/* no license: P; no retpoline: the warning */
	assert_line(m, "hello: module license 'unspecified' taints kernel.");
	assert_line(m, "hello: loading module not compiled with retpoline compiler.");
	expect_taints("hello", "PFOE");
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* §8 layout                                                           */

static void test_nobits_huge(void **state)
{
	struct image im = hello(), c;
	unsigned int bss = must_sec(&im, ".bss");

	(void)state;
	c = image_dup(&im);
	shdr(&c, bss)->sh_size = 1ull << 40;
	expect_rejectf(&c, -ENOMEM, "hello: section .bss (index %u) is too large", bss);
	shdr(&c, bss)->sh_size = ~0ull;
	expect_rejectf(&c, -ENOMEM, "hello: section .bss (index %u) is too large", bss);
	/* 4 GiB + a page: Linux's 32-bit size would wrap to something small */
	shdr(&c, bss)->sh_size = (1ull << 32) + 4096;
	expect_rejectf(&c, -ENOMEM, "hello: section .bss (index %u) is too large", bss);
	image_free(&c);

	/* two sections that fit alone but not together */
	c = image_dup(&im);
	shdr(&c, bss)->sh_size = 0x30000000;
	shdr(&c, must_sec(&c, ".data"))->sh_type = SHT_NOBITS;
	shdr(&c, must_sec(&c, ".data"))->sh_size = 0x30000000;
	{
		uint64_t m = log_mark();

		assert_int_equal(load_image(&c, ""), -ENOMEM);
		assert_log(m, "hello: module too large (");
		assert_int_equal(nr_kmodules(), 0);
	}
	image_free(&c);

	/* an init section too */
	c = image_dup(&im);
	sec_rename(&c, bss, ".init.bss");
	shdr(&c, bss)->sh_size = ~0ull - 4095;
	expect_rejectf(&c, -ENOMEM, "hello: section .init.bss (index %u) is too large", bss);
	image_free(&c);

	/* big but possible: a 16 MiB .bss loads */
	c = image_dup(&im);
	shdr(&c, bss)->sh_size = 16 << 20;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_section_alignment(void **state)
{
	struct image im = hello(), c;
	unsigned int ro = must_sec(&im, ".rodata.str1.1"), bss = must_sec(&im, ".bss");
	unsigned int sym = must_sec(&im, ".symtab");

	(void)state;
	/* kmodfs refuses alignments that are not powers of two */
	c = image_dup(&im);
	shdr(&c, ro)->sh_addralign = 3;
	expect_rejectf(&c, -ENOEXEC,
		       "hello: section .rodata.str1.1 (index %u) has invalid alignment 3", ro);
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, bss)->sh_addralign = 1ull << 40;
	expect_rejectf(&c, -ENOMEM, "hello: section .bss (index %u) is too large", bss);
	image_free(&c);
	c = image_dup(&im);
	shdr(&c, sym)->sh_addralign = 24;
	expect_rejectf(&c, -ENOEXEC, "hello: section .symtab (index %u) has invalid alignment 24",
		       sym);
	image_free(&c);
	/* 0 means 1; a 4 KiB alignment is honoured */
	c = image_dup(&im);
	shdr(&c, must_sec(&c, ".rodata.str1.1"))->sh_addralign = 0;
	shdr(&c, must_sec(&c, ".exit.data"))->sh_addralign = 4096;
	expect_load(&c, "hello");
	image_free(&c);
	image_free(&im);
}

static void test_percpu(void **state)
{
	struct image im = hello(), c;
	unsigned int pc = must_sec(&im, ".exit.data");
	uint64_t m;

	(void)state;
	/* .data..percpu gets its own allocation; relocations into it are
	 * skipped (it is no longer SHF_ALLOC by then) */
	c = image_dup(&im);
	sec_rename(&c, pc, ".data..percpu");
	expect_load(&c, "hello");

	/* an alignment above a page is capped, with a warning */
	shdr(&c, pc)->sh_addralign = 8192;
	m = log_mark();
	expect_load(&c, "hello");
	assert_line(m, "hello: per-cpu alignment 8192 > 4096");

	/* more than can be had: -ENOMEM after the module was added */
	shdr(&c, pc)->sh_addralign = 8;
	shdr(&c, pc)->sh_type = SHT_NOBITS;
	shdr(&c, pc)->sh_size = 1ull << 40;
	expect_reject(&c, -ENOMEM, "hello: Could not allocate 1099511627776 bytes percpu data");
	image_free(&c);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* §1 signature trailer                                                */

struct modsig {
	uint8_t algo, hash, id_type, signer_len, key_id_len;
	uint8_t pad[3];
	uint32_t sig_len;	/* big endian */
};

static void append_sig(struct image *im, const void *blob, size_t blob_len,
		       struct modsig ms)
{
	image_append(im, blob, blob_len, 1);
	image_append(im, &ms, sizeof(ms), 1);
	image_append(im, SIG_MARKER, strlen(SIG_MARKER), 1);
}

/* A well-formed PKCS#7 SignedData with no signer at all. */
static const uint8_t pkcs7_no_signer[] = {
	0x30, 0x23, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
	0xa0, 0x16, 0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00,
	0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
	0x31, 0x00,
};

/* A throw-away RSA key and self-signed certificate, as sign-file uses. */
static EVP_PKEY *sig_key;
static X509 *sig_cert;

static void make_signer(void)
{
	X509_NAME *name;

	if (sig_key)
		return;
	sig_key = EVP_RSA_gen(2048);
	assert_non_null(sig_key);
	sig_cert = X509_new();
	assert_non_null(sig_cert);
	X509_set_version(sig_cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(sig_cert), 0x4b4d4f44);
	X509_gmtime_adj(X509_getm_notBefore(sig_cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(sig_cert), 3600);
	X509_set_pubkey(sig_cert, sig_key);
	name = X509_get_subject_name(sig_cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"kmodfs test key", -1, -1, 0);
	X509_set_issuer_name(sig_cert, name);
	assert_true(X509_sign(sig_cert, sig_key, EVP_sha256()) > 0);
}

static void free_signer(void)
{
	X509_free(sig_cert);
	EVP_PKEY_free(sig_key);
	sig_cert = NULL;
	sig_key = NULL;
}

/* Sign the whole image as scripts/sign-file does (sha256, no certs, no
 * attributes, detached unless asked) and append the signature. */
static void append_real_sig(struct image *im, bool detached)
{
	unsigned int flags = CMS_NOCERTS | CMS_PARTIAL | CMS_BINARY | (detached ? CMS_DETACHED : 0);
	BIO *in = BIO_new_mem_buf(im->data, (int)im->len);
	CMS_ContentInfo *cms;
	unsigned char *der = NULL;
	int n;

	make_signer();
	assert_non_null(in);
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	assert_non_null(cms);
	assert_non_null(CMS_add1_signer(cms, sig_cert, sig_key, EVP_sha256(),
					CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP | CMS_NOATTR));
	assert_true(CMS_final(cms, in, NULL, CMS_NOCERTS | CMS_BINARY) > 0);
	n = i2d_CMS_ContentInfo(cms, &der);
	assert_true(n > 0);
	append_sig(im, der, (size_t)n,
		   (struct modsig){ .id_type = 2, .sig_len = htonl((uint32_t)n) });
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
}

static void test_signature_trailer(void **state)
{
	struct image im = hello(), c;
	uint8_t blob[64];
	struct modsig ms;
	uint64_t m;

	(void)state;
	memset(blob, 0x5a, sizeof(blob));

	/* sig_len >= what is left: EBADMSG, silently */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 2, .sig_len = 0xffffffff };
	append_sig(&c, blob, sizeof(blob), ms);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), -EBADMSG);
	assert_int_equal(log_count(m), 0);
	image_free(&c);

	/* exactly file_len - 12: still too large */
	c = image_dup(&im);
	ms.sig_len = htonl((uint32_t)(im.len + sizeof(blob)));
	append_sig(&c, blob, sizeof(blob), ms);
	expect_reject(&c, -EBADMSG, NULL);
	image_free(&c);

	/* id_type != PKCS#7: ENOPKG, which only warns when not enforcing */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 1, .sig_len = htonl(sizeof(blob)) };
	append_sig(&c, blob, sizeof(blob), ms);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	assert_line(m, "module: not signed with expected PKCS#7 message");
	expect_taints("hello", "OE");
	assert_int_equal(delete_module("hello", 0), 0);
	sig_enforce = true;
	m = log_mark();
	assert_int_equal(load_image(&c, ""), -EKEYREJECTED);
	assert_line(m, "module: not signed with expected PKCS#7 message");
	assert_line(m, "Loading of module with unsupported crypto is rejected");
	sig_enforce = false;
	image_free(&c);

	/* id_type is checked before the other fields */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 0, .algo = 1, .sig_len = htonl(sizeof(blob)) };
	append_sig(&c, blob, sizeof(blob), ms);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	assert_line(m, "module: not signed with expected PKCS#7 message");
	assert_false(log_has(m, "non-zero params"));
	assert_int_equal(delete_module("hello", 0), 0);
	image_free(&c);

	/* any non-zero reserved field: EBADMSG, even when not enforcing */
	for (int f = 0; f < 7; f++) {
		c = image_dup(&im);
		ms = (struct modsig){ .id_type = 2, .sig_len = htonl(sizeof(blob)) };
		switch (f) {
		case 0: ms.algo = 1; break;
		case 1: ms.hash = 4; break;
		case 2: ms.signer_len = 1; break;
		case 3: ms.key_id_len = 1; break;
		default: ms.pad[f - 4] = 0x80; break;
		}
		append_sig(&c, blob, sizeof(blob), ms);
		expect_reject(&c, -EBADMSG,
			      "module: PKCS#7 signature info has unexpected non-zero params");
		image_free(&c);
	}

	/* a blob that is not PKCS#7: EBADMSG */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 2, .sig_len = htonl(sizeof(blob)) };
	append_sig(&c, blob, sizeof(blob), ms);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), -EBADMSG);
	assert_int_equal(log_count(m), 0);
	image_free(&c);
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 2, .sig_len = 0 };
	append_sig(&c, NULL, 0, ms);
	expect_reject(&c, -EBADMSG, NULL);
	image_free(&c);

	/* no signer: PKCS#7's authattrs check fails (-EINVAL, fatal) */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 2, .sig_len = htonl(sizeof(pkcs7_no_signer)) };
	append_sig(&c, pkcs7_no_signer, sizeof(pkcs7_no_signer), ms);
	expect_reject(&c, -EINVAL, "PKCS7: Inconsistently supplied authAttrs");
	image_free(&c);

	/* attached content: refused with Linux's message */
	c = image_dup(&im);
	append_real_sig(&c, false);
	expect_reject(&c, -EBADMSG, "PKCS#7 signature with non-detached data");
	image_free(&c);

	/* a good signature by a key the kernel does not have: ENOKEY, which
	 * loads unsigned unless enforcing */
	c = image_dup(&im);
	append_real_sig(&c, true);
	m = log_mark();
	assert_int_equal(load_image(&c, ""), 0);
	assert_line(m, "hello: init");
	assert_int_equal(log_count(m), 1);	/* once-per-boot messages are gone */
	expect_taints("hello", "OE");
	assert_int_equal(delete_module("hello", 0), 0);
	sig_enforce = true;
	expect_reject(&c, -EKEYREJECTED, "Loading of module with unavailable key is rejected");
	sig_enforce = false;
	image_free(&c);

	/* the ELF checks use the length without the signature... */
	{
		unsigned int com = must_sec(&im, ".comment");
		size_t at = im.len;

		c = image_dup(&im);
		shdr(&c, com)->sh_offset = at;
		shdr(&c, com)->sh_size = 1;
		append_real_sig(&c, true);
		expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", com);
		image_free(&c);
		c = image_dup(&im);
		shdr(&c, com)->sh_offset = at - 1;
		shdr(&c, com)->sh_size = 1;
		append_real_sig(&c, true);
		expect_load(&c, "hello");
		image_free(&c);

		/* ...which, when the trailer is not PKCS#7 (ENOPKG), is only
		 * the marker shorter: the blob and the 12 bytes are ELF */
		c = image_dup(&im);
		ms = (struct modsig){ .id_type = 1, .sig_len = htonl(sizeof(blob)) };
		append_sig(&c, blob, sizeof(blob), ms);
		shdr(&c, com)->sh_offset = at;
		shdr(&c, com)->sh_size = sizeof(blob) + sizeof(ms);
		expect_load(&c, "hello");
		shdr(&c, com)->sh_size++;
		expect_rejectf(&c, -ENOEXEC, "Invalid ELF section in module (section %u type 1)", com);
		image_free(&c);
	}
	free_signer();

	/* a marker with nothing before it: too short for a signature */
	c = (struct image){ NULL, 0 };
	image_append(&c, "0123456789", 10, 1);
	image_append(&c, SIG_MARKER, strlen(SIG_MARKER), 1);
	expect_reject(&c, -EBADMSG, NULL);
	image_free(&c);

	/* unsigned modules when enforcing */
	sig_enforce = true;
	expect_reject(&im, -EKEYREJECTED, "Loading of unsigned module is rejected");
	sig_enforce = false;

	/* with IGNORE_MODVERSIONS the module counts as mangled: the trailer
	 * is not looked at (and the module loads unsigned) */
	c = image_dup(&im);
	ms = (struct modsig){ .id_type = 2, .algo = 9, .sig_len = htonl(sizeof(blob)) };
	append_sig(&c, blob, sizeof(blob), ms);
	expect_reject(&c, -EBADMSG, NULL);
	expect_load_flags(&c, "hello", MODULE_INIT_IGNORE_MODVERSIONS);
	image_free(&c);
	image_free(&im);
}

static void test_bad_flags(void **state)
{
	struct image im = hello();
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(load_module(im.data, im.len, "", 8), -EINVAL);
	assert_int_equal(load_module(im.data, im.len, "", -1), -EINVAL);
	assert_int_equal(log_count(m), 0);
	image_free(&im);
}

/* ------------------------------------------------------------------ */
/* truncation                                                          */

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Every section boundary and every 13th byte below len. */
static size_t *cut_points(struct image *im, size_t *n)
{
	unsigned int shnum = ehdr(im)->e_shnum;
	size_t max = 2 * shnum + im->len / 13 + 8, k = 0, *v = calloc(max, sizeof(*v));

	assert_non_null(v);
	for (unsigned int i = 0; i < shnum; i++) {
		Elf64_Shdr *s = shdr(im, i);

		if (s->sh_offset < im->len)
			v[k++] = s->sh_offset;
		if (s->sh_offset + s->sh_size < im->len && s->sh_type != SHT_NOBITS)
			v[k++] = s->sh_offset + s->sh_size;
	}
	v[k++] = ehdr(im)->e_shoff;
	v[k++] = im->len - 1;
	for (size_t l = 0; l < im->len; l += 13)
		v[k++] = l;
	qsort(v, k, sizeof(*v), cmp_size);
	*n = k;
	return v;
}

static void test_truncation(void **state)
{
	static const char *const files[] = { "hello.ko", "testmod.ko" };

	(void)state;
	for (int f = 0; f < 2; f++) {
		struct image im = f ? testmod(files[f]) : example(files[f]);
		size_t n, *cuts = cut_points(&im, &n);
		char line[64];

		for (size_t k = 0; k < n; k++) {
			struct image t = { im.data, cuts[k] };
			uint64_t m = log_mark();

			if (t.len < 64)
				snprintf(line, sizeof(line), "Invalid ELF header len %zu", t.len);
			else
				snprintf(line, sizeof(line), "Invalid ELF section header overflow");
			expect_reject(&t, -ENOEXEC, line);
			assert_int_equal(log_count(m), 1);
		}
		free(cuts);
		image_free(&im);
	}
}

/* The image with its section header table moved right after the ELF
 * header, so that truncation cuts sections rather than the table. */
static struct image table_first(const struct image *im)
{
	struct image src = image_dup(im), out = { 0 };
	Elf64_Ehdr *e = ehdr(&src);
	size_t shbytes = (size_t)e->e_shnum * sizeof(Elf64_Shdr), shoff = e->e_shoff;

	assert_int_equal(shoff + shbytes, src.len);	/* the table is last */
	for (unsigned int i = 1; i < e->e_shnum; i++)
		shdr(&src, i)->sh_offset += shbytes;
	out.len = src.len;
	out.data = malloc(out.len);
	assert_non_null(out.data);
	memcpy(out.data, src.data, 64);
	memcpy(out.data + 64, src.data + shoff, shbytes);
	memcpy(out.data + 64 + shbytes, src.data + 64, shoff - 64);
	ehdr(&out)->e_shoff = 64;
	image_free(&src);
	return out;
}

static void truncate_sections(const char *dir_env, const char *file, const char *name)
{
	struct image orig = ktest_module(dir_env, file), im = table_first(&orig);
	unsigned int shnum = ehdr(&im)->e_shnum, ss = ehdr(&im)->e_shstrndx;
	size_t n, *cuts = cut_points(&im, &n), loaded = 0;
	char line[128];

	expect_load(&im, name);
	for (size_t k = 0; k < n; k++) {
		struct image t = { im.data, cuts[k] };
		Elf64_Shdr *s = shdr(&im, ss);
		uint64_t m = log_mark();
		int r;

		line[0] = '\0';
		if (t.len < 64)
			snprintf(line, sizeof(line), "Invalid ELF header len %zu", t.len);
		else if (t.len < 64 + shnum * sizeof(Elf64_Shdr))
			snprintf(line, sizeof(line), "Invalid ELF section header overflow");
		else if (s->sh_offset + s->sh_size > t.len)
			snprintf(line, sizeof(line), "Invalid ELF section hdr(type %u)", s->sh_type);
		else
			for (unsigned int i = 1; i < shnum; i++) {
				s = shdr(&im, i);
				if (s->sh_type == SHT_NULL || s->sh_type == SHT_NOBITS ||
				    s->sh_offset + s->sh_size <= t.len)
					continue;
				snprintf(line, sizeof(line),
					 "Invalid ELF section in module (section %u type %u)",
					 i, s->sh_type);
				break;
			}
		if (!line[0]) {
			/* everything is still there: only padding was cut */
			r = load_image(&t, "");
			if (r) {
				log_dump(m);
				fail_msg("%s cut at %zu: %d", file, t.len, r);
			}
			assert_int_equal(delete_module(name, 0), 0);
			loaded++;
			continue;
		}
		expect_reject(&t, -ENOEXEC, line);
		assert_int_equal(log_count(m), 1);
	}
	print_message("# %s: %zu cuts, %zu still loadable\n", file, n, loaded);
	free(cuts);
	image_free(&im);
	image_free(&orig);
}

static void test_truncation_sections(void **state)
{
	(void)state;
	truncate_sections("KMODFS_EXAMPLES", "hello.ko", "hello");
	truncate_sections("KMODFS_TESTMODS", "testmod.ko", "testmod");
}

/* ------------------------------------------------------------------ */
/* the random mutation sweep                                           */

#define SWEEP_SEED 0x6b6d6f6466730001ull
#define SWEEP_COUNT 4000

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct mutation {
	size_t off;
	unsigned int width;	/* 1 or 4 */
	uint32_t val;
};

/* KTEST_SWEEP_WHOLE_FILE=1 (by hand): mutate anywhere, not only headers */
static bool sweep_whole_file;

/* Mutation i of the sweep: a byte or 4 bytes in the ELF header (a quarter
 * of them) or the section header table. */
static struct mutation mutation(const struct image *im, uint64_t seed, unsigned int i)
{
	static const uint32_t interesting[] = {
		0, 1, 2, 3, 7, 8, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0x7fff,
		0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	const Elf64_Ehdr *e = (const Elf64_Ehdr *)im->data;
	uint64_t s = seed * 0x100000001b3ull + i;
	uint64_t r = splitmix(&s), r2 = splitmix(&s);
	size_t shbytes = (size_t)e->e_shnum * sizeof(Elf64_Shdr);
	struct mutation mu;

	mu.width = (r & 1) ? 4 : 1;
	if (sweep_whole_file)
		mu.off = r2 % im->len;
	else if ((r >> 1) % 4 == 0)
		mu.off = (r2 % 64);
	else
		mu.off = e->e_shoff + r2 % shbytes;
	if (mu.off + mu.width > im->len)
		mu.off = im->len - mu.width;
	switch ((r >> 3) % 4) {
	case 0:		/* random value */
		mu.val = (uint32_t)(r >> 32);
		break;
	case 1:		/* one bit flipped */
		mu.val = 1u << ((r >> 8) % (mu.width * 8));	/* xor below */
		break;
	default:	/* an interesting value */
		mu.val = interesting[(r >> 32) % (sizeof(interesting) / sizeof(interesting[0]))];
		break;
	}
	if ((r >> 3) % 4 == 1) {
		uint32_t old = 0;

		memcpy(&old, im->data + mu.off, mu.width);
		mu.val ^= old;
	}
	if (mu.width == 1)
		mu.val &= 0xff;
	return mu;
}

struct names {
	char name[8][MODULE_NAME_LEN];
	int n;
};

static int collect_name(struct kmodule *km, void *arg)
{
	struct names *nm = arg;

	if (nm->n < 8)
		memcpy(nm->name[nm->n++], km->name, MODULE_NAME_LEN);
	return 0;
}

static int sweep_child(const char *env, const char *file, uint64_t seed,
		       unsigned int start, unsigned int count)
{
	struct image im = ktest_module(env, file);

	sweep_whole_file = getenv("KTEST_SWEEP_WHOLE_FILE") != NULL;
	for (unsigned int i = start; i < count; i++) {
		struct mutation mu = mutation(&im, seed, i);
		struct image c = image_dup(&im);
		int r;

		memcpy(c.data + mu.off, &mu.val, mu.width);
		report("S %u %zu %u %#x\n", i, mu.off, mu.width, mu.val);
		alarm(20);
		r = load_image(&c, "");
		image_free(&c);
		report("= %d\n", r);
		if (r > 0 || r < -4095) {
			image_free(&im);
			return 1;
		}
		if (r == 0) {
			struct names nm = { .n = 0 };

			module_mutex_lock();
			for_each_kmodule(collect_name, &nm);
			module_mutex_unlock();
			for (int k = 0; k < nm.n; k++)
				delete_module(nm.name[k], O_NONBLOCK | O_TRUNC);
		}
		alarm(0);
		if (nr_kmodules() != 0) {
			report("L %u %u\n", i, nr_kmodules());
			image_free(&im);
			return 1;
		}
	}
	image_free(&im);
	return 0;
}

/* The last line of out starting with tag, or NULL. */
static const char *last_record(const char *out, char tag)
{
	const char *last = NULL;

	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (p[0] == tag && p[1] == ' ')
			last = p;
		p = nl ? nl + 1 : NULL;
	}
	return last;
}

static int line_len(const char *rec)
{
	return rec ? (int)strcspn(rec, "\n") : 0;
}

/*
 * Run mutations [0, count) in children.  A child that ends abnormally
 * because the module's own code went wrong (a fault in module code, a
 * sanitizer report whose stack is in module code) is the module's
 * doing: the sweep goes on after that mutation.  Anything else -- a
 * fault in the loader, a sanitizer report about the loader, a leak of
 * the loader's, a module left behind -- fails the test.
 * KTEST_SWEEP_ALL=1 lists every such failure instead of stopping.
 */
struct sweep_stats {
	unsigned int hist[4096], bad, cur;
	bool started;
};

static void sweep_line(const char *line, void *arg)
{
	struct sweep_stats *st = arg;
	long r = strtol(line + 2, NULL, 10);

	switch (line[0]) {
	case 'S':
		st->cur = (unsigned int)r;
		st->started = true;
		break;
	case '=':
		if (r <= 0 && r > -4096)
			st->hist[-r]++;
		else
			st->bad++;
		break;
	}
}

static void sweep(const char *env, const char *file, uint64_t seed, unsigned int count)
{
	static struct child_result res;
	static struct sweep_stats st;
	unsigned int start = 0, module_faults = 0, module_reports = 0, failures = 0;
	bool all = getenv("KTEST_SWEEP_ALL") != NULL;
	char summary[512] = "";
	size_t sl = 0;

	memset(&st, 0, sizeof(st));
	res.on_line = sweep_line;
	res.arg = &st;
	while (start < count) {
		char spec[256], why[160];
		const char *s, *rec;
		unsigned int cur, loader, blocks;

		snprintf(spec, sizeof(spec), "sweep:%s:%s:%" PRIu64 ":%u:%u", env, file,
			 seed, start, count);
		st.started = false;
		run_child(spec, &res);
		cur = st.started ? st.cur : count - 1;
		s = last_record(res.rep.data, 'S');
		blocks = sanitizer_blocks(res.err.data, &loader);
		if (WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0 && !blocks)
			break;
		/* the child's handler saw module code running */
		if (WIFEXITED(res.status) && WEXITSTATUS(res.status) == 98) {
			module_faults++;
			start = cur + 1;
			continue;
		}
		/* reports (a leak at exit) all caused by module code */
		if (blocks && !loader) {
			module_reports++;
			start = cur + 1;
			continue;
		}
		describe_status(res.status, why, sizeof(why));
		fprintf(stderr, "%s", res.err.data);
		rec = last_record(res.rep.data, 'C');
		if (!rec)
			rec = last_record(res.rep.data, 'L');
		print_message("# %s mutation %.*s: %s%s; %.*s\n", file, line_len(s ? s + 2 : NULL),
			      s ? s + 2 : "?", why, loader ? ", sanitizer report about the loader" : "",
			      line_len(rec), rec ? rec : "");
		failures++;
		if (!all || failures >= 100)
			break;
		start = cur + 1;
	}
	res.on_line = NULL;
	for (unsigned int e = 0; e < 4096; e++)
		if (st.hist[e])
			sl += (size_t)snprintf(summary + sl, sizeof(summary) - sl, " %s%u=%u",
					       e ? "-" : "", e, st.hist[e]);
	print_message("# %s: %u mutations; results:%s; %u module faults, %u sanitizer reports in module code\n",
		      file, count, summary, module_faults, module_reports);
	if (st.bad)
		fail_msg("%s: %u loads returned neither 0 nor -errno", file, st.bad);
	if (failures)
		fail_msg("%s: %u mutations made the loader fail (see above)", file, failures);
}

/* KTEST_SWEEP_COUNT=n and KTEST_SWEEP_SEED=s run a longer or another
 * sweep (for fuzzing by hand); the default is fixed. */
static void test_mutation_sweep(void **state)
{
	const char *n = getenv("KTEST_SWEEP_COUNT"), *sd = getenv("KTEST_SWEEP_SEED");
	unsigned int count = n ? (unsigned int)strtoul(n, NULL, 0) : SWEEP_COUNT;
	uint64_t seed = sd ? strtoull(sd, NULL, 0) : SWEEP_SEED;

	(void)state;
	sweep("KMODFS_EXAMPLES", "hello.ko", seed, count);
	sweep("KMODFS_TESTMODS", "testmod.ko", seed + 1, count);
}

/* ------------------------------------------------------------------ */
/* bugs that need isolation                                            */

/*
 * An SHF_ALLOC section of type SHT_NULL is not bounds-checked (as in
 * Linux), so it must not be copied from the image either: it is laid out
 * like NOBITS.  Linux would copy sh_size bytes from sh_offset; run
 * isolated, a read outside the image takes the child down.
 */
static int case_alloc_null_section(void)
{
	struct image im = hello();
	unsigned int com = must_sec(&im, ".comment");
	int r;

	shdr(&im, com)->sh_type = SHT_NULL;
	shdr(&im, com)->sh_flags = SHF_ALLOC;
	shdr(&im, com)->sh_offset = 0x10000000;
	shdr(&im, com)->sh_size = 4096;
	r = load_image(&im, "");
	if (r == 0)
		delete_module("hello", 0);
	image_free(&im);
	return r == 0 && nr_kmodules() == 0 ? 0 : 1;
}

static void test_alloc_null_section(void **state)
{
	(void)state;
	expect_isolated_ok("case:alloc_null_section");
}

/*
 * A .gnu.linkonce.this_module whose file offset is not aligned for
 * struct module: setup_load_info() and check_this_module() read it
 * through a struct module pointer (UBSan: misaligned access).  Linux
 * reads it the same way, but in C that is undefined behaviour.
 */
static int case_misaligned_this_module(void)
{
	struct image im = hello();
	unsigned int mod = must_sec(&im, ".gnu.linkonce.this_module");
	Elf64_Shdr *s = shdr(&im, mod);
	size_t size = s->sh_size, off;
	uint8_t *copy = malloc(size);
	int r;

	memcpy(copy, im.data + s->sh_offset, size);
	off = image_append(&im, NULL, size + 8, 64) + 8;
	memcpy(im.data + off, copy, size);
	free(copy);
	shdr(&im, mod)->sh_offset = off;
	r = load_image(&im, "");
	if (r == 0)
		delete_module("hello", 0);
	image_free(&im);
	return r == 0 ? 0 : 1;
}

/*
 * The same in module memory: check_this_module() accepts an alignment of
 * 8 or 16, but struct module is declared 64-byte aligned (abi.h), and
 * alloc_kmodule(), the registry and unload access it through
 * km->mod (UBSan: misaligned access; the compiler may use aligned vector
 * moves).  Linux accepts such a module (its struct module is not
 * accessed in an alignment-sensitive way); kmodfs should lay the section
 * out at least 64-aligned.
 */
static int case_this_module_align(uint64_t align)
{
	struct image im = hello();
	unsigned int mod = must_sec(&im, ".gnu.linkonce.this_module");
	int r;

	/* it follows the 8-byte .exit.data in the data pass: off 64 */
	assert_int_equal(shdr(&im, must_sec(&im, ".exit.data"))->sh_size, 8);
	shdr(&im, mod)->sh_addralign = align;
	r = load_image(&im, "");
	if (r == 0)
		delete_module("hello", 0);
	image_free(&im);
	return nr_kmodules() == 0 ? 0 : 1;
}

static void bug_misaligned_this_module(void **state)
{
	(void)state;
	expect_isolated_ok("case:misaligned_this_module");
	expect_isolated_ok("case:this_module_align8");
	expect_isolated_ok("case:this_module_align16");
}

/*
 * find_module_sections() takes __ksymtab and __ksymtab_gpl with an
 * alignment requirement of 1 (sections.c), but decode() in ksymtab.c
 * reads them as struct kernel_symbol, which needs 4 (UBSan: member access
 * within misaligned address).  testmod's __ksymtab, aligned 1, after a
 * .note.gnu.build-id one byte longer, lands at an odd address.
 */
static int case_misaligned_ksymtab(void)
{
	struct image im = testmod("testmod.ko");
	int r;

	shdr(&im, must_sec(&im, "__ksymtab"))->sh_addralign = 1;
	shdr(&im, must_sec(&im, ".note.gnu.build-id"))->sh_size += 1;
	r = load_image(&im, "");
	if (r == 0)
		delete_module("testmod", 0);
	image_free(&im);
	return nr_kmodules() == 0 ? 0 : 1;
}

static void bug_misaligned_ksymtab(void **state)
{
	(void)state;
	expect_isolated_ok("case:misaligned_ksymtab");
}

/*
 * A module whose struct module name is empty loads, and can never be
 * unloaded: delete_module("") is -ENOENT.  Linux refuses it when it
 * registers /sys/module/<name> (mod_sysfs_init -> kobject_add_internal:
 * "kobject: (...): attempted to be registered with empty name!", a
 * WARNING, -EINVAL).  Isolated, since the module would stay behind.
 */
static int case_empty_module_name(void)
{
	struct image im = hello();
	int r;

	im.data[shdr(&im, must_sec(&im, ".gnu.linkonce.this_module"))->sh_offset + 24] = '\0';
	r = load_image(&im, "");
	image_free(&im);
	report("load %d, %u module(s) left\n", r, nr_kmodules());
	return r == -EINVAL && nr_kmodules() == 0 ? 0 : 1;
}

static void bug_empty_module_name(void **state)
{
	(void)state;
	expect_isolated_ok("case:empty_module_name");
}

/* ------------------------------------------------------------------ */

static int child_main(const char *spec)
{
	char buf[512], *f[6];
	int n = 0, r = 1;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *p = buf, *q; n < 6 && p; p = q) {
		q = strchr(p, ':');
		if (q)
			*q++ = '\0';
		f[n++] = p;
	}
	child_setup();
	if (kernel_boot() < 0)
		return 2;
	if (n == 6 && !strcmp(f[0], "sweep"))
		r = sweep_child(f[1], f[2], strtoull(f[3], NULL, 10),
				(unsigned int)strtoul(f[4], NULL, 10),
				(unsigned int)strtoul(f[5], NULL, 10));
	else if (n == 2 && !strcmp(f[1], "alloc_null_section"))
		r = case_alloc_null_section();
	else if (n == 2 && !strcmp(f[1], "misaligned_this_module"))
		r = case_misaligned_this_module();
	else if (n == 2 && !strcmp(f[1], "this_module_align8"))
		r = case_this_module_align(8);
	else if (n == 2 && !strcmp(f[1], "this_module_align16"))
		r = case_this_module_align(16);
	else if (n == 2 && !strcmp(f[1], "empty_module_name"))
		r = case_empty_module_name();
	else if (n == 2 && !strcmp(f[1], "misaligned_ksymtab"))
		r = case_misaligned_ksymtab();
	kernel_shutdown();
	return r;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_len),
		cmocka_unit_test(test_header_magic_type_machine),
		cmocka_unit_test(test_header_class_data),
		cmocka_unit_test(test_header_unchecked_fields),
		cmocka_unit_test(test_header_ei_version),
		cmocka_unit_test(test_header_program_headers_ignored),
		cmocka_unit_test(test_section_header_table),
		cmocka_unit_test(test_section_name_table),
		cmocka_unit_test(test_section_zero),
		cmocka_unit_test(test_symtab_link),
		cmocka_unit_test(test_section_bounds),
		cmocka_unit_test(test_section_name_bounds),
		cmocka_unit_test(test_no_symtab),
		cmocka_unit_test(test_no_this_module),
		cmocka_unit_test(test_this_module_shape),
		cmocka_unit_test(test_symtab_shape),
		cmocka_unit_test(test_write_exec),
		cmocka_unit_test(test_symbol_section_index),
		cmocka_unit_test(test_symbol_common),
		cmocka_unit_test(test_ctors_and_init_array),
		cmocka_unit_test(test_vermagic_mismatch),
		cmocka_unit_test(test_vermagic_missing_forces),
		cmocka_unit_test(test_nobits_huge),
		cmocka_unit_test(test_section_alignment),
		cmocka_unit_test(test_percpu),
		cmocka_unit_test(test_signature_trailer),
		cmocka_unit_test(test_bad_flags),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_truncation_sections),
		cmocka_unit_test(test_mutation_sweep),
		cmocka_unit_test(test_alloc_null_section),
	};
	/* loader bugs: these fail until fixed */
	const struct CMUnitTest bugs[] = {
		cmocka_unit_test(bug_misaligned_this_module),
		cmocka_unit_test(bug_misaligned_ksymtab),
		cmocka_unit_test(bug_empty_module_name),
	};
	struct CMUnitTest all[sizeof(tests) / sizeof(tests[0]) + sizeof(bugs) / sizeof(bugs[0])];
	const char *child = getenv("KTEST_CHILD");
	size_t n = 0;
	int r;

	if (child)
		return child_main(child);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		all[n++] = tests[i];
	for (size_t i = 0; !skip_known_bugs() && i < sizeof(bugs) / sizeof(bugs[0]); i++)
		all[n++] = bugs[i];
	r = _cmocka_run_group_tests("tests", all, n, NULL, NULL);
	kernel_shutdown();
	return r;
}
