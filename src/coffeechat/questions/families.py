"""Occupational families: which field a contact works in, read from their title and industry.

Pure and fast (no database, no Django): the planner calls it once per plan. The taxonomy,
the phrases and the abbreviations are data, in ``questions/data/families.toml``.

How a title is read:

1. Normalised: lower case, accents dropped, "&" read as "and", punctuation and small words
   (of, the, for, ...) dropped, abbreviations expanded ("CRC" is a clinical research
   coordinator, "SWE" a software engineer, "BSN" says nothing), seniority words dropped
   ("Sr.", "VP", "II").
2. Matched against each family's phrases, longest first, without overlap: a title phrase
   counts 3, a term 2, a hint 1; the phrase that ends the title (its head: "Nurse *recruiter*")
   counts one more.
3. The industry is a weaker signal: it settles a title made of role words only ("Analyst" at
   an investment bank) and breaks ties; in a few industries it refines a family ("Sales
   representative" in pharmaceuticals is pharma sales).
4. The confidence says how surely the words point to one family. Below ``TAILOR_AT`` the plan
   uses general questions only and says so.

An employer's name is never read: "Sciences" in "Halvorsen Life Sciences" says nothing of a
sales representative's job.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FAMILIES_FILE = Path(__file__).resolve().parent / "data" / "families.toml"

# At or above this confidence the plan is tailored to the family; below it, general only.
TAILOR_AT = 0.55
_STOPWORDS = frozenset({"of", "the", "for", "to", "at", "in", "on", "with", "and", "s", "by"})
# A defining phrase says what someone's working life is whatever else the title holds
# ("Co-founder and CTO" runs a company).
_DEFINING, _TITLE, _TERM, _HINT = 5, 3, 2, 1
_HEAD_BONUS = 1.0
_INDUSTRY_SETTLES = 2.5  # the industry's family, for a title that names no field
_INDUSTRY_TIEBREAK = 0.5  # ... and for a title that does


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    sector: str
    people: str
    field: str
    typical: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    """What the words say: the family when confident enough, the best guess either way."""

    family: str | None
    confidence: float
    guess: str | None = None
    # What decided it: "title", "industry" (a title of role words only, in a known
    # industry), "role target" (the conversation's role target, the title saying nothing) or
    # "" when nothing did.
    source: str = ""
    # The text that was read for the decision, quoted in the plan's note.
    read: str = ""
    industry: str = ""
    runner_up: str | None = None

    @property
    def level(self) -> str:
        if self.confidence >= 0.8:
            return "high"
        return "medium" if self.confidence >= TAILOR_AT else "low"


@dataclass
class Taxonomy:
    families: dict[str, Family]
    abbreviations: dict[str, tuple[str, ...]]
    seniority: frozenset[str]
    generic: frozenset[str]
    # Phrase (as tokens) -> [(family, weight)]
    phrases: dict[tuple[str, ...], list[tuple[str, int]]] = field(default_factory=dict)
    industries: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # Industry phrases that lean towards a family without settling a title that names none.
    industry_hints: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # (family, the families it refines, industry phrases and title words for which it does)
    refinements: list[
        tuple[str, frozenset[str], frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]
    ] = field(default_factory=list)
    longest: int = 1
    longest_industry: int = 1

    # --- Reading text -------------------------------------------------------------------------

    def tokens(self, text: str, *, levels: bool = False) -> list[str]:
        """The words of a title or industry as the rules see them; with ``levels``, the
        seniority words are kept (to check the data: a phrase must never contain one)."""
        return [word for segment in self.segments(text, levels=levels) for word in segment]

    def segments(self, text: str, *, levels: bool = False) -> list[list[str]]:
        """The words of each part of a title, split where a comma, dash, bar or bracket
        starts a qualifier: in "Underwriter, property" the job is in the first part."""
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
        folded = folded.replace("&", " and ")
        # Dotted abbreviations: "U.S." is "us", "Sr." is "sr".
        folded = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", folded)
        segments: list[list[str]] = []
        for part in re.split(r"[,;|()\[\]]|\s[-–—]\s", folded):
            words: list[str] = []
            for word in re.sub(r"[^a-z0-9]+", " ", part).split():
                expansion = self.abbreviations.get(word)
                for piece in expansion if expansion is not None else (word,):
                    if piece not in _STOPWORDS and (levels or piece not in self.seniority):
                        words.append(piece)
            if words:
                segments.append(words)
        return segments

    def _spans(
        self, words: Sequence[str], index: dict[tuple[str, ...], Any], longest: int
    ) -> list[tuple[int, int, Any]]:
        """Phrases found in ``words``, longest first, never overlapping: (start, end, value)."""
        found = []
        for start in range(len(words)):
            for length in range(min(longest, len(words) - start), 0, -1):
                phrase = tuple(words[start : start + length])
                if phrase in index:
                    found.append((start, start + length, index[phrase]))
        # Longer phrases win; between equals, the earlier one: in "quality systems engineer"
        # or "pharmaceutical sales representative" the first words say the field.
        found.sort(key=lambda span: (span[0] - span[1], span[0]))
        taken: list[tuple[int, int, Any]] = []
        for start, end, value in found:
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, value))
        return sorted(taken, key=lambda span: span[0])

    def industry_families(self, industry: str, *, hints: bool = False) -> list[str]:
        """The families an industry settles (or, with ``hints``, leans towards), the longest
        phrase's first."""
        index = self.industry_hints if hints else self.industries
        spans = self._spans(self.tokens(industry), index, self.longest_industry)
        spans.sort(key=lambda span: span[0] - span[1])
        return list(dict.fromkeys(key for _, _, keys in spans for key in keys))

    # --- Deciding -----------------------------------------------------------------------------

    def classify(
        self, title: str, industry: str = "", role_titles: Iterable[str] = ()
    ) -> Classification:
        """The family of a job from its title and its organization's industry; the role
        targets of the conversation stand in for a title that says nothing."""
        result = self._classify(title, industry)
        if result.family is None:
            for role in role_titles:
                from_role = self._classify(role, industry)
                if from_role.family is not None:
                    # A target says what the user wants to learn about, not what this contact
                    # does: a little less sure than the contact's own title.
                    return Classification(
                        family=from_role.family,
                        confidence=round(max(TAILOR_AT, from_role.confidence - 0.1), 2),
                        guess=from_role.guess,
                        source="role target",
                        read=role.strip(),
                        industry=industry.strip(),
                        runner_up=from_role.runner_up,
                    )
        return result

    def _classify(self, title: str, industry: str) -> Classification:
        segments = self.segments(title)
        words = [word for segment in segments for word in segment]
        scores: dict[str, float] = {}
        strongest: dict[str, int] = {}
        spans = self._spans(words, self.phrases, self.longest)
        # The head of the title is its last strong phrase in the first part that has one:
        # "Senior underwriter, property" is an underwriter's job, "Manager, clinical
        # operations" a clinical one.
        head_end, boundary = 0, 0
        for segment in segments:
            boundary += len(segment)
            inside = [
                end
                for start, end, hits in spans
                if end <= boundary and max(w for _, w in hits) >= _TITLE
            ]
            if inside:
                head_end = max(inside)
                break
        for _, end, hits in spans:
            for key, weight in hits:
                scores[key] = scores.get(key, 0.0) + weight
                strongest[key] = max(strongest.get(key, 0), weight)
                if end == head_end and weight >= _TITLE:
                    scores[key] += _HEAD_BONUS
        by_industry = self.industry_families(industry) if industry.strip() else []
        settles = by_industry[0] if by_industry else None
        leans = self.industry_families(industry, hints=True) if industry.strip() else []
        covered = {i for start, end, _ in spans for i in range(start, end)}
        content = [w for i, w in enumerate(words) if i not in covered and w not in self.generic]
        named = max(strongest.values(), default=0) >= _TERM
        if settles:
            scores[settles] = scores.get(settles, 0.0) + (
                _INDUSTRY_TIEBREAK if named else _INDUSTRY_SETTLES
            )
        for key in leans:
            # Only towards a family the title already points to ("Engineer" at a software
            # company); never on its own.
            if key in scores:
                scores[key] += _INDUSTRY_TIEBREAK
        if not scores:
            return Classification(None, 0.0, read=title.strip(), industry=industry.strip())
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best = ranked[0][0]
        weight = strongest.get(best, 0)
        family, refined = best, False
        if weight:
            industry_words = self.tokens(industry)
            for child, parents, in_industry, in_title in self.refinements:
                if best not in parents:
                    continue
                by_words = any(_contains(industry_words, p) for p in in_industry)
                if by_words or any(_contains(words, p) for p in in_title):
                    family, refined = child, by_words
                    break
        # A refinement is a closer reading of the same job: the parent and the child do not
        # compete ("Catering sales manager" in hospitality is both sales and hospitality).
        top = scores[best]
        others = [(key, score) for key, score in ranked if key not in (best, family)]
        runner_up, second = others[0] if others else (None, 0.0)
        margin = top - second
        source = "title"
        if weight >= _TITLE:
            confidence = 0.9 if margin >= 2 else 0.75 if margin >= 1 else 0.5
        elif weight == _TERM:
            confidence = 0.75 if margin >= 2 else 0.6 if margin >= 1 else 0.45
        elif weight == _HINT:
            backed = refined or best == settles or best in leans
            confidence = 0.6 if backed and margin >= 0.5 else 0.35
        else:
            # Only the industry spoke. A title of role words only ("Senior associate") is
            # settled by it; an empty title or one with words the rules do not know is not.
            source = "industry"
            confidence = 0.6 if title.strip() and not content else 0.4
        return Classification(
            family=family if confidence >= TAILOR_AT else None,
            confidence=confidence,
            guess=family,
            source=source,
            read=title.strip(),
            industry=industry.strip(),
            runner_up=runner_up,
        )

    # --- Saying it ----------------------------------------------------------------------------

    def note(self, result: Classification) -> str:
        """One plain sentence on how the plan was tailored, or why it was not."""
        if result.family is not None:
            family = self.families[result.family]
            if result.source == "industry":
                return (
                    f"Tailored to {family.field}, from the industry "
                    f"({result.industry}): the title “{result.read}” alone does not say the "
                    "field."
                )
            if result.source == "role target":
                return (
                    f"Tailored to {family.field}, from your role target "
                    f"“{result.read}”: the contact's title does not say the field."
                )
            sure = "" if result.level == "high" else " (medium confidence)"
            return (
                f"Tailored to {family.field}{sure}: “{result.read}” reads as a title in that field."
            )
        if not result.read:
            return (
                "General questions only: the contact has no title yet. Add it (or a role "
                "target) for questions made for their field."
            )
        guess = self.families.get(result.guess or "")
        maybe = f" It might be {guess.field}." if guess else ""
        return (
            f"General questions only: “{result.read}” does not say clearly which field this "
            f"is (low confidence).{maybe} Add the full title, or a role target, for questions "
            "made for their field."
        )


def _contains(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def _load(path: Path) -> Taxonomy:
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    levels = data["levels"]
    taxonomy = Taxonomy(
        families={},
        abbreviations={},
        seniority=frozenset(levels["seniority"]),
        generic=frozenset(levels["generic"]),
    )
    # Expansions are read with the same rules as titles, minus the abbreviations themselves.
    for short, long in data["abbreviations"].items():
        taxonomy.abbreviations[short] = tuple(long.split())
    for row in data["family"]:
        key = row["key"]
        taxonomy.families[key] = Family(
            key=key,
            label=row["label"],
            sector=row["sector"],
            people=row["people"],
            field=row["field"],
            typical=row["typical"],
            examples=tuple(row.get("examples", ())),
        )
        weights = ((_DEFINING, "defining"), (_TITLE, "titles"), (_TERM, "terms"), (_HINT, "hints"))
        for weight, name in weights:
            for text in row.get(name, ()):
                phrase = tuple(taxonomy.tokens(text))
                if phrase != tuple(taxonomy.tokens(text, levels=True)) or not phrase:
                    # "Vice principal" would become "principal": titles lose their
                    # seniority words, so a phrase holding one could only match wrongly.
                    raise ValueError(f"{key}: the phrase {text!r} holds a seniority word")
                hits = taxonomy.phrases.setdefault(phrase, [])
                # A phrase listed twice for one family counts once, at its higher weight.
                hits[:] = [(k, w) for k, w in hits if k != key] + [
                    (key, max([weight] + [w for k, w in hits if k == key]))
                ]
        for name, index in (
            ("industries", taxonomy.industries),
            ("industry_hints", taxonomy.industry_hints),
        ):
            for text in row.get(name, ()):
                phrase = tuple(taxonomy.tokens(text))
                if phrase:
                    index.setdefault(phrase, []).append(key)
        if row.get("refines"):
            taxonomy.refinements.append(
                (
                    key,
                    frozenset(row["refines"]),
                    frozenset(tuple(taxonomy.tokens(t)) for t in row.get("refine_industries", ())),
                    frozenset(tuple(taxonomy.tokens(t)) for t in row.get("refine_words", ())),
                )
            )
    taxonomy.longest = max(len(phrase) for phrase in taxonomy.phrases)
    taxonomy.longest_industry = max(
        len(phrase) for phrase in (*taxonomy.industries, *taxonomy.industry_hints)
    )
    return taxonomy


@cache
def taxonomy(path: Path = FAMILIES_FILE) -> Taxonomy:
    return _load(path)


def classify(title: str, industry: str = "", role_titles: Iterable[str] = ()) -> Classification:
    return taxonomy().classify(title, industry, role_titles)


def family_choices() -> list[tuple[str, str]]:
    """(key, label) of every family, by sector then label: for forms and filters."""
    families = sorted(taxonomy().families.values(), key=lambda f: (f.sector, f.label))
    return [(family.key, family.label) for family in families]
