"""Event roles from the dependency parse (model pipeline; used by the events component).

A mention's role follows from how its head word hangs on the trigger, or on the words the trigger
leans on:

* the trigger itself: its subject is the agent ("ASML supplies TSMC"), its object or passive subject
  the patient ("Arm was acquired by SoftBank"), a prepositional dependent takes the role the frame
  gives that preposition ("licensed from Arm" -> licensor), "by" marks the agent of a passive or of a
  noun ("the acquisition by Broadcom"), "of" the patient of a noun ("acquisition of VMware"), and a
  possessor the agent of a noun ("Nvidia's takeover");
* a verb the trigger completes ("agreed to buy", "plans to invest"): its subject is the agent;
* a verb whose object the trigger noun is ("signed an agreement with", "imposed sanctions on",
  "completed its acquisition of"): its subject is the agent, its prepositional dependents take the
  frame's roles;
* a verb the trigger is coordinated with ("announced the deal and acquired ..."): its subject.

Coordinated names ("X, Y and Z") and appositions ("Arm, the British designer") hang on the first name
and share its role. A mention the parse does not connect to the trigger gets no role here; the
events component's positional rules may still give it one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from dossier.nlp.resources import EventFrame

_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "SYM", "X"})
_VERBAL = frozenset({"VERB", "AUX"})
_SUBJECT = frozenset({"nsubj", "nsubj:outer", "csubj"})
_OBJECT = frozenset({"obj", "iobj"})
_OBLIQUE = frozenset({"obl", "nmod", "obl:agent", "obl:unmarked", "nmod:unmarked"})
_SUPPORTED = frozenset({"obj", "nsubj", "nsubj:pass", "obl"})  # how a trigger noun hangs on a verb it leans on
_FUTURE_AUX = ("will", "would", "shall", "'ll", "’ll", "wo")
_FUTURE_AUX_IDS = np.array([get_string_id(w) for w in _FUTURE_AUX], dtype="uint64")
_WITHIN_NP = frozenset({"nmod", "conj", "appos"})
# the prepositions that give a name as an example of the noun before it ("companies such as ASML")
EXAMPLE_CASES = frozenset({"such as", "including", "like"})
_SELF, _CONTROL, _SUPPORT, _SHARED = "self", "control", "support", "shared"


class Heads:
    """The syntactic head word of character spans of one parsed document, read off arrays and
    remembered (the events component asks for the same trigger, mention and cue words many times)."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import HEAD, IDX, LENGTH, LOWER

        self.doc = doc
        array = doc.to_array([IDX, LENGTH, HEAD]).astype("int64")
        self.starts: list[int] = array[:, 0].tolist()
        self.ends: list[int] = (array[:, 0] + array[:, 1]).tolist()
        self.heads: list[int] = (array[:, 2] + np.arange(len(doc))).tolist()  # HEAD is relative
        self.cache: dict[tuple[int, int], Token | None] = {}
        # auxiliaries of the future ("will", "would", "'ll"): their indexes, for ``future``
        lower = doc.to_array([LOWER])
        self.future_aux: list[int] = np.flatnonzero(np.isin(lower, _FUTURE_AUX_IDS)).tolist()

    def future(self, chain: set[int]) -> bool:
        """Whether a future auxiliary hangs on one of the words of ``chain`` ("will build")."""
        return any(self.heads[i] in chain for i in self.future_aux)

    def tokens(self, start: int, end: int) -> range:
        """Indexes of the tokens that [start, end) touches."""
        return range(max(bisect_right(self.starts, start) - 1, 0), bisect_left(self.starts, end))

    def __call__(self, start: int, end: int) -> Token | None:
        """The head of the tokens that [start, end) touches: the one whose head lies outside them."""
        key = (start, end)
        if key in self.cache:
            return self.cache[key]
        i = max(bisect_right(self.starts, start) - 1, 0)
        j = bisect_left(self.starts, end)
        token: Token | None = None
        if j > i and self.ends[i] > start:
            k = i
            for _ in range(j - i):  # follow heads up until one leaves the span (or is the root)
                h = self.heads[k]
                if h == k or not (i <= h < j):
                    break
                k = h
            token = self.doc[k]
        self.cache[key] = token
        return token


class Trigger:
    """A trigger in the parse: its head word, its voice, and the words it leans on."""

    def __init__(self, token: Token, frame: EventFrame, agent: str | None) -> None:
        self.token = token
        self.frame = frame
        self.agent = agent
        self.noun = token.pos_ in _NOMINAL
        self.passive = any(c.dep_ in ("aux:pass", "nsubj:pass") for c in token.children) or (
            token.dep_ == "acl" and token.tag_ == "VBN"  # "a processor manufactured by SMIC"
        )
        governors: list[tuple[Token, str]] = [(token, _SELF)]
        t = token
        if self.noun and t.dep_ in _SUPPORTED and t.head.pos_ in _VERBAL and t.head is not t:
            t = t.head
            governors.append((t, _SUPPORT))
        for _ in range(3):  # "agreed to buy", "is expected to sign a deal"
            if t.dep_ != "xcomp" or t.head is t:
                break
            t = t.head
            governors.append((t, _CONTROL))
        if t.dep_ == "conj" and t.head is not t and not any(c.dep_ in _SUBJECT for c in t.children):
            governors.append((t.head, _SHARED))  # "... announced the deal and acquired ..."
        elif t.dep_ == "advcl" and t.tag_ == "VBG" and t.head is not t and not _has_subject(t):
            governors.append((t.head, _SHARED))  # "Huawei was the leader, holding 40% of the market"
        self.governors = {g.i: kind for g, kind in governors}

    def attached_elsewhere(self, head: Token, trigger_tokens: range) -> bool:
        """Whether a prepositional phrase hangs on a word that is neither the trigger, nor a word it leans
        on, nor a participle describing it ("sanctions imposed on Russia"): "its bid for TikTok" in
        "Microsoft, which abandoned its bid for TikTok, agreed to acquire Activision". ``head`` is a
        mention's head word lifted (:func:`lift`)."""
        if head.dep_ not in _OBLIQUE or head.head is head:
            return False
        governor = head.head
        # up the noun phrase the phrase sits in: "controls on chips and equipment for China", "licences
        # for shipments of equipment to China" are the trigger's own
        for _ in range(4):
            if governor.i in self.governors or governor.i in trigger_tokens:
                return False
            if governor.dep_ not in _WITHIN_NP or governor.head is governor or governor.head.pos_ not in _NOMINAL:
                break
            governor = governor.head
        if governor.head.i in self.governors or governor.head.i in trigger_tokens:
            return False  # "acquire Arm from SoftBank": the phrase may hang on the trigger's object
        return not (governor.dep_ in ("acl", "amod") and governor.head.i == self.token.i)

    def subject_elsewhere(self, head: Token, trigger_tokens: range) -> bool:
        """Whether a mention after the trigger is the subject of a clause of its own: "spent four years
        restricting which chips China can buy" (China buys; it is not what is restricted). A relative clause
        on the trigger ("the controls the EU imposed") and the words it leans on are not another clause.
        ``head`` is a mention's head word lifted (:func:`lift`)."""
        if head.dep_ not in _SUBJECT or head.i <= self.token.i:
            return False
        verb = head.head
        if verb is head or verb.i in self.governors or verb.i in trigger_tokens or verb.pos_ not in _VERBAL:
            return False
        on_trigger = verb.head.i in self.governors or verb.head.i in trigger_tokens
        return not (verb.dep_ in ("acl", "acl:relcl") and on_trigger)

    def roles_of(self, head: Token) -> tuple[str, ...]:
        """The roles a mention headed by ``head`` (lifted, :func:`lift`) may take, best first (empty when
        unconnected)."""
        kind = self.governors.get(head.head.i) if head.head is not head else None
        if kind is None:
            return ()
        rel = head.dep_
        frame = self.frame
        agent = (self.agent,) if self.agent else ()
        if rel in _SUBJECT:
            if kind == _SELF and self.passive:
                return frame.patient
            return agent
        if rel == "nsubj:pass":
            return frame.patient if kind == _SELF else ()
        if rel in _OBJECT:
            if kind == _SUPPORT and self.token.dep_ == "obl":
                return frame.patient  # "added Huawei to the Entity List", "put ASML under curbs"
            return frame.patient if kind == _SELF and not self.noun else ()
        if rel == "nmod:poss":
            return agent if kind == _SELF and self.noun else ()
        if rel == "compound" and kind == _SELF and self.noun:
            # "US sanctions": the agent; "its Anthropic investment": the patient once the agent is known
            return agent + frame.patient
        if rel in _OBLIQUE:
            case = _case(head)
            if case is None:
                return ()
            if case == "by" or rel == "obl:agent":
                return agent if (kind == _SELF and (self.passive or self.noun)) else ()
            if case == "of":
                return frame.patient if kind == _SELF and self.noun else ()
            return prep_roles(frame, case)
        return ()


CLAUSE_EDGES = frozenset({"ccomp", "advcl", "acl:relcl", "advcl:relcl", "conj", "parataxis", "ROOT", "csubj"})


# the relations of a word that heads a clause of its own, the sentence's or a complement's
_CLAUSE_HEADS = frozenset({"ROOT", "ccomp", "advcl", "parataxis", "xcomp", "csubj"})


def heads_clause(token: Token) -> bool:
    """Whether a word heads a clause: a noun that does ("SMIC plans to invest", "plans" read as a noun "SMIC"
    describes) stands where the verb does."""
    return token.dep_ in _CLAUSE_HEADS


def clause_chain(token: Token) -> set[int]:
    """The trigger and the words it hangs on within its clause ("plans to buy", "in talks to buy",
    "signed a deal"): the status cues that bear on it are these words or hang on them."""
    chain = {token.i}
    t = token
    for _ in range(4):
        if t.dep_ in CLAUSE_EDGES or t.head is t:
            break
        t = t.head
        chain.add(t.i)
    return chain


def lift(head: Token) -> Token:
    """The word a name stands in for: the first of coordinated names or of an apposition, and the noun
    a name exemplifies ("Japanese companies such as Tokyo Electron and Lasertec supply ...")."""
    for _ in range(6):
        if head.head is head or head.head.pos_ not in _NOMINAL:
            break
        if head.dep_ in ("conj", "appos") or (head.dep_ == "nmod" and _case(head) in EXAMPLE_CASES):
            head = head.head
        else:
            break
    return head


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in _SUBJECT or c.dep_ == "nsubj:pass" for c in token.children)


def _case(head: Token) -> str | None:
    """The preposition of a nominal dependent: "with", "according to", "ahead of"."""
    for child in head.children:
        if child.dep_ == "case" and child.i < head.i:
            words = [child.lower_] + [g.lower_ for g in child.children if g.dep_ == "fixed"]
            return " ".join(words)
    return None


def prep_roles(frame: EventFrame, prep: str) -> tuple[str, ...]:
    """The roles a preposition marks in a frame ("from" -> seller); "ahead of" falls back to "ahead"."""
    roles = frame.preps.get(prep)
    if roles is None and " " in prep:
        roles = frame.preps.get(prep.split()[0])
    return roles or ()
