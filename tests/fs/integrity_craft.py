#!/usr/bin/env python3
"""Hostile and patched module images for tests/fs/integrity.bats.

Every command reads IN and writes OUT (never in place):

  flip IN OUT OFFSET            XOR the byte at OFFSET (negative: from the
                                end) with 0x01
  flipsec IN OUT SECTION        the same for the middle byte of SECTION
  flipmid IN OUT                XOR the two middle bytes with 0x55, 0xff
                                (a compressed stream corrupted inside)
  cut IN OUT N                  the first N bytes (negative: all but -N)
  replace IN OUT OLD NEW        OLD (exactly once in IN) becomes NEW, of
                                the same length; \\0 and \\xNN escapes
  setcrc IN OUT SYMBOL          invert the CRC of SYMBOL in __versions
  setms IN OUT FIELD VALUE      set a field of the appended struct
                                module_signature: algo hash id_type
                                signer_len key_id_len pad0 pad1 pad2
                                (bytes) or sig_len (big-endian u32;
                                VALUE may be an expression of `stripped`,
                                the length without the marker, and
                                `blob`, the PKCS#7's length)
  append IN OUT BLOB            IN (unsigned) + the bytes of the file BLOB
                                + struct module_signature (id_type 2,
                                sig_len = len(BLOB)) + the marker, as
                                sign-file appends a signature
  blob IN OUT [CUT]             the PKCS#7 of a signed IN, without its
                                last CUT bytes
  body IN OUT                   the signed part of a signed IN (what a
                                signature covers: the module alone)
  secoff IN SECTION             print SECTION's file offset and size
"""
import struct
import sys

MARKER = b"~Module signature appended~\n"
MS_FIELDS = ["algo", "hash", "id_type", "signer_len", "key_id_len",
             "pad0", "pad1", "pad2"]


def sections(d):
    shoff, = struct.unpack_from("<Q", d, 0x28)
    shnum, shstrndx = struct.unpack_from("<HH", d, 0x3c)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * 64)
            for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = {}
    for h in hdrs:
        start = stroff + h[0]
        name = bytes(d[start:d.index(b"\0", start)]).decode()
        out[name] = (h[4], h[5])	# offset, size
    return out


def section(d, name):
    secs = sections(d)
    if name not in secs:
        sys.exit("no section %s" % name)
    return secs[name]


def layout(d):
    """(body_len, blob_len, ms_offset) of a signed image"""
    if not d.endswith(MARKER):
        sys.exit("not signed")
    ms = len(d) - len(MARKER) - 12
    blob_len, = struct.unpack_from(">I", d, ms + 8)
    return ms - blob_len, blob_len, ms


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def main():
    cmd, src = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        d = bytearray(f.read())
    args = sys.argv[3:]
    if cmd == "secoff":
        off, size = section(d, args[0])
        print(off, size)
        return
    out, args = args[0], args[1:]
    if cmd == "flip":
        d[int(args[0])] ^= 0x01
    elif cmd == "flipsec":
        off, size = section(d, args[0])
        if not size:
            sys.exit("section %s is empty" % args[0])
        d[off + size // 2] ^= 0x01
    elif cmd == "flipmid":
        d[len(d) // 2] ^= 0x55
        d[len(d) // 2 + 1] ^= 0xff
    elif cmd == "cut":
        d = d[:int(args[0])]
    elif cmd == "replace":
        old, new = unescape(args[0]), unescape(args[1])
        if len(old) != len(new) or d.count(old) != 1:
            sys.exit("replace: %r must occur once, %r be as long" % (old, new))
        d = d.replace(old, new)
    elif cmd == "setcrc":
        off, size = section(d, "__versions")
        for i in range(off, off + size, 64):
            name = bytes(d[i + 8:i + 64]).split(b"\0")[0].decode()
            if name == args[0]:
                crc, = struct.unpack_from("<Q", d, i)
                struct.pack_into("<Q", d, i, crc ^ 0xffffffff)
                break
        else:
            sys.exit("no __versions entry for %s" % args[0])
    elif cmd == "setms":
        _, blob_len, ms = layout(d)
        field, value = args
        if field == "sig_len":
            v = eval(value, {"stripped": len(d) - len(MARKER),
                             "blob": blob_len})
            struct.pack_into(">I", d, ms + 8, v & 0xffffffff)
        else:
            d[ms + MS_FIELDS.index(field)] = int(value, 0)
    elif cmd == "append":
        with open(args[0], "rb") as f:
            blob = f.read()
        d = d + blob + bytes([0, 0, 2, 0, 0, 0, 0, 0]) + \
            struct.pack(">I", len(blob)) + MARKER
    elif cmd == "blob":
        body_len, blob_len, _ = layout(d)
        cut = int(args[0]) if args else 0
        d = d[body_len:body_len + blob_len - cut]
    elif cmd == "body":
        body_len, _, _ = layout(d)
        d = d[:body_len]
    else:
        sys.exit("unknown command " + cmd)
    with open(out, "wb") as f:
        f.write(d)


if __name__ == "__main__":
    main()
