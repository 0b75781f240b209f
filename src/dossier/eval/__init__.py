"""Extraction quality against hand annotations: the gold format (:mod:`.gold`) and the scorer (``dossier eval``)."""

from dossier.eval.gold import GoldDocument, GoldError, load_gold

__all__ = ["GoldDocument", "GoldError", "load_gold"]
