#!/usr/bin/env python3
"""Writes the gzip fixtures of the pure-Swift gunzip tests to Tests/Fixtures/gzip/.

Uses only Python's standard library (gzip, zlib, struct). Every `<name>.gz` comes with
`<name>.bin`, its original; the Swift tests (Tests/NumericsTests/InflateDatasetTests.swift) check
that each `.gz` decompresses to exactly its `.bin`. Inputs are seeded and MTIME is 0, so running
the script again writes the same files (compressed bytes may differ with another zlib version,
which the tests do not depend on). Usage: scripts/make_gzip_fixtures.py [output directory]

empty      gzip of zero bytes (one fixed-Huffman block holding only end-of-block)
stored     level 0 with sync flushes: several stored blocks, including empty ones (BTYPE 00)
fixed      a short string at level 9, which zlib codes with the fixed Huffman code (BTYPE 01)
dynamic    12 KiB of seeded pseudo-English at level 9: dynamic Huffman (BTYPE 10), long and
           overlapping matches
two_member two gzip members concatenated (`cat a.gz b.gz`); .bin is both originals in order
header     FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT all set, with a correct header CRC-16
"""

import gzip
import os
import random
import struct
import sys
import zlib


def raw_deflate(data, level, chunks=1):
    """A raw DEFLATE stream of `data`, sync-flushed after each of `chunks` equal pieces."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    out = b""
    step = max(1, -(-len(data) // chunks))
    for i in range(0, len(data), step):
        out += c.compress(data[i : i + step])
        if chunks > 1:
            out += c.flush(zlib.Z_SYNC_FLUSH)
    return out + c.flush(zlib.Z_FINISH)


def member(data, level=9, chunks=1, flags=0, extra=b"", name=b"", comment=b""):
    header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 2, 3)
    if flags & 0x04:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        header += name + b"\0"
    if flags & 0x10:
        header += comment + b"\0"
    if flags & 0x02:
        header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    body = raw_deflate(data, level, chunks)
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return header + body + trailer, body


def pseudo_english(size, seed):
    rng = random.Random(seed)
    words = ("the of and to in is was for on that with as by at from tensor crossbar photonic "
             "analog accelerator mapping energy latency tile weight activation").split()
    text = []
    while sum(len(w) + 1 for w in text) < size:
        w = rng.choice(words)
        text.append(w.capitalize() + "." if rng.random() < 0.08 else w)
        if rng.random() < 0.02:
            text.append(str(rng.randrange(10**6)))
    return (" ".join(text)).encode()[:size]


def btype(body):
    return (body[0] >> 1) & 3


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Tests", "Fixtures", "gzip")
    os.makedirs(out_dir, exist_ok=True)
    fixtures = {}

    gz, body = member(b"")
    fixtures["empty"] = (gz, b"")

    rng = random.Random(7)
    stored = bytes(rng.randrange(256) for _ in range(3000))
    gz, body = member(stored, level=0, chunks=3)
    assert btype(body) == 0
    fixtures["stored"] = (gz, stored)

    fixed = b"Hybrix maps tensors onto tiers; tiers map tensors onto Hybrix."
    gz, body = member(fixed)
    assert btype(body) == 1, "zlib should use the fixed code for a short input"
    fixtures["fixed"] = (gz, fixed)

    dynamic = pseudo_english(12 * 1024, seed=1) + b"abc" * 300
    gz, body = member(dynamic)
    assert btype(body) == 2, "zlib should use a dynamic code for 12 KiB of text"
    fixtures["dynamic"] = (gz, dynamic)

    a, b = pseudo_english(2000, seed=2), bytes(range(256)) * 4
    fixtures["two_member"] = (member(a)[0] + member(b, level=1)[0], a + b)

    header_data = pseudo_english(500, seed=3)
    gz, _ = member(header_data, flags=0x01 | 0x02 | 0x04 | 0x08 | 0x10,
                   extra=b"HX\x04\x00abcd", name=b"header.txt", comment=b"fixture with all fields")
    fixtures["header"] = (gz, header_data)

    total = 0
    for name, (gz, original) in fixtures.items():
        assert gzip.decompress(gz) == original, name
        for suffix, content in ((".gz", gz), (".bin", original)):
            with open(os.path.join(out_dir, name + suffix), "wb") as f:
                f.write(content)
            total += len(content)
    assert total < 50_000, f"fixtures total {total} bytes"
    print(f"wrote {len(fixtures)} fixtures ({total} bytes) to {out_dir}")


if __name__ == "__main__":
    main()
