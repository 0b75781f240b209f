"""Component ``dossier_amounts``: money and percentages in the article's text.

"$40bn", "€2.2bn", "US$1.5 billion", "1.5 billion yuan", "EUR 300m", "24%", "8.1 per cent". Values
are in base units (40e9). A parenthetical conversion right after an amount, "€150 million ($161
million)", becomes part of it and fills its ``usd``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from dossier.model import Amount
from dossier.nlp.resources import Resources, Values, load_resources, words_regex
from dossier.nlp.state import AmountSpan, state_of

_DIGITS = re.compile(r"\d[\d,.]*")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


class AmountsComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        v: Values = resources.values
        self.values = v
        self.word_units = {" ".join(w.lower().split()): code for w, code in v.currency_words.items()}
        symbols = words_regex(tuple(v.currency_symbols), flexible_space=False)
        codes = words_regex(tuple(v.currency_codes), flexible_space=False)
        words = words_regex(tuple(v.currency_words))
        scales = words_regex(tuple(v.scales), flexible_space=False)
        percent = words_regex(v.percent_words)
        money = (
            rf"(?:(?P<sym>{symbols})\s?|(?<![A-Za-z])(?P<code>{codes})\s?)(?P<n1>{_NUMBER})"
            rf"(?:\s?(?P<s1>(?i:{scales}))(?![A-Za-z]))?"
            rf"|(?P<n2>{_NUMBER})\s?(?:(?P<s2>(?i:{scales}))\s?)?(?:(?P<word>(?i:{words}))|(?P<code2>{codes}))(?![A-Za-z])"
        )
        self.amount = re.compile(rf"(?<![\w.,])(?:{money}|(?P<n3>{_NUMBER})\s?(?P<pct>{percent})(?![A-Za-z]))")
        self.money_only = re.compile(rf"(?:{money})")
        hedges = words_regex(v.conversion_hedges)
        self.conversion = re.compile(rf"\s*\(\s*(?:(?i:{hedges})\s*)?")
        self.close = re.compile(r"\s*\)")

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        found: list[AmountSpan] = []
        for zone_start, zone_end in state.article_zones.spans:
            pos = zone_start
            # every amount holds a number: look only around the numbers
            for anchor in _DIGITS.finditer(text, zone_start, zone_end):
                if anchor.start() < pos:
                    continue
                m = self.amount.search(text, max(pos, anchor.start() - 5), min(zone_end, anchor.end() + 40))
                if m is None or m.start() > anchor.start():
                    continue
                amount = self._parse(m)
                end = m.end()
                if amount.unit != "%":
                    end = self._conversion(text, end, zone_end, amount)
                amount.text = text[m.start() : end]
                found.append(AmountSpan(m.start(), end, amount))
                pos = end
        state.amounts = found
        return doc

    def _parse(self, m: re.Match[str]) -> Amount:
        v = self.values
        g = m.groupdict().get
        if g("pct"):
            return Amount(text=m.group(), value=_number(g("n3") or "0"), unit="%")
        number = g("n1") or g("n2") or "0"
        scale = g("s1") or g("s2")
        value = _number(number) * (v.scales[scale.lower()] if scale else 1.0)
        if g("sym"):
            unit = v.currency_symbols[g("sym") or ""]
        elif g("code") or g("code2"):
            unit = v.currency_codes[g("code") or g("code2") or ""]
        else:
            unit = self.word_units[" ".join((g("word") or "").lower().split())]
        return Amount(text=m.group(), value=value, unit=unit, usd=value if unit == "USD" else None)

    def _conversion(self, text: str, end: int, limit: int, amount: Amount) -> int:
        """Swallow "(about $165 million)" after an amount; a dollar conversion fills ``usd``."""
        opening = self.conversion.match(text, end, limit)
        if opening is None:
            return end
        inner = self.money_only.match(text, opening.end(), limit)
        if inner is None:
            return end
        closing = self.close.match(text, inner.end(), limit)
        if closing is None:
            return end
        converted = self._parse(inner)
        if converted.unit == "USD" and amount.usd is None:
            amount.usd = converted.value
        return closing.end()


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@Language.factory("dossier_amounts", assigns=["doc._.dossier"])
def make_amounts(nlp: Language, name: str) -> AmountsComponent:
    return AmountsComponent(nlp, load_resources())
