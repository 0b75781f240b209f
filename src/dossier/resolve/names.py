"""Name keys for blocking: normalised names, acronyms, transliteration folds, surnames.

Two units become a candidate pair when one *probes* a key the other *holds*. Keys are cheap and generous;
scoring (score.py) decides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@cache
def _data() -> dict[str, Any]:
    from dossier.nlp.resources import read_yaml

    data = read_yaml("dossier.data", "resolve.yaml")
    return {
        "legal": frozenset(data["legal_forms"]),
        "skip": frozenset(data["acronym_skip"]),
        "folds": [(a, b) for a, b in data["folds"]],
        "extensions": frozenset(data["org_name_extensions"]) | frozenset(data["legal_forms"]),
    }


def org_extensions() -> frozenset[str]:
    """Words a fuller organisation name may add to a short one (legal forms included)."""
    return frozenset(_data()["extensions"])


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(name: str) -> list[str]:
    """Lower-case words of a name, accents removed, a handle's @ and a hashtag's # dropped."""
    return [w.casefold() for w in _WORD.findall(ascii_fold(name))]


def is_name(form: str) -> bool:
    """A proper name, not a description standing in for one: "the Dutch company" and "Dutch government" end
    in a common noun; handles and hashtags are names."""
    if form[:1] in "@#":
        return True
    last = form.split()[-1] if form.split() else ""
    return any(ch.isupper() or ch.isdigit() for ch in last)


def core(name: str) -> str:
    """The name without a leading "the" and trailing legal forms ("The Microsoft Corp" -> "microsoft")."""
    ws = words(name)
    if ws and re.search(r"\d+s$", name.rstrip()):
        ws[-1] = ws[-1][:-1]  # a plural of a model number ("H100s"); "Kirin 9000S" is another name
    if len(ws) > 1 and ws[0] == "the":
        ws = ws[1:]
    legal = _data()["legal"]
    while len(ws) > 1 and ws[-1] in legal:
        ws.pop()
    return " ".join(ws)


def acronyms(name: str) -> set[str]:
    """Initials of a name of several significant words, with and without its legal form ("Semiconductor
    Manufacturing International Corporation" -> smic, smi); camel case counts ("TeleSystems")."""
    skip = _data()["skip"]
    parts = [w for w in _WORD.findall(_CAMEL.sub(" ", ascii_fold(name))) if w.casefold() not in skip]
    out: set[str] = set()
    legal = _data()["legal"]
    for cut in (parts, [p for p in parts if p.casefold() not in legal]):
        if len(cut) >= 2:
            out.add("".join(p[0] for p in cut).casefold())
    return out


def fold(word: str) -> str:
    """One word spelt the way its transliteration variants agree on (Sergey, Sergei, Serguei -> sergi)."""
    out = ascii_fold(word).casefold()
    for a, b in _data()["folds"]:
        out = out.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", out)


def folded(name: str) -> str:
    """A whole name folded, words sorted (Chinese names come in either order in Latin script)."""
    return " ".join(sorted(fold(w) for w in core(name).split()))


def is_short(name: str) -> bool:
    """One word: a candidate acronym or a surname standing alone."""
    return len(core(name).split()) == 1


def keys(forms: list[str], type_: str) -> tuple[set[str], set[str]]:
    """(held, probed) blocking keys of a unit with these name forms. Pairs come from a probe meeting a held
    key; a key kind probes what it should meet (a lone surname meets full names, full names do not meet
    each other on surname alone)."""
    held: set[str] = set()
    probe: set[str] = set()
    for form in forms:
        if not is_name(form):
            continue
        name = core(form)
        if not name:
            continue
        for key in (f"n:{type_}:{name}", f"f:{type_}:{folded(form)}"):
            held.add(key)
            probe.add(key)
        ws = name.split()
        if type_ == "ORG":  # a one-word name meets longer names it begins ("Huawei" / "Huawei Technologies")
            held.add(f"o{1 if len(ws) == 1 else 'n'}:{ws[0]}")
            probe.add(f"o{'n' if len(ws) == 1 else 1}:{ws[0]}")
        if len(ws) == 1:
            held.add(f"a:{type_}:{ws[0]}")
            probe.add(f"a:{type_}:{ws[0]}")
        else:
            for acr in acronyms(form):
                if len(acr) >= 2:
                    held.add(f"a:{type_}:{acr}")
                    probe.add(f"a:{type_}:{acr}")
        if type_ == "PERSON":
            last = fold(ws[-1])
            if len(ws) == 1:
                held.add(f"p1:{last}")
                probe.update((f"p1:{last}", f"pn:{last}"))
            else:
                held.add(f"pn:{last}")
                probe.add(f"p1:{last}")
    return {k[:200] for k in held}, {k[:200] for k in probe}
