#!/usr/bin/env python3
"""The peer the gzip tests check Bulletin's Compression module against: Python's gzip.

  gzip_peer.py compress LEVEL SRC DST   each file of SRC, gzip.compress at LEVEL, into DST
  gzip_peer.py decompress SRC DST       each file of SRC, gzip.decompress, into DST
Same file names in DST. Exits 1 (and names the file) when Python cannot read one.
"""
import gzip
import os
import sys


def main():
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "compress":
        level, source, target = int(arguments[0]), arguments[1], arguments[2]
        convert = lambda data: gzip.compress(data, compresslevel=level, mtime=0)
    elif command == "decompress":
        source, target = arguments
        convert = gzip.decompress
    else:
        sys.exit("usage: gzip_peer.py compress LEVEL SRC DST | decompress SRC DST")
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), "rb") as f:
            data = f.read()
        try:
            result = convert(data)
        except Exception as error:  # any failure to read is the test's finding
            sys.exit("%s: %s: %s" % (name, type(error).__name__, error))
        with open(os.path.join(target, name), "wb") as f:
            f.write(result)


if __name__ == "__main__":
    main()
