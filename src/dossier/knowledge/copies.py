"""Copies of one text: syndicated reprints and near-identical versions count as one source.

A wire story reprinted by several outlets, with a new headline, an editor's note, a promo paragraph or its
last paragraph trimmed, is still one report. Each document's own voice (body and title segments, not
comments or page furniture) is reduced to a MinHash signature over word 5-shingles; locality-sensitive
hashing (bands of rows) finds candidate pairs without comparing every pair, and a pair is one family when
its estimated resemblance reaches ``threshold``. Families are the connected components of those pairs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dossier.model import Document

SHINGLE = 5  # words per shingle: long enough that independent reports of one event share few
PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: pairs resembling from about 0.4 on become candidates
THRESHOLD = 0.5  # estimated Jaccard resemblance of two copies of one story
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_WORD = re.compile(r"\w+", re.UNICODE)
_OWN_VOICE = frozenset({"body", "title", "thread_post", "caption"})


def _coefficients(name: str) -> np.ndarray:
    """Fixed 32-bit hash coefficients derived from their names (not from a random generator, whose stream
    may change between NumPy versions): signatures stay comparable across runs, machines and stores."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(f"{name}{k}".encode(), digest_size=4).digest()) | 1
            for k in range(PERMUTATIONS)
        ],
        dtype=np.uint64,
    )


_A = _coefficients("a")
_B = _coefficients("b")


@dataclass(frozen=True, slots=True)
class Signature:
    """A document's MinHash signature (``PERMUTATIONS`` values below 2**33); empty for a text too short
    to have a shingle."""

    values: tuple[int, ...]

    def to_bytes(self) -> bytes:
        """Five bytes per value (each is below 2**33), for the store."""
        return b"".join(v.to_bytes(5, "little") for v in self.values)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature:
        return cls(tuple(int.from_bytes(blob[i : i + 5], "little") for i in range(0, len(blob), 5)))

    def bands(self) -> list[tuple[int, str]]:
        """(band, bucket) per band of rows: two signatures sharing a bucket are a candidate pair."""
        rows = PERMUTATIONS // BANDS
        out = []
        for band in range(BANDS if self.values else 0):
            part = ",".join(str(v) for v in self.values[band * rows : (band + 1) * rows])
            out.append((band, hashlib.blake2b(part.encode(), digest_size=10).hexdigest()))
        return out

    def resemblance(self, other: Signature) -> float:
        """Estimated Jaccard resemblance of the two shingle sets (0 when either is empty)."""
        if not self.values or not other.values:
            return 0.0
        same = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return same / len(self.values)


def own_text(document: Document) -> str:
    """The document's own words: its body, title, captions and posts, without comments or furniture."""
    return own_text_of(document.text, [(s.kind, s.start, s.end) for s in document.segments])


def own_text_of(text: str, segments: Sequence[tuple[str, int, int]]) -> str:
    """``text``'s own words given its (kind, start, end) segments; all of it when it has none."""
    if not segments:
        return text
    return "\n".join(text[start:end] for kind, start, end in segments if kind in _OWN_VOICE)


def signature(text: str) -> Signature:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return Signature(())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    x = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest()) for s in shingles),
        dtype=np.uint64,
        count=len(shingles),
    )
    # (a * x + b) mod p for every permutation at once: a, b, x < 2**32, so nothing overflows 64 bits
    mixed = (_A[:, None] * x[None, :] + _B[:, None]) % _PRIME
    return Signature(tuple(int(v) for v in mixed.min(axis=1)))


def families(signatures: Sequence[tuple[str, Signature]], threshold: float = THRESHOLD) -> list[list[str]]:
    """Groups of ids whose texts are copies of one another (every id once; singletons included), each group
    in input order, groups ordered by their first member."""
    ids = [i for i, _ in signatures]
    parent = list(range(len(ids)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    buckets: dict[tuple[int, str], list[int]] = {}
    for k, (_, sig) in enumerate(signatures):
        for bucket in sig.bands():
            buckets.setdefault(bucket, []).append(k)
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        for n, a in enumerate(members):
            for b in members[n + 1 :]:
                if (a, b) in checked:
                    continue
                checked.add((a, b))
                if signatures[a][1].resemblance(signatures[b][1]) >= threshold:
                    parent[find(b)] = find(a)
    groups: dict[int, list[str]] = {}  # a group enters at its first member: groups come in that order
    for k, i in enumerate(ids):
        groups.setdefault(find(k), []).append(i)
    return list(groups.values())


def copy_families(documents: Iterable[Document], threshold: float = THRESHOLD) -> list[list[str]]:
    """Document ids grouped into copies of one text."""
    return families([(d.id, signature(own_text(d))) for d in documents], threshold)
