#!/usr/bin/env python3
"""Writes a git fast-import stream of COMMITS commits over FILES files, each commit rewriting one file with
BLOB bytes of random (incompressible) data, so the packed repository is about COMMITS * BLOB bytes."""
import os
import sys

commits = int(os.environ.get("COMMITS", "10000"))
files = int(os.environ.get("FILES", "500"))
blob = int(os.environ.get("BLOB", "8000"))
out = sys.stdout.buffer
t = 1_700_000_000
for i in range(commits):
    data = os.urandom(blob // 2).hex().encode()[:blob]
    msg = f"commit {i}\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.com> {t + i} +0000\n".encode())
    out.write(b"data %d\n%s" % (len(msg), msg))
    out.write(f"M 100644 inline dir{i % 20}/f{i % files}.txt\n".encode())
    out.write(b"data %d\n%s\n" % (len(data), data))
out.write(b"done\n")
