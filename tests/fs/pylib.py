"""Helpers for the python parts of the filesystem tests (bats)."""
import os


def cp(path, data):
    """Write a file the way cp(1) does: open the name, or create it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    except FileNotFoundError:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def read_all(path, chunk=65536):
    """A whole file, read chunk bytes at a time."""
    fd = os.open(path, os.O_RDONLY)
    try:
        out = b""
        while True:
            b = os.read(fd, chunk)
            if not b:
                return out
            out += b
    finally:
        os.close(fd)


def write_str(path, s):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, s)
    finally:
        os.close(fd)
