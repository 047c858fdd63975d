/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kstrto*() and simple_strto*() with lib/kstrtox.c semantics. */
#ifndef KMODFS_KERNEL_KSTRTOX_H
#define KMODFS_KERNEL_KSTRTOX_H

#include <stdbool.h>
#include <stdint.h>

int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int _kstrtoul(const char *s, unsigned int base, unsigned long *res);
int _kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtou16(const char *s, unsigned int base, uint16_t *res);
int kstrtos16(const char *s, unsigned int base, int16_t *res);
int kstrtou8(const char *s, unsigned int base, uint8_t *res);
int kstrtos8(const char *s, unsigned int base, int8_t *res);
int kstrtobool(const char *s, bool *res);

unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
long simple_strtol(const char *cp, char **endp, unsigned int base);
long long simple_strtoll(const char *cp, char **endp, unsigned int base);

#endif
