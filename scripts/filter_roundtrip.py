#!/usr/bin/env python3
"""Round trip of `corpuslint filter` on real scraped pages.

    python3 scripts/filter_roundtrip.py CORPUSLINT DEVSET_DIR

Packs the pages of DEVSET_DIR/raw and DEVSET_DIR/trafilatura into two
JSONL shards (gzip and zstd, the first with every non-ASCII character
escaped), filters them, and checks what `filter` promises:

- kept + rejected = input: every id once, each output in input order;
- records that did not change are byte-identical, and every kept record
  keeps every field but the text byte for byte;
- compression is preserved;
- a `check` of the kept output reports no finding with a safe fix.
"""

import gzip
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

corpuslint, devset = sys.argv[1], pathlib.Path(sys.argv[2])


def write(path, lines):
    data = "".join(lines).encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    elif path.suffix == ".zst":
        path.write_bytes(subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout)
    else:
        path.write_bytes(data)


def read(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        assert data[:2] == b"\x1f\x8b", f"{path}: not gzip"
        return gzip.decompress(data).decode("utf-8")
    if path.suffix == ".zst":
        assert data[:4] == b"\x28\xb5\x2f\xfd", f"{path}: not zstd"
        return subprocess.run(["zstd", "-q", "-d", "-c"], input=data, capture_output=True, check=True).stdout.decode("utf-8")
    return data.decode("utf-8")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="corpuslint-roundtrip-"))
    src = tmp / "in"
    src.mkdir()
    shards = {}
    # zstd when the command is there to make and read it, else plain.
    second = "traf.jsonl.zst" if shutil.which("zstd") else "traf.jsonl"
    for sub, name, ascii_only in [("raw", "raw.jsonl.gz", True), ("trafilatura", second, False)]:
        lines = []
        for i, p in enumerate(sorted((devset / sub).glob("*.txt"))):
            text = p.read_text(encoding="utf-8", errors="replace")
            rec = {"id": f"{sub}-{i:04d}", "url": p.name, "text": text, "n": i}
            lines.append(json.dumps(rec, ensure_ascii=ascii_only) + "\n")
        write(src / name, lines)
        shards[name] = lines
    r = subprocess.run([corpuslint, "filter", "--isolated", str(src), "-o", str(tmp / "kept"),
                        "--rejected", str(tmp / "rejected"), "--min-words", "50",
                        "--summary", str(tmp / "summary.json")], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    print(r.stderr.strip())
    for name, lines in shards.items():
        kept_path, rej_path = tmp / "kept" / name, tmp / "rejected" / name
        kept = read(kept_path).splitlines(keepends=True)
        rejected = read(rej_path).splitlines(keepends=True) if rej_path.exists() else []
        ids = lambda ls: [json.loads(l)["id"] for l in ls]
        k, rj = ids(kept), ids(rejected)
        order = {json.loads(l)["id"]: n for n, l in enumerate(lines)}
        assert [order[i] for i in k] == sorted(order[i] for i in k), f"{name}: kept out of order"
        assert [order[i] for i in rj] == sorted(order[i] for i in rj), f"{name}: rejected out of order"
        assert sorted(k + rj) == sorted(order), f"{name}: kept + rejected != input"
        unchanged = 0
        for line in kept:
            rec = json.loads(line)
            original = lines[order[rec["id"]]]
            orig = json.loads(original)
            if rec["text"] == orig["text"]:
                assert line == original, f"{name} {rec['id']}: unchanged record not byte-identical"
                unchanged += 1
            else:
                # Every byte before and after the text string is kept.
                head = original[: original.index('"text": ') + 8]
                assert line.startswith(head), f"{name} {rec['id']}: head changed"
                tail = original[original.index(', "n": '):]
                assert line.endswith(tail), f"{name} {rec['id']}: tail changed"
        for line in rejected:
            rec = json.loads(line)
            assert rec["corpuslint"]["kept"] is False and rec["corpuslint"]["reasons"]
        print(f"{name}: {len(k)} kept ({unchanged} unchanged), {len(rj)} rejected; order, ids, bytes, compression ok")
    r = subprocess.run([corpuslint, "check", "--isolated", "--format", "jsonl", str(tmp / "kept")],
                       capture_output=True, text=True)
    safe = [l for l in r.stdout.splitlines() if '"applicability":"safe"' in l]
    assert not safe, f"the kept output still has safe fixes: {safe[:3]}"
    print("check of the kept output: nothing a safe fix would change")


main()
