"""Repair and normalise text in one pass, keeping a map from every new offset to the original one.

What changes: mojibake is repaired (ftfy, only on lines that show its signature), HTML entities left in
plain text are decoded, line endings become ``\\n``, runs of spaces and exotic blanks become one space,
blank-line runs become one blank line, indentation and trailing blanks go, zero-width characters go,
and typographic double/single quotes become ``"`` and ``'`` (guillemets stay: they mark quotes too).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from dossier.model import OffsetMap

_BLANKS = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u2060\ufeff\u00ad"
_W = _BLANKS + _ZERO_WIDTH  # runs of these collapse together
_PATTERN = re.compile(
    "|".join(
        [
            rf"(?P<paras>(?:\r\n?|\n)(?:[{_W}]*(?:\r\n?|\n)){{2,}}[{_W}]*)",
            rf"(?P<indent>(?:\r\n?|\n)[{_W}]+)",  # before nl: "\r\t" is one line break, not two edits
            r"(?P<nl>\r\n?)",
            rf"(?P<trail>[{_W}]+(?=[\r\n]|$))",
            rf"(?P<spaces>[{_W}]{{2,}}|[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000{_ZERO_WIDTH}])",
            # Not `` and '': two apostrophes are what ’’ becomes, so reading them as a quote is not idempotent.
            r"(?P<dq>[\u201c\u201d\u201e\u201f\u2033\uff02])",
            r"(?P<sq>[\u2018\u2019\u201a\u201b\u2032])",
        ]
    )
)
_IS_BLANK = re.compile(f"[{_BLANKS}]")
# Bytes of UTF-8 read as Latin-1/Windows-1252 leave these pairs behind ("Ã©", "â€™", "Ð°").
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_CANDIDATE = re.compile(
    r"[\r\t\u00a0\u1680\u2000-\u200c\u202f\u205f\u3000\u2060\ufeff\u00ad\u201c-\u201f\u2033\uff02"
    r"\u2018-\u201b\u2032]| [ \n]| $|\n\n\n|\n "
)
_WHITESPACE = frozenset(" \t\r\n\u00a0\u1680\u202f\u205f\u3000" + _ZERO_WIDTH) | {chr(c) for c in range(0x2000, 0x200B)}
_LEAD = re.compile(r"[\s\u200b\u200c\u2060\ufeff\u00ad]*")
# "&amp;amp;" (escaped twice, as CMSs do) is one entity to decode until nothing changes.
_ENTITY = re.compile(r"&(?:amp;)*(?:[a-zA-Z]{2,8}|#[0-9]{2,6}|#x[0-9a-fA-F]{2,5});")


def _narrow(start: int, old: str, new: str) -> list[tuple[int, int, str]]:
    """The edits that turn ``old`` (at ``start``) into ``new``, only where they differ: offsets stay exact."""
    from difflib import SequenceMatcher

    # Common ends first (the diff alone may align a repaired character with a later, unchanged one).
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    base = start + head
    return [
        (base + i1, base + i2, new_mid[j1:j2])
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old_mid, new_mid, autojunk=False).get_opcodes()
        if op != "equal"
    ]


def _unescape(match: re.Match[str]) -> str:
    value = match.group()
    for _ in range(4):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


_WORD = re.compile(r"\S+")


def _replacement(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind in ("nl", "indent"):
        return "\n"
    if kind == "paras":
        return "\n\n"
    if kind == "trail":
        return ""
    if kind == "spaces":
        # A run with a real blank in it is one space; zero-width characters alone vanish.
        return " " if _IS_BLANK.search(match.group()) else ""
    if kind == "dq":
        return '"'
    return "'"  # sq


def normalize(text: str) -> tuple[str, OffsetMap]:
    """The normalised text and the map of its offsets back into ``text``.

    Idempotent: when removing a character joins the parts of an entity or of mojibake (rare, and only
    then), the text is normalised again, so normalising the result changes nothing.
    """
    norm, mapping = _normalize_once(text)
    for _ in range(2):
        if not (_ENTITY.search(norm) or _MOJIBAKE.search(norm)):
            break
        again, inner = _normalize_once(norm)
        if again == norm:
            break
        norm, mapping = again, _compose(inner, mapping)
    return norm, mapping


def _normalize_once(text: str) -> tuple[str, OffsetMap]:
    # 1. Repair: mojibake in the words where its signature appears (rare, so ftfy stays off the hot path;
    #    word-sized edits keep the offset map exact everywhere else) and HTML entities left in plain text.
    #    Both run before normalisation, so a decoded &nbsp; or &rsquo; is normalised like the character.
    edits: list[tuple[int, int, str]] = []
    if _MOJIBAKE.search(text):
        import ftfy

        for word in _WORD.finditer(text):
            if _MOJIBAKE.search(word.group()):
                fixed = ftfy.fix_encoding(word.group())
                if fixed != word.group():
                    edits.extend(_narrow(word.start(), word.group(), fixed))
    if "&" in text:
        taken = [(s, e) for s, e, _ in edits]
        for ent in _ENTITY.finditer(text):
            decoded = _unescape(ent)
            if decoded != ent.group() and not any(s < ent.end() and ent.start() < e for s, e in taken):
                edits.extend(_narrow(ent.start(), ent.group(), decoded))
    if not edits:
        return _normalise_pass(text)
    # 2. Normalise the repaired text; compose the two maps.
    edits.sort()
    repaired, first = _apply(text, edits)
    norm, second = _normalise_pass(repaired)
    return norm, _compose(second, first)


def _matches(text: str, pos: int) -> Iterator[re.Match[str]]:
    """What ``_PATTERN.finditer`` finds, about ten times faster.

    The full pattern is an alternation that Python's regex engine tries at every character. Every one of
    its matches contains a character (or pair) that a plain character class finds quickly, so scan for
    those, back up over the whitespace run the match may start in, and try the full pattern only there.
    """
    end = len(text)
    while pos < end:
        candidate = _CANDIDATE.search(text, pos)
        if candidate is None:
            return
        start = candidate.start()
        while start > pos and text[start - 1] in _WHITESPACE:
            start -= 1
        match = None
        for q in range(start, candidate.start() + 1):
            match = _PATTERN.match(text, q)
            if match is not None:
                break
        if match is None:
            pos = candidate.start() + 1
            continue
        yield match
        pos = max(match.end(), match.start() + 1)


def _normalise_pass(text: str) -> tuple[str, OffsetMap]:
    edits: list[tuple[int, int, str]] = []
    # Leading whitespace of the whole text goes; the trailing is cut after the pass.
    lead = _LEAD.match(text).end()  # type: ignore[union-attr]
    if lead:
        edits.append((0, lead, ""))
    for match in _matches(text, lead):
        new = _replacement(match)
        if new != match.group():
            edits.append((match.start(), match.end(), new))
    norm, mapping = _apply(text, edits)
    end = len(norm.rstrip())
    return norm[:end], mapping


def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    parts: list[str] = []
    mapping = OffsetMap()
    pos = 0
    out = 0
    for start, end, new in edits:
        if start < pos:  # overlapping edits cannot happen with one regex pass; be safe anyway
            continue
        parts.append(text[pos:start])
        out += start - pos
        mapping.norm.append(out)
        mapping.orig.append(start)
        parts.append(new)
        out += len(new)
        mapping.norm.append(out)
        mapping.orig.append(end)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), mapping


def _compose(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """A map through two passes: normalised → repaired (outer), repaired → original (inner)."""
    points = sorted(set(outer.norm) | {_inverse(outer, n) for n in inner.norm})
    composed = OffsetMap()
    for n in points:
        composed.norm.append(n)
        composed.orig.append(inner.to_original(outer.to_original(n)))
    return composed


def _inverse(mapping: OffsetMap, orig: int) -> int:
    """The normalised offset of an original offset (approximate inside replaced spans)."""
    best = orig
    for n, o in zip(mapping.norm, mapping.orig, strict=True):
        if o <= orig:
            best = n + (orig - o)
        else:
            break
    return best
