#!/usr/bin/env python3
"""What a module's ELF file says its sys/module entries must show.

  elfinfo.py sections FILE   sections sys/module/NAME/sections/ must list:
                             SHF_ALLOC and non-empty, minus .modinfo,
                             __versions and .data..percpu, plus .symtab
                             and .strtab (facts section 10)
  elfinfo.py notes FILE      the SHF_ALLOC SHT_NOTE sections (notes/)
  elfinfo.py checksyms FILE MNT NAME
                             every named symbol of a core section is in
                             MNT/proc/kallsyms as "ADDR t NAME\t[NAME]" with
                             ADDR = sections/SECTION + st_value, and every
                             core section lies inside the core allocation
                             of MNT/proc/modules; prints what is wrong and
                             exits 1, or prints the number of symbols checked
"""
import os
import re
import struct
import sys

SHF_ALLOC = 0x2
SHT_NOBITS = 8
SHT_NOTE = 7


def read_elf(path):
    with open(path, 'rb') as f:
        d = f.read()
    shoff, = struct.unpack_from('<Q', d, 0x28)
    shnum, shstrndx = struct.unpack_from('<HH', d, 0x3c)
    secs = []
    for i in range(shnum):
        (name, typ, flags, addr, off, size, link, info, align,
         entsize) = struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * 64)
        secs.append(dict(name_off=name, type=typ, flags=flags, off=off,
                         size=size, link=link))
    stroff = secs[shstrndx]['off']
    for s in secs:
        start = stroff + s['name_off']
        s['name'] = d[start:d.index(b'\0', start)].decode()
    return d, secs


def sysfs_sections(secs):
    names = []
    for s in secs[1:]:
        if not s['flags'] & SHF_ALLOC or s['size'] == 0:
            continue
        if s['name'] in ('.modinfo', '__versions', '.data..percpu'):
            continue
        names.append(s['name'])
    return sorted(set(names) | {'.symtab', '.strtab'})


def is_init(name):
    return name.startswith('.init')


def checksyms(path, mnt, mod):
    d, secs = read_elf(path)
    symtab = next(s for s in secs if s['type'] == 2)
    strtab = secs[symtab['link']]
    kall = {}
    with open(os.path.join(mnt, 'proc/kallsyms')) as f:
        for line in f:
            m = re.match(r'^([0-9a-f]{16}) (\w) (\S+)\t\[(\S+)\]$', line)
            if m and m.group(4) == mod:
                kall.setdefault(m.group(3), set()).add(int(m.group(1), 16))
    base = size = None
    with open(os.path.join(mnt, 'proc/modules')) as f:
        for line in f:
            w = line.split()
            if w[0] == mod:
                size, base = int(w[1]), int(w[5], 16)
    errors = []
    if base is None:
        errors.append('%s is not in proc/modules' % mod)
        base = size = 0
    addr = {}
    for i, s in enumerate(secs):
        if s['name'] not in sysfs_sections(secs):
            continue
        # one read at offset 0 (the sysfs bin attribute's contract)
        fd = os.open(os.path.join(mnt, 'sys/module', mod, 'sections', s['name']),
                     os.O_RDONLY)
        try:
            text = os.pread(fd, 4096, 0).decode()
        finally:
            os.close(fd)
        if not re.fullmatch(r'0x[0-9a-f]{16}\n', text):
            errors.append('sections/%s reads %r' % (s['name'], text))
            continue
        addr[i] = int(text, 16)
        if (not is_init(s['name']) and s['name'] not in ('.symtab', '.strtab')
                and not base <= addr[i] < addr[i] + s['size'] <= base + size):
            errors.append('sections/%s = %#x: outside the core [%#x, %#x)'
                          % (s['name'], addr[i], base, base + size))
    checked = 0
    for k in range(1, symtab['size'] // 24):
        st_name, st_info, st_other, st_shndx, st_value, st_size = \
            struct.unpack_from('<IBBHQQ', d, symtab['off'] + 24 * k)
        if st_info & 0xf not in (0, 1, 2) or st_shndx == 0 or st_shndx >= len(secs):
            continue	# sections, files, undefined, absolute
        start = strtab['off'] + st_name
        name = d[start:d.index(b'\0', start)].decode()
        sec = secs[st_shndx]
        if not name or st_shndx not in addr or is_init(sec['name']):
            continue
        want = addr[st_shndx] + st_value
        if want not in kall.get(name, set()):
            errors.append('%s (%s+%#x): want %#x in kallsyms, have %s' % (
                name, sec['name'], st_value, want,
                [hex(a) for a in kall.get(name, [])]))
        checked += 1
    if errors:
        print('\n'.join(errors))
        return 1
    print(checked)
    return 0


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    d, secs = read_elf(path)
    if cmd == 'sections':
        print('\n'.join(sysfs_sections(secs)))
    elif cmd == 'notes':
        print('\n'.join(sorted(s['name'] for s in secs
                               if s['type'] == SHT_NOTE and s['flags'] & SHF_ALLOC)))
    elif cmd == 'checksyms':
        return checksyms(path, sys.argv[3], sys.argv[4])
    else:
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
