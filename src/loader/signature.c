// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage 1: the appended module signature (facts §1).  An image ending in
 * "~Module signature appended~\n" carries a PKCS#7 blob and a 12-byte
 * struct module_signature; the trailer is checked exactly as Linux's
 * mod_check_sig() does and cut off, so that no later stage can see it.
 *
 * Verdicts follow module_sig_check(): unsigned, unsupported crypto and
 * unavailable key are accepted unless sig_enforce is on; every other
 * failure is fatal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "kernel/printk.h"
#include "loader/internal.h"
#include "loader/signature.h"

#define MODULE_SIG_STRING "~Module signature appended~\n"
#define PKEY_ID_PKCS7 2

struct module_signature {
	uint8_t algo, hash, id_type, signer_len, key_id_len;
	uint8_t pad[3];
	uint32_t sig_len;	/* big endian */
};
_Static_assert(sizeof(struct module_signature) == 12, "module_signature");

bool sig_enforce;

static int mod_check_sig(const struct module_signature *ms, size_t file_len)
{
	if (ntohl(ms->sig_len) >= file_len - sizeof(*ms))
		return -EBADMSG;
	if (ms->id_type != PKEY_ID_PKCS7) {
		pr_err("module: not signed with expected PKCS#7 message\n");
		return -ENOPKG;
	}
	if (ms->algo || ms->hash || ms->signer_len || ms->key_id_len ||
	    ms->pad[0] || ms->pad[1] || ms->pad[2]) {
		pr_err("module: PKCS#7 signature info has unexpected non-zero params\n");
		return -EBADMSG;
	}
	return 0;
}

static int mod_verify_sig(struct load_info *info)
{
	struct module_signature ms;
	size_t sig_len, modlen = info->len;
	int err;

	if (modlen <= sizeof(ms))
		return -EBADMSG;
	memcpy(&ms, info->hdr + modlen - sizeof(ms), sizeof(ms));
	err = mod_check_sig(&ms, modlen);
	if (err)
		return err;
	sig_len = ntohl(ms.sig_len);
	modlen -= sig_len + sizeof(ms);
	info->len = modlen;
	return verify_pkcs7_signature(info->hdr, modlen, info->hdr + modlen, sig_len);
}

int module_sig_check(struct load_info *info)
{
	const size_t markerlen = sizeof(MODULE_SIG_STRING) - 1;
	bool mangled = info->flags & (MODULE_INIT_IGNORE_MODVERSIONS |
				      MODULE_INIT_IGNORE_VERMAGIC);
	const char *reason;
	int err = -ENODATA;

	/* a module with its versions stripped is not what was signed */
	if (!mangled && info->len > markerlen &&
	    !memcmp(info->hdr + info->len - markerlen, MODULE_SIG_STRING, markerlen)) {
		info->len -= markerlen;
		err = mod_verify_sig(info);
		if (!err) {
			info->sig_ok = true;
			return 0;
		}
	}
	switch (err) {
	case -ENODATA:
		reason = "unsigned module";
		break;
	case -ENOPKG:
		reason = "module with unsupported crypto";
		break;
	case -ENOKEY:
		reason = "module with unavailable key";
		break;
	default:
		return err;	/* fatal even when not enforcing */
	}
	if (sig_enforce) {
		pr_notice("Loading of %s is rejected\n", reason);
		return -EKEYREJECTED;
	}
	return 0;
}
