"""Unrolled social-media threads: find them, split a file into one text per thread, label the posts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dossier.clean import patterns
from dossier.clean.dates import find_date
from dossier.clean.lines import _any, _plain, is_boilerplate
from dossier.model import Segment

_LINE = re.compile(r"[^\n]+")
# Cheap over-approximation of the numbered-post patterns, for an early exit.
_ANY_NUMBER = re.compile(r"^[(\[]?\d{1,3}\s*[/.)]|\d{1,3}\s*/\s*\d{0,3}[)\]]?\s*🧵?\s*$", re.M)
_HANDLE = re.compile(r"@[A-Za-z0-9_.]{2,30}")


@dataclass(slots=True)
class Thread:
    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)
    author: str | None = None
    published: str | None = None
    title: str | None = None


def _post_number(line: str, *, loose: bool = False) -> int | None:
    pats = patterns.load()
    match = pats.post_number_start.match(line) or pats.post_number_end.search(line)
    if not match and loose:
        match = pats.post_number_loose.match(line)
    if not match:
        return None
    n = int(match.group("n"))
    total = match.groupdict().get("total")
    # "2/" alone, or "3/9"; refuse fractions such as "24/7" and dates like "10/2023".
    if total is not None and (int(total) < n or int(total) > 200):
        return None
    return n


def _is_header(line: str) -> bool:
    pats = patterns.load()
    return len(line) < pats.limits["thread_header_max_chars"] and _any(pats.thread_header, _plain(line)) is not None


def is_thread_text(text: str) -> bool:
    """Several numbered posts, making up a good share of the paragraphs, or a thread header with posts."""
    if len(_ANY_NUMBER.findall(text)) < 3:
        return False  # fewer than three lines that could be numbered posts: not a thread (fast path)
    lines = _LINE.findall(text)
    headers = sum(1 for line in lines if _is_header(line))
    numbered = sum(1 for line in lines if _post_number(line, loose=headers > 0) is not None)
    if numbered < 3:
        return False
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return headers > 0 or numbered >= 0.4 * len(paragraphs)


def split_threads(text: str) -> list[Thread]:
    """One Thread per unrolled thread: split at separators, thread headers and post numbering restarts."""
    pats = patterns.load()
    loose = any(_is_header(m.group()) for m in _LINE.finditer(text))
    threads: list[Thread] = []
    current: Thread | None = None
    post: Segment | None = None
    last_number = 0
    for match in _LINE.finditer(text):
        s, e, line = match.start(), match.end(), match.group()
        if pats.thread_separator.match(line.strip()):
            current, post, last_number = None, None, 0
            continue
        header = _is_header(line)
        number = _post_number(line, loose=loose)
        starts_new = current is None or (header and last_number > 0) or (number == 1 and last_number >= 2)
        if starts_new:
            current = Thread(start=s, end=e)
            threads.append(current)
            post, last_number = None, 0
        assert current is not None
        current.end = e
        if header and number is None:
            current.segments.append(Segment("byline", s, e))
            handle = _HANDLE.search(line)
            if handle and not current.author:
                current.author = handle.group()
            found = find_date(line)
            if found and not current.published:
                current.published = found[0]
            post = None
        elif number is not None:
            post = Segment("thread_post", s, e, current.author)
            current.segments.append(post)
            last_number = number
        elif is_boilerplate(line):
            current.segments.append(Segment("boilerplate", s, e))
            post = None
        elif post is not None:
            post.end = e
        else:
            post = Segment("thread_post", s, e, current.author)
            current.segments.append(post)
    for thread in threads:
        for seg in thread.segments:
            if seg.kind == "thread_post" and seg.author is None:
                seg.author = thread.author
        thread.title = _title(text, thread)
    return [t for t in threads if any(seg.kind == "thread_post" for seg in t.segments)]


def _title(text: str, thread: Thread) -> str:
    first = next(seg for seg in thread.segments if seg.kind == "thread_post")
    pats = patterns.load()
    body = text[first.start : first.end]
    body = pats.post_number_loose.sub("", pats.post_number_start.sub("", body)).strip()
    sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    title = sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"
    return f"{thread.author}: {title}" if thread.author else title
