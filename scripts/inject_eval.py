#!/usr/bin/env python3
"""Injection harness: corpuslint's recall on artifacts in wording no rule lists.

Usage (from the repository root, after `cargo build --release`):

    python3 scripts/inject_eval.py [--devset DIR] [--binary PATH] [--seed N]
                                   [--limit N] [--classes a,b] [--jobs N]
                                   [--json out.json] [--show-misses N]
                                   [--workdir DIR]

Standard library only (Python 3.10+). The same seed and binary give the same
files and the same report, byte for byte. About 10-30 s on 2 cores, most of
it writing and deleting the ~11,000 scratch files.

Method
------
1. Input: the cleaned pages of the development set,
   ../shared/devset/trafilatura/*.txt (override with --devset). Each page's
   language is guessed from function words: German when German ones
   outnumber English ones and make 5 % of the words, else English (the few
   French, Spanish ... pages get English injections).

2. For every page and every artifact class, one copy of the page gets 1-3
   artifacts of that class at random places (between lines, or inside a
   line where the class needs it), drawn from a random generator seeded by
   (seed, class, page). For each artifact the harness records its exact
   byte span in the new text and, where the class has an obvious repair,
   the text expected in its place. The phrasings of the boilerplate lines
   and related-articles headers live in scripts/inject_phrases.py; they
   were written for this harness and none comes from rules/.

   class               artifact                                    expected repair
   boilerplate-line    a standalone line: player, UI verb, ad      the line deleted
                       marker, bullet link, copyright, caption
                       credit, script/cookie notice, newsletter
   join-no-stop        `word. The` -> `word The`                    the full stop back
   join-linebreak      a space inside a sentence -> newline        the space back
   hyphen-break        `Produktion` -> `Produk-\\ntion` / `- \\n`    the word whole
   whitespace-run      a space -> ` \\t`, 3-4 spaces, NBSP+space    one space
   unbalanced-quote    closing mark dropped, or replaced by an      the pair's closing
                       opening or a foreign mark                   mark (dropped: none)
   invisible-char      U+200B/200C/2060/FEFF inside a Latin word   removed
   html-entity         &nbsp; &amp; &quot; &#8217; &auml; ...,      the decoded character
                       also upper case (&NBSP; &AMP;)               (&nbsp;: NBSP or space)
   leftover-tag        </p>, < /p>, <br>, <div class="x">, ...     removed
                       at line end or start, after a word, alone
   mojibake            a Latin-script word with a non-ASCII        the word
                       letter or ’, UTF-8 read as cp1252 once,
                       twice or three times
   repeated-paragraph  a line of 60+ chars again, right after      one copy left
                       itself or near the end
   related-block       a header in new wording and 3-5 first       the block deleted
                       lines (or first sentences) of other pages,
                       only pages whose first line has no finding

   An artifact counts as detected when a new error or warning overlaps it;
   for whitespace-run, whose rules are `info` by design, an info finding of
   a whitespace/ rule counts too.

   A dropped closing mark has no single obvious repair and is not scored
   for fixes; a replaced one is (the mark of the pair the page had). The
   deletion classes (boilerplate-line, repeated-paragraph, related-block)
   are scored for it, since deleting the injected lines is the only repair
   that restores the page.

3. The untouched pages are written as they are to
   target/inject-eval/original/ (the folder is recreated on each run) and
   checked first (their findings choose the related-block headlines and
   are the baseline); then all the copies, in
   target/inject-eval/injected/<class>/, are checked in one run. Both runs:
   `corpuslint check --isolated --format json --fail-on never -j 2`.

4. Detection. Only errors and warnings count, and not the document-level
   rules (structure/unpunctuated-lines, boilerplate-share, short-document,
   other-language). A finding on a copy that is already present on the
   untouched page -- same rule, both ends within 2 bytes after mapping the
   copy's offsets back through the injected edits -- is not new. An
   artifact counts as detected when a new finding overlaps its byte span
   (within 2 bytes for a zero-width span). For a repeated paragraph, a
   finding on the first occurrence counts too; for a quote, the span is the
   whole quoted passage, since the rule may point at either mark.

5. Fixes. The copies and the untouched pages are copied once more, to
   target/inject-eval/fixed/, and fixed in place with
   `check --fix --unsafe-fixes`. An artifact is repaired when the fixed
   copy holds the original text around it with the expected repair in its
   place: the window of up to 40 characters of original text on each side
   (shrunk to 25, 12, 6 when a fix of the untouched page changed it), with
   the expected text between, must occur in the fixed copy as often as in
   the fixed untouched page (one more time when the expected text is not
   the original one). Comparing against the fixed untouched page, locally,
   keeps the page's other fixes out of the judgement; blank lines and
   trailing spaces are normalised away. For a repeated paragraph the
   paragraph must occur as often as in the fixed untouched page. Fix
   accuracy = repaired / detected, for detected artifacts only. When the
   fixes of the untouched page changed even the 6 characters on each side
   (a menu or a caption deleted around the artifact), the artifact is not
   judged, left out of the ratio, and counted in a note.

6. Report: a Markdown table per class (injected, detected, recall, fix
   accuracy) and the overall line on stdout, then the rules that detected
   each class (top 3), skipped pages, and errors and warnings per 1,000
   non-empty lines on the untouched pages by rule. Progress and the run
   time go to stderr. --json dumps every injection with its result;
   --show-misses N prints N missed (and N unrepaired) examples per class
   with 60 characters of context, artifacts between ⟦ ⟧.
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

sys.dont_write_bytecode = True  # leave no __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inject_phrases as PH  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CLASSES = [
    "boilerplate-line", "join-no-stop", "join-linebreak", "hyphen-break",
    "whitespace-run", "unbalanced-quote", "invisible-char", "html-entity",
    "leftover-tag", "mojibake", "repeated-paragraph", "related-block",
]
# Rules that speak about a whole document, not about the line they point at.
DOC_LEVEL = {"structure/unpunctuated-lines", "structure/boilerplate-share",
             "structure/short-document", "structure/other-language"}
SCORED = {"error", "warning"}
# Whitespace is cosmetic: its rules are `info` by design (with safe fixes),
# so for that class an info finding of a whitespace/ rule detects it.
INFO_SCORED = {"whitespace-run": "whitespace/"}
SEPARATION = 100       # characters between two artifacts of one copy
TOLERANCE = 2          # bytes, for zero-width spans and for "same place"
WINDOWS = (40, 25, 12, 6)

LETTERS = r"[^\W\d_]"
DE_WORDS = set("der die das und ist nicht mit den von zu ein eine einen sich auf für dem "
               "auch im sie wir ich werden wird wurde sind bei nach noch aus wie über "
               "oder aber nur zum zur dass war".split())  # not "des", "es": French, Spanish
EN_WORDS = set("the and of to is that for with it was on are this be by as at from have "
               "not or but which you they his her their were has been will would".split())
ABBREVIATIONS = set("bzw usw etc vgl inkl ggf evtl mio mrd str tel abs bspw sog ebd prof "
                    "dipl ing mrs jan feb mar apr jun jul aug sep sept okt oct nov dez dec "
                    "inc ltd corp vol fig approx dept est bzgl zzgl ca nr "
                    # titles before a name: `Rep. Mark Meadows` is no sentence's end
                    "rep gov sen gen col sgt capt rev supt det cpl adm cmdr hon pres "
                    "ave blvd bros assn hrsg abg".split())


# --------------------------------------------------------------------------
# documents and edits

@dataclass
class Doc:
    name: str
    text: str
    lang: str
    lines: list  # (start, end) character offsets, end before the newline

    def line(self, i):
        s, e = self.lines[i]
        return self.text[s:e]


@dataclass
class Edit:
    """Replace original[p:q] (characters) by `new`; the artifact is new[span]."""
    p: int
    q: int
    new: str
    variant: str
    expected: list | None = None      # acceptable texts in place of original[p:q]
    span: tuple | None = None         # (a, b) within new; default the whole of it
    extra: list = field(default_factory=list)  # original ranges that also count
    check: str = "window"             # how the fix is judged: window | line-count
    payload: str = ""                 # the paragraph, for line-count
    zone: tuple | None = None         # original range kept clear of other edits


def read_doc(path, name):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    lines, pos = [], 0
    for part in text.split("\n"):
        lines.append((pos, pos + len(part)))
        pos += len(part) + 1
    if text.endswith("\n"):
        lines.pop()
    return Doc(name, text, guess_language(text), lines)


def guess_language(text):
    words = re.findall(LETTERS + "+", text.lower())
    de = sum(w in DE_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "de" if de > en and de >= 0.05 * len(words) else "en"


def apply_edits(doc, edits):
    """The injected text, and per edit its byte ranges in both texts."""
    edits = sorted(edits, key=lambda e: e.p)
    out, pos, nbytes, placed = [], 0, 0, []
    obytes = byte_offsets(doc.text, sorted({x for e in edits for x in
                                            (e.p, e.q, *[y for r in e.extra for y in r])}))
    for e in edits:
        chunk = doc.text[pos:e.p]
        out.append(chunk)
        nbytes += len(chunk.encode())
        a, b = e.span or (0, len(e.new))
        new_start = nbytes
        placed.append({
            "edit": e,
            "ob": (obytes[e.p], obytes[e.q]),
            "nb": (new_start, new_start + len(e.new.encode())),
            "span": (new_start + len(e.new[:a].encode()), new_start + len(e.new[:b].encode())),
        })
        out.append(e.new)
        nbytes += len(e.new.encode())
        pos = e.q
    out.append(doc.text[pos:])
    # Extra ranges are in original text outside every edit: shift them.
    for pl in placed:
        pl["extra"] = [(orig_to_new(obytes[s], placed), orig_to_new(obytes[t], placed))
                       for s, t in pl["edit"].extra]
    return "".join(out), placed


def byte_offsets(text, positions):
    res, last_c, last_b = {}, 0, 0
    for p in positions:
        last_b += len(text[last_c:p].encode())
        last_c = p
        res[p] = last_b
    return res


def orig_to_new(x, placed):
    shift = 0
    for pl in placed:
        if x <= pl["ob"][0]:
            break
        shift += (pl["nb"][1] - pl["nb"][0]) - (pl["ob"][1] - pl["ob"][0])
    return x + shift


def new_to_orig(x, placed, end):
    shift = 0
    for pl in placed:
        nb_p, nb_q = pl["nb"]
        if x <= nb_p:
            break
        if x < nb_q:
            return pl["ob"][1] if end else pl["ob"][0]
        shift += (nb_q - nb_p) - (pl["ob"][1] - pl["ob"][0])
    return x - shift


# --------------------------------------------------------------------------
# choosing places

def pick(groups, rng, n):
    """Up to n candidates, a group chosen uniformly each time, kept apart.

    groups: {name: [(p, q, build)]}; build(rng) returns an Edit or None."""
    groups = {k: list(v) for k, v in sorted(groups.items()) if v}
    for v in groups.values():
        rng.shuffle(v)
    chosen = []
    while len(chosen) < n and groups:
        name = rng.choice(sorted(groups))
        p, q, build = groups[name].pop()
        if not groups[name]:
            del groups[name]
        if any(p - SEPARATION < cq and q + SEPARATION > cp for cp, cq in
               ((c.zone or (c.p, c.q)) for c in chosen)):
            continue
        edit = build(rng)
        if edit is not None:
            edit.zone = edit.zone or (p, q)
            chosen.append(edit)
    return chosen


def insertion_points(doc):
    """Line starts where a standalone line may go: not inside a sentence
    broken over lines."""
    points = []
    for i, (s, _) in enumerate(doc.lines):
        if i == 0:
            points.append(s)
            continue
        prev = doc.line(i - 1).rstrip()
        cur = doc.line(i).lstrip()
        if (not prev or not cur or prev[-1] in ".!?:;)\"”“»«'’" or cur[0].isupper()
                or cur[0].isdigit()):
            points.append(s)
    return points


def words(doc, pattern=LETTERS + "+"):
    return re.finditer(r"(?<![^\W\d_])" + pattern + r"(?![^\W\d_])", doc.text)


def inner_spaces(doc, margin=1, min_line=0):
    """Offsets of single spaces between two letters, away from line ends."""
    res = []
    for s, e in doc.lines:
        if e - s < min_line:
            continue
        for m in re.finditer(r"(?<=[^\W\d_]) (?=[^\W\d_])", doc.text[s:e]):
            if margin <= m.start() <= e - s - margin:
                res.append(s + m.start())
    return res


def word_around(text, i):
    """(start, end) of the letters before i and after i + 1 (a separator)."""
    a = i
    while a > 0 and text[a - 1].isalpha():
        a -= 1
    b = i + 1
    while b < len(text) and text[b].isalpha():
        b += 1
    return a, b


def fill(template, rng, lang):
    return template.format(
        dur=f"{rng.randint(0, 14)}:{rng.randint(0, 59):02d}",
        mins=rng.randint(1, 45),
        year=rng.randint(2009, 2025),
        name=rng.choice(PH.NAMES),
        org=rng.choice(PH.ORGS),
        agency=rng.choice(PH.AGENCIES),
        topic=rng.choice(PH.TOPICS[lang]),
        caption=rng.choice(PH.CAPTIONS[lang]),
        count=f"{rng.randint(2, 90) * 1000:,}".replace(",", "." if lang == "de" else ","),
        bullet=rng.choice(PH.BULLETS),
    )


def line_insertion(doc, p, block, variant):
    """An Edit inserting `block` (one or more lines) as lines at line start p."""
    return Edit(p, p, block + "\n", variant, expected=[""], span=(0, len(block)))


# --------------------------------------------------------------------------
# the classes: each returns the edits for one copy

def inject_boilerplate_line(doc, rng, ctx):
    kinds = sorted(PH.BOILERPLATE[doc.lang])
    rng.shuffle(kinds)  # a different kind per artifact: no duplicate lines

    def build_for(p):
        def build(rng):
            kind = kinds.pop()
            return line_insertion(doc, p, fill(rng.choice(PH.BOILERPLATE[doc.lang][kind]),
                                               rng, doc.lang), kind)
        return build
    return pick({"line": [(p, p, build_for(p)) for p in insertion_points(doc)]},
                rng, rng.randint(1, 3))


def inject_join_no_stop(doc, rng, ctx):
    cands = []
    for m in re.finditer(r"(?<![\w.])(" + LETTERS + r"{3,})\. (" + LETTERS + r"{2,})(?![\w.])",
                         doc.text):
        w1, w2 = m.group(1), m.group(2)
        if not w2[0].isupper() or w1.lower() in ABBREVIATIONS:
            continue
        p, q = m.start(1), m.end(2)
        cands.append((p, q, lambda rng, p=p, q=q, w1=w1, w2=w2:
                      Edit(p, q, f"{w1} {w2}", "no-stop", expected=[doc.text[p:q]])))
    return pick({"join": cands}, rng, rng.randint(1, 3))


def inject_join_linebreak(doc, rng, ctx):
    cands = []
    for i in inner_spaces(doc, margin=30, min_line=100):
        a, b = word_around(doc.text, i)
        w = doc.text[a:b]
        cands.append((a, b, lambda rng, a=a, b=b, i=i, w=w:
                      Edit(a, b, w[:i - a] + "\n" + w[i - a + 1:], "newline",
                           expected=[doc.text[a:b]])))
    return pick({"break": cands}, rng, rng.randint(1, 3))


def inject_hyphen_break(doc, rng, ctx):
    vowels = set("aeiouyäöüéAEIOUYÄÖÜ")
    cands = []
    for m in words(doc, LETTERS + "{8,}"):
        w = m.group()
        if not w[1:].islower():
            continue

        def build(rng, w=w, p=m.start(), q=m.end()):
            cuts = [i for i in range(3, len(w) - 2) if w[i - 1] in vowels and w[i] not in vowels]
            i = rng.choice(cuts or list(range(3, len(w) - 2)))
            sep = rng.choice(["-\n", "-\n", "-\n", "- \n"])
            return Edit(p, q, w[:i] + sep + w[i:], "hyphen-space" if " " in sep else "hyphen",
                        expected=[w])
        cands.append((m.start(), m.end(), build))
    return pick({"word": cands}, rng, rng.randint(1, 3))


def inject_whitespace_run(doc, rng, ctx):
    runs = {" \t": "space+tab", "\t ": "tab+space", "   ": "3 spaces", "    ": "4 spaces",
            "\u00a0 ": "nbsp+space", " \u00a0": "space+nbsp"}

    def build_at(i):
        def build(rng):
            run = rng.choice(sorted(runs))
            return Edit(i, i + 1, run, runs[run], expected=[" "])
        return build
    return pick({"space": [(i, i + 1, build_at(i)) for i in inner_spaces(doc)]},
                rng, rng.randint(1, 3))


QUOTE_PAIRS = [("„", "“"), ("“", "”"), ("»", "«"), ("«", "»"), ('"', '"')]
FOREIGN_CLOSERS = {"„": ["”", "»"], "“": ["„", "«"], "»": ["“", "”"], "«": ["”", "“"],
                   '"': ["„", "«"]}


def inject_unbalanced_quote(doc, rng, ctx):
    close_for = dict(QUOTE_PAIRS)

    def build_for(p, q, opener, inner, variant_prefix):
        def build(rng):
            # A straight quote opens and closes alike: no "opening" variant.
            how = rng.choice(["dropped", "foreign"] + (["opening"] if opener != '"' else []))
            closer = {"dropped": "", "opening": opener,
                      "foreign": rng.choice(FOREIGN_CLOSERS[opener])}[how]
            # A replaced closing mark has one repair: the mark the quotation
            # opened for. A dropped one could go back at any word.
            expected = None if how == "dropped" else [opener + inner + close_for[opener]]
            return Edit(p, q, opener + inner + closer, f"{variant_prefix}{how}", expected=expected)
        return build

    cands = []
    for s, e in doc.lines:
        line = doc.text[s:e]
        for o, c in QUOTE_PAIRS:
            if o == '"' and line.count('"') % 2:
                continue
            inner_chars = "^\n" + "".join(sorted({"„", "“", "”", "»", "«", '"'}))
            for m in re.finditer(re.escape(o) + r"(?=\S)([" + inner_chars + r"]{3,300}?)(?<=\S)"
                                 + re.escape(c), line):
                cands.append((s + m.start(), s + m.end(),
                              build_for(s + m.start(), s + m.end(), o, m.group(1), "")))
    if not cands:  # no quotation on the page: quote a few words ourselves
        opener = "„" if doc.lang == "de" else "“"
        for s, e in doc.lines:
            line = doc.text[s:e]
            if len(line) < 60:
                continue
            for m in re.finditer(r"(?<=\s)" + LETTERS + r"+(?: " + LETTERS + r"+){1,4}(?=\s)",
                                 line):
                cands.append((s + m.start(), s + m.end(),
                              build_for(s + m.start(), s + m.end(), opener, m.group(), "new-")))
    return pick({"quote": cands}, rng, rng.randint(1, 3))


def inject_invisible_char(doc, rng, ctx):
    chars = {"\u200b": "U+200B", "\u200c": "U+200C", "\u2060": "U+2060", "\ufeff": "U+FEFF"}
    cands = []
    for m in words(doc, "[A-Za-z\u00c0-\u024f]{4,}"):
        def build(rng, m=m):
            i = m.start() + rng.randint(1, len(m.group()) - 1)
            ch = rng.choice(sorted(chars))
            return Edit(i, i, ch, chars[ch], expected=[""])
        cands.append((m.start(), m.end(), build))
    return pick({"word": cands}, rng, rng.randint(1, 3))


NAMED_ENTITIES = {"ä": "&auml;", "ö": "&ouml;", "ü": "&uuml;", "Ä": "&Auml;", "Ö": "&Ouml;",
                  "Ü": "&Uuml;", "ß": "&szlig;", "é": "&eacute;", "è": "&egrave;",
                  "à": "&agrave;", "ç": "&ccedil;", "€": "&euro;", "…": "&hellip;"}


def inject_html_entity(doc, rng, ctx):
    text = doc.text
    groups = collections.defaultdict(list)

    def sub(kind, p, q, options, expected):
        groups[kind].append((p, q, lambda rng: Edit(p, q, rng.choice(options), kind,
                                                    expected=expected)))
    for i in inner_spaces(doc):
        sub("nbsp", i, i + 1, ["&nbsp;", "&nbsp;", "&NBSP;", "&#160;"], [" ", "\u00a0"])
    for m in re.finditer(r"(?<= )(und|and)(?= )", text):
        sub("amp", m.start(), m.end(), ["&amp;", "&amp;", "&AMP;", "&#38;"], ["&"])
    for m in re.finditer(r"(?<=[^\W\d_])[’'](?=[^\W\d_])", text):
        if m.group() == "’":
            sub("apostrophe", m.start(), m.end(), ["&#8217;", "&rsquo;", "&#x2019;"], ["’"])
        else:
            sub("apostrophe", m.start(), m.end(), ["&#39;", "&#x27;", "&apos;"], ["'"])
    for m in re.finditer('"', text):
        sub("quot", m.start(), m.end(), ["&quot;", "&quot;", "&QUOT;", "&#34;"], ['"'])
    for m in re.finditer(r"(?<= )[–—](?= )", text):
        ent = ["&ndash;", "&#8211;"] if m.group() == "–" else ["&mdash;", "&#8212;"]
        sub("dash", m.start(), m.end(), ent, [m.group()])
    for m in re.finditer("[" + "".join(NAMED_ENTITIES) + "]", text):
        sub("named", m.start(), m.end(), [NAMED_ENTITIES[m.group()]], [m.group()])
    return pick(groups, rng, rng.randint(1, 3))


def inject_leftover_tag(doc, rng, ctx):
    groups = collections.defaultdict(list)

    def ins(kind, p, tags):
        groups[kind].append((p, p, lambda rng: Edit(p, p, rng.choice(tags), kind,
                                                    expected=[""])))
    for s, e in doc.lines:
        line = doc.text[s:e]
        if len(line.strip()) < 20 or line != line.rstrip():
            continue
        ins("line-end", e, ["</p>", "< /p>", "<br>", "<br />", "</div>", "</span >", "</li>"])
        ins("line-start", s, ["<p>", '<div class="x">', "<li>", '<span class="lead">',
                              '<p class="intro">', "<strong>"])
        for m in re.finditer(LETTERS + r"(?= " + LETTERS + ")", line):
            if 10 < m.end() < len(line) - 10:
                ins("after-word", s + m.end(), ["</span >", "<br>", "</strong>", "</a>",
                                                "< /p>", "</em>"])
    for p in insertion_points(doc):
        groups["own-line"].append((p, p, lambda rng, p=p: line_insertion(
            doc, p, rng.choice(['<div class="x">', "</div>", "<br>", "</p>", "< /p>", "<hr>"]),
            "own-line")))
    return pick(groups, rng, rng.randint(1, 3))


def garble(s, times):
    """s encoded as UTF-8 and read as cp1252, `times` times; None if a byte
    has no cp1252 character."""
    for _ in range(times):
        try:
            s = s.encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            return None
    return s


def inject_mojibake(doc, rng, ctx):
    cands = []
    for m in re.finditer(r"(?:[A-Za-z\u00c0-\u024f]|’)+", doc.text):
        w = m.group()
        if len(w) < 2 or w.isascii() or garble(w, 1) is None or not w[0].isalpha():
            continue

        def build(rng, w=w, p=m.start(), q=m.end()):
            times = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
            while garble(w, times) is None:
                times -= 1
            return Edit(p, q, garble(w, times), f"x{times}", expected=[w])
        cands.append((m.start(), m.end(), build))
    return pick({"word": cands}, rng, rng.randint(1, 3))


def inject_repeated_paragraph(doc, rng, ctx):
    counts = collections.Counter(doc.line(i).strip() for i in range(len(doc.lines)))
    last = len(doc.lines) - 1
    groups = collections.defaultdict(list)
    for i, (s, e) in enumerate(doc.lines):
        para = doc.line(i)
        if len(para.strip()) < 60 or counts[para.strip()] > 1:
            continue
        groups["adjacent"].append((e, e, lambda rng, s=s, e=e, para=para: Edit(
            e, e, "\n" + para, "adjacent", expected=None, span=(1, 1 + len(para)),
            extra=[(s, e)], check="line-count", payload=para.strip())))
        if i < last - 1:
            for target in (doc.lines[last][0], len(doc.text) if doc.text.endswith("\n") else None):
                if target is None:
                    continue
                groups["near-end"].append((target, target, lambda rng, s=s, e=e, para=para,
                                           t=target: Edit(
                    t, t, para + "\n", "near-end", span=(0, len(para)), extra=[(s, e)],
                    check="line-count", payload=para.strip())))
    return pick(groups, rng, rng.randint(1, 3))


def inject_related_block(doc, rng, ctx):
    own = {doc.line(i).strip() for i in range(len(doc.lines))}
    pool = [h for name, lang, h in ctx["headlines"] if name != doc.name and h not in own]
    same = [h for name, lang, h in ctx["headlines"]
            if name != doc.name and lang == doc.lang and h not in own]
    pool = same if len(same) >= 15 else pool
    headers = list(PH.RELATED_HEADERS[doc.lang])
    rng.shuffle(headers)
    used = set()

    def build_for(p):
        def build(rng):
            header = headers.pop()
            style = rng.choice(["plain", "colon", "upper"])
            header = {"plain": header, "colon": header + ":", "upper": header.upper()}[style]
            heads = [h for h in rng.sample(pool, 5) if h not in used][:rng.randint(3, 5)]
            if len(heads) < 3:
                return None
            used.update(heads)
            if rng.random() < 0.3:
                bullet = rng.choice(PH.BULLETS)
                heads = [bullet + h for h in heads]
            return line_insertion(doc, p, "\n".join([header] + heads), f"{len(heads)} lines")
        return build
    return pick({"block": [(p, p, build_for(p)) for p in insertion_points(doc)]},
                rng, rng.randint(1, 3))


INJECTORS = {
    "boilerplate-line": inject_boilerplate_line,
    "join-no-stop": inject_join_no_stop,
    "join-linebreak": inject_join_linebreak,
    "hyphen-break": inject_hyphen_break,
    "whitespace-run": inject_whitespace_run,
    "unbalanced-quote": inject_unbalanced_quote,
    "invisible-char": inject_invisible_char,
    "html-entity": inject_html_entity,
    "leftover-tag": inject_leftover_tag,
    "mojibake": inject_mojibake,
    "repeated-paragraph": inject_repeated_paragraph,
    "related-block": inject_related_block,
}
assert list(INJECTORS) == CLASSES


def headline_pool(docs, flagged):
    """Headline-like first lines (or first sentences) of the pages, leaving
    out those on which corpuslint already reports something (`flagged`: the
    names of those pages), so that a related block brings no artifact of its
    own."""
    pool = []
    for doc in docs:
        if not doc.lines or doc.name in flagged:
            continue
        first = doc.line(0).strip()
        if len(first) > 110:
            m = re.match(r"(.{20,100}?" + LETTERS + r"{2}[.?!])\s+(?=[A-ZÄÖÜ])", first)
            first = m.group(1).rstrip(".") if m else ""
        if (20 <= len(first) <= 110 and 3 <= len(first.split()) <= 16 and first[0].isupper()
                and not first.endswith(":") and not re.search("[|„“”\"«»]", first)):
            pool.append((doc.name, doc.lang, first))
    return pool


# --------------------------------------------------------------------------
# running corpuslint

def run_corpuslint(binary, cwd, args, what):
    t0 = time.time()
    run = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True)
    if run.returncode not in (0, 1, 2) or not run.stdout.lstrip().startswith("["):
        sys.exit(f"inject_eval.py: corpuslint ({what}) exited with {run.returncode}:\n"
                 f"{run.stderr[-3000:]}")
    if run.stderr.strip():
        print(f"corpuslint ({what}) said: {run.stderr.strip()[-500:]}", file=sys.stderr)
    print(f"  corpuslint {what}: {time.time() - t0:.1f} s", file=sys.stderr)
    by_path = collections.defaultdict(list)
    for f in json.loads(run.stdout):
        by_path[f["path"].replace("\\", "/")].append(f)
    return by_path


def located(findings):
    """Findings about a place in the text: no document-level rule."""
    return [f for f in findings if f["rule"] not in DOC_LEVEL and not f.get("fixed")]


# --------------------------------------------------------------------------
# judging fixes

START, END = "\x02", "\x03"


def norm(s):
    s = re.sub(r"[ \t]+\n", "\n", s)
    return re.sub(r"\n(?:[ \t]*\n)+", "\n", s)


def judge_window(orig, edit, fixed_orig_n, fixed_inj_n):
    """True/False, or None when no window of the original survives the
    fixes of the untouched page."""
    # Sentinels stand for the start and the end of the page, so that a window
    # at either still straddles the artifact (the callers wrap the fixed texts).
    orig = START + orig + END
    p, q = edit.p + 1, edit.q + 1
    inside = orig[p:q]
    for k in WINDOWS:
        left, right = orig[max(0, p - k):p], orig[q:q + k]
        ref = norm(left + inside + right).rstrip(" \t")
        if not ref.strip() or ref not in fixed_orig_n:
            continue
        for exp in edit.expected:
            want = norm(left + exp + right).rstrip(" \t")
            base = fixed_orig_n.count(want) - (1 if exp == inside else 0)
            if fixed_inj_n.count(want) > base:
                return True
        return False
    return None


def judge_line_count(edit, fixed_orig, fixed_inj):
    """True when the fixed copy holds the paragraph as often as the fixed
    untouched page; None when the fixes of the page changed the paragraph
    itself (spacing aside)."""
    def squash(s):
        return " ".join(s.split())
    want = squash(edit.payload)

    def count(text):
        return sum(1 for line in text.split("\n") if squash(line) == want)
    in_orig = count(fixed_orig)
    return None if in_orig == 0 else count(fixed_inj) == in_orig


# --------------------------------------------------------------------------

def show(text, a, b, context=60):
    """text[a:b] between ⟦ ⟧ with `context` characters around, control and
    invisible characters spelled out."""
    def esc(s):
        out = []
        for ch in s:
            if ch == "\n":
                out.append("⏎")
            elif ch == "\t":
                out.append("\\t")
            elif ch in "\u00a0\u200b\u200c\u2060\ufeff" or not ch.isprintable():
                out.append(f"\\u{ord(ch):04X}")
            else:
                out.append(ch)
        return "".join(out)
    return (("…" if a > context else "") + esc(text[max(0, a - context):a]) + "⟦" + esc(text[a:b])
            + "⟧" + esc(text[b:b + context]) + ("…" if b + context < len(text) else ""))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", default=os.path.join(ROOT, "..", "shared", "devset", "trafilatura"),
                    help="folder of cleaned pages (*.txt); default ../shared/devset/trafilatura")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "corpuslint"),
                    help="corpuslint binary (default target/release/corpuslint)")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "target", "inject-eval"),
                    help="scratch folder, deleted and recreated (default target/inject-eval)")
    ap.add_argument("--seed", type=int, default=20261122,
                    help="seed of the injections (default 20261122)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (by name)")
    ap.add_argument("--classes", default="", help="comma list of classes (default: all)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="corpuslint threads (default 2)")
    ap.add_argument("--json", metavar="OUT", help="write every injection with its result here")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N",
                    help="print N missed and N unrepaired examples per class")
    opts = ap.parse_args(argv[1:])
    t_start = time.time()

    classes = [c.strip() for c in opts.classes.split(",") if c.strip()] or CLASSES
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        sys.exit(f"inject_eval.py: unknown class {', '.join(unknown)}; "
                 f"known: {', '.join(CLASSES)}")
    devset = os.path.abspath(opts.devset)
    if os.path.isdir(os.path.join(devset, "trafilatura")):
        devset = os.path.join(devset, "trafilatura")
    names = sorted(n for n in os.listdir(devset) if n.endswith(".txt")) \
        if os.path.isdir(devset) else []
    if not names:
        sys.exit(f"inject_eval.py: no development set at {devset} (no *.txt there); "
                 "pass --devset DIR")
    binary = os.path.abspath(opts.binary)
    if not os.path.isfile(binary):
        sys.exit(f"inject_eval.py: no binary at {binary}: run `cargo build --release`")

    all_docs = [read_doc(os.path.join(devset, n), n) for n in names]
    docs = all_docs[:opts.limit] if opts.limit > 0 else all_docs

    # The untouched pages, as they are (all of them: their first lines are
    # the headlines of related blocks), checked in a run of their own.
    work = os.path.abspath(opts.workdir)
    marker = os.path.join(work, ".inject-eval")
    if os.path.isdir(work) and os.listdir(work) and not os.path.exists(marker):
        sys.exit(f"inject_eval.py: {work} exists and was not made by this script; "
                 "pass another --workdir")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "original"))
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write("scratch folder of scripts/inject_eval.py, deleted on each run\n")
    for doc in all_docs:
        with open(os.path.join(work, "original", doc.name), "w", encoding="utf-8") as fh:
            fh.write(doc.text)
    jobs = ["-j", str(opts.jobs)]
    check = ["check", "--isolated", "--format", "json", "--fail-on", "never", *jobs]
    found = run_corpuslint(binary, work, [*check, "original"], "check untouched")
    first_line_flagged = {path.split("/", 1)[1] for path, fs in found.items()
                          if any(f["line"] == 1 and f["rule"] not in DOC_LEVEL for f in fs)}
    ctx = {"headlines": headline_pool(all_docs, first_line_flagged)}

    # 1-3: generate the copies
    injections, copies, skipped = [], {}, collections.Counter()
    for doc in docs:
        for cls in classes:
            rng = random.Random(f"{opts.seed}|{cls}|{doc.name}")
            edits = INJECTORS[cls](doc, rng, ctx)
            if not edits:
                skipped[cls] += 1
                continue
            text, placed = apply_edits(doc, edits)
            rel = f"injected/{cls}/{doc.name}"
            os.makedirs(os.path.join(work, "injected", cls), exist_ok=True)
            with open(os.path.join(work, rel), "w", encoding="utf-8") as fh:
                fh.write(text)
            copies[rel] = (doc, cls, text, placed)
            for pl in placed:
                injections.append({"rel": rel, "doc": doc, "cls": cls, "placed": pl,
                                   "text": text})
    print(f"inject_eval: {len(docs)} pages "
          f"({sum(d.lang == 'de' for d in docs)} German), {len(copies)} copies, "
          f"{len(injections)} artifacts in {work} ({time.time() - t_start:.1f} s)",
          file=sys.stderr)

    if not copies:
        sys.exit("inject_eval.py: no page had a place for the classes asked for")
    # 4: one check run over all the copies
    found.update(run_corpuslint(binary, work, [*check, "injected"], "check copies"))

    # 6: one fix run over another copy of both
    shutil.copytree(os.path.join(work, "original"), os.path.join(work, "fixed", "original"))
    shutil.copytree(os.path.join(work, "injected"), os.path.join(work, "fixed", "injected"))
    run_corpuslint(binary, work, ["check", "--isolated", "--format", "json", "--fail-on",
                                  "never", "--fix", "--unsafe-fixes", *jobs, "fixed"], "fix")

    def read(rel):
        with open(os.path.join(work, rel), encoding="utf-8") as fh:
            return fh.read()

    # 5: detection
    base = {doc.name: located(found.get(f"original/{doc.name}", [])) for doc in docs}
    new_findings = {}
    for rel, (doc, cls, text, placed) in copies.items():
        fresh = []
        for f in located(found.get(rel, [])):
            ms = new_to_orig(f["byte_start"], placed, end=False)
            me = new_to_orig(f["byte_end"], placed, end=True)
            if not any(g["rule"] == f["rule"] and abs(g["byte_start"] - ms) <= TOLERANCE
                       and abs(g["byte_end"] - me) <= TOLERANCE for g in base[doc.name]):
                fresh.append(f)
        new_findings[rel] = fresh

    fixed_cache = {}
    for inj in injections:
        pl, edit = inj["placed"], inj["placed"]["edit"]
        spans = [pl["span"]] + pl["extra"]
        rules, info_rules = set(), set()
        for f in new_findings[inj["rel"]]:
            for a, b in spans:
                tol = TOLERANCE if a == b or f["byte_start"] == f["byte_end"] else 0
                if f["byte_start"] < b + tol and f["byte_end"] > a - tol:
                    scored = f["severity"] in SCORED or f["rule"].startswith(
                        INFO_SCORED.get(inj["cls"], "\0"))
                    (rules if scored else info_rules).add(f["rule"])
                    break
        inj["rules"] = sorted(rules)
        inj["info_rules"] = sorted(info_rules)
        inj["detected"] = bool(rules)
        inj["repaired"] = None
        if edit.expected is None and edit.check != "line-count":
            continue
        name = inj["doc"].name
        if name not in fixed_cache:
            fo = read(f"fixed/original/{name}")
            fixed_cache[name] = (fo, norm(START + fo + END))
        if inj["rel"] not in fixed_cache:
            fi = read(f"fixed/{inj['rel']}")
            fixed_cache[inj["rel"]] = (fi, norm(START + fi + END))
        fo, fo_n = fixed_cache[name]
        fi, fi_n = fixed_cache[inj["rel"]]
        if edit.check == "line-count":
            inj["repaired"] = judge_line_count(edit, fo, fi)
        else:
            inj["repaired"] = judge_window(inj["doc"].text, edit, fo_n, fi_n)
        if inj["repaired"] is None:
            inj["unjudged"] = True

    # report
    stats = {c: collections.Counter() for c in classes}
    det_rules = {c: collections.Counter() for c in classes}
    info_only = {c: collections.Counter() for c in classes}
    variants = {c: collections.defaultdict(collections.Counter) for c in classes}
    for inj in injections:
        s = stats[inj["cls"]]
        s["injected"] += 1
        s["detected"] += inj["detected"]
        det_rules[inj["cls"]].update(inj["rules"])
        if not inj["detected"] and inj["info_rules"]:
            s["info_only"] += 1
            info_only[inj["cls"]].update(inj["info_rules"])
        v = variants[inj["cls"]][inj["placed"]["edit"].variant]
        v["injected"] += 1
        v["detected"] += inj["detected"]
        s["injected_" + inj["doc"].lang] += 1
        s["detected_" + inj["doc"].lang] += inj["detected"]
        if inj["detected"] and inj["repaired"] is not None:
            s["judged"] += 1
            s["repaired"] += inj["repaired"]
        if inj["detected"] and inj.get("unjudged"):
            s["unjudged"] += 1

    def ratio(a, b):
        return f"{a / b:.3f}" if b else "n/a"

    print("| class | injected | detected | recall | fix accuracy |")
    print("|---|---:|---:|---:|---:|")
    total = collections.Counter()
    for c in classes:
        s = stats[c]
        total.update(s)
        fix = ratio(s["repaired"], s["judged"]) if s["judged"] else "n/a"
        print(f"| `{c}` | {s['injected']} | {s['detected']} | "
              f"{ratio(s['detected'], s['injected'])} | {fix} |")
    print(f"| **all** | {total['injected']} | {total['detected']} | "
          f"**{ratio(total['detected'], total['injected'])}** | "
          f"**{ratio(total['repaired'], total['judged'])}** |")
    print()
    print(f"Overall: recall {ratio(total['detected'], total['injected'])} "
          f"({total['detected']} of {total['injected']} artifacts in {len(copies)} copies of "
          f"{len(docs)} pages, seed {opts.seed}); fix accuracy "
          f"{ratio(total['repaired'], total['judged'])} ({total['repaired']} of "
          f"{total['judged']} detected artifacts with an expected repair).")
    if total["unjudged"]:
        print(f"({total['unjudged']} detected artifacts could not be judged for the fix and are "
              "left out of fix accuracy: the fixes of the untouched page changed the text "
              "around them (" + ", ".join(f"`{c}` {stats[c]['unjudged']}" for c in classes
                                          if stats[c]["unjudged"]) + ").)")

    print()
    print("Rules that detected each class (top 3, with the artifacts each overlapped); "
          "artifacts only an `info` finding overlapped (not counted as detected); "
          "recall by variant:")
    print()
    for c in classes:
        top = ", ".join(f"`{r}` {n}" for r, n in det_rules[c].most_common(3)) or "none"
        line = f"- `{c}`: {top}"
        if stats[c]["info_only"]:
            line += (f"; info only: {stats[c]['info_only']} ("
                     + ", ".join(f"`{r}` {n}" for r, n in info_only[c].most_common(2)) + ")")
        if len(variants[c]) > 1:
            line += "; " + ", ".join(f"{name} {v['detected']}/{v['injected']}"
                                     for name, v in sorted(variants[c].items()))
        print(line)
    print()
    print("Recall by the page's language (German pages get German injections, the others "
          "English ones):")
    print()
    print("| class | German pages | English and other pages |")
    print("|---|---:|---:|")
    for c in classes + ["all"]:
        s = total if c == "all" else stats[c]
        print(f"| {'**all**' if c == 'all' else f'`{c}`'} | "
              f"{ratio(s['detected_de'], s['injected_de'])} ({s['injected_de']}) | "
              f"{ratio(s['detected_en'], s['injected_en'])} ({s['injected_en']}) |")
    if skipped:
        print()
        print("Pages without a place for the class (no copy made): "
              + ", ".join(f"`{c}` {skipped[c]}" for c in classes if skipped[c]))

    lines = sum(1 for doc in docs for line in doc.text.split("\n") if line.strip())
    base_all = [f for doc in docs for f in found.get(f"original/{doc.name}", [])
                if f["severity"] in SCORED]
    by_rule = collections.Counter(f["rule"] for f in base_all)
    print()
    print(f"Untouched pages: {len(base_all)} errors and warnings in {lines} non-empty lines, "
          f"{1000 * len(base_all) / max(lines, 1):.1f} per 1,000 lines; top rules: "
          + ", ".join(f"`{r}` {n} ({1000 * n / max(lines, 1):.1f})"
                      for r, n in by_rule.most_common(8)))

    if opts.show_misses > 0:
        rng = random.Random(opts.seed)
        for c in classes:
            for what, sel in (("missed", lambda i: not i["detected"]),
                              ("detected, not repaired", lambda i: i["detected"]
                               and i["repaired"] is False)):
                cases = [i for i in injections if i["cls"] == c and sel(i)]
                if not cases:
                    continue
                print()
                print(f"{c}: {what} ({len(cases)}), {min(opts.show_misses, len(cases))} shown")
                for inj in rng.sample(cases, min(opts.show_misses, len(cases))):
                    text, (a, b) = inj["text"], inj["placed"]["span"]
                    ca = len(text.encode()[:a].decode())
                    cb = len(text.encode()[:b].decode())
                    edit = inj["placed"]["edit"]
                    extra = f" rules: {', '.join(inj['rules'])}" if inj["rules"] else ""
                    print(f"  {inj['rel']} [{edit.variant}]{extra}")
                    print(f"    {show(text, ca, cb)}")
                    if what != "missed":
                        fixed = fixed_cache[inj["rel"]][0]
                        pos = inj["doc"].text[max(0, edit.p - 30):edit.p]
                        at = fixed.find(pos) if pos else 0
                        if at >= 0:
                            at += len(pos)
                            print(f"    fixed: {show(fixed, at, at, 60)}")

    if opts.json:
        rows = []
        for inj in injections:
            pl, edit = inj["placed"], inj["placed"]["edit"]
            a, b = pl["span"]
            rows.append({
                "path": inj["rel"], "doc": inj["doc"].name, "lang": inj["doc"].lang,
                "class": inj["cls"], "variant": edit.variant,
                "byte_start": a, "byte_end": b,
                "artifact": inj["text"].encode()[a:b].decode(),
                "original": inj["doc"].text[edit.p:edit.q],
                "expected": edit.expected if edit.check == "window" else
                ["(one copy of the paragraph)"],
                "detected": inj["detected"], "rules": inj["rules"],
                "info_rules": inj["info_rules"],
                "repaired": inj["repaired"],
            })
        with open(opts.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    print(f"inject_eval: done in {time.time() - t_start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
