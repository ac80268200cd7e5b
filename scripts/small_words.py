#!/usr/bin/env python3
"""Writes the `small_words` lexicon of `rules/join/missing-full-stop.toml`.

The English words that a sentence writes in small letters wherever they
stand but at its start, such as `life`, `years`, `health`: the common words
whose capitalised form is rare. The counts are spaCy's English lexeme
probabilities (`en_lexeme_prob` of the `spacy-lookups-data` package, MIT
licence), log probabilities of each form as written, case kept, over a large
corpus of web text. A word goes in when its small form is among the common
ones (log probability above `--min-logprob`) and its capitalised form is
rarer than `--max-ratio` times the small one: names and words that are
names as often (`Brown`, `Mark`, `Apple`, `June`) stay out, and so do the
common words that are also names of places or months (`NAMES`: `Reading`,
`May`) or that a family calls its members by (`Mum`, `Dad`).

    python3 scripts/small_words.py            # downloads the package with pip
    python3 scripts/small_words.py --wheel spacy_lookups_data-1.0.5-py2.py3-none-any.whl

It replaces the words between the `words = '''` line of the
`[rule.options.en.small_words]` table and the closing `'''`.
"""

import argparse
import gzip
import json
import math
import pathlib
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "spacy-lookups-data==1.0.5"
MEMBER = "spacy_lookups_data/data/en_lexeme_prob.json.gz"
# Common words that are also names of places or months, written with a
# capital inside a sentence (`visited Reading last week`, `since May`), and
# the words of family that a family calls its members by (`what Mum used
# to say`).
NAMES = {"reading", "bath", "mobile", "split", "sale", "may", "nice", "hull", "derby", "cork", "buffalo", "phoenix",
         "mum", "mom", "dad", "mother", "father"}
RULE = pathlib.Path(__file__).resolve().parent.parent / "rules/join/missing-full-stop.toml"


def wheel(path):
    if path:
        return pathlib.Path(path)
    tmp = pathlib.Path(tempfile.mkdtemp())
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", str(tmp)],
        check=True,
    )
    return next(tmp.glob("*.whl"))


def lexicon(probs, min_logprob, max_ratio, min_letters):
    words = []
    for word, logprob in probs.items():
        if (
            len(word) < min_letters
            or logprob <= min_logprob
            or not word.isalpha()
            or not word.isascii()
            or not word.islower()
            or word in NAMES
        ):
            continue
        cap = probs.get(word[0].upper() + word[1:])
        ratio = math.exp(cap - logprob) if cap is not None else 0.0
        if ratio < max_ratio:
            words.append(word)
    return sorted(words)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help="a downloaded spacy-lookups-data wheel")
    ap.add_argument("--min-logprob", type=float, default=-13.0)
    ap.add_argument("--max-ratio", type=float, default=0.2)
    ap.add_argument("--min-letters", type=int, default=3)
    args = ap.parse_args()
    with zipfile.ZipFile(wheel(args.wheel)) as z:
        probs = json.load(gzip.open(z.open(MEMBER)))
    words = lexicon(probs, args.min_logprob, args.max_ratio, args.min_letters)
    lines, line = [], ""
    for w in words:
        if len(line) + len(w) + 1 > 100:
            lines.append(line)
            line = ""
        line = f"{line} {w}" if line else w
    lines.append(line)
    text = RULE.read_text()
    head = "[rule.options.en.small_words]\n"
    at = text.index(head)
    start = text.index("words = '''\n", at) + len("words = '''\n")
    end = text.index("'''", start)
    RULE.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:])
    print(f"{len(words)} words written to {RULE}")


if __name__ == "__main__":
    main()
