"""The message checker: offline and explainable.

A pure module (no Django, no I/O but reading the job-ask weights once) so that the web page,
the CLI and the benchmark run the very same code. ``check(text, kind)`` returns the word count
and a list of findings; each finding names its rule, its severity, the characters it points at
and one line that says what is wrong and what to do instead.

The rules encode the advice of the product brief: a request is short, opens with the
connection, is about the contact, asks a bounded question, and never asks for a job in any
phrasing. Whether a sentence asks for a job is decided by a small trained model over lemmas,
concepts and hand features (``jobask``), with rules for the plainest asks and for naming the
kind of ask; docs/checker.md says how it was built and measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

from coffeechat.outreach import jobask

Severity = Literal["error", "warning", "notice"]
KINDS = ("request", "linkedin-note", "followup", "thanks")
LINKEDIN_NOTE_LIMIT = 300
REQUEST_WORDS_WARNING = 100
REQUEST_WORDS_NOTICE = 75


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    start: int
    end: int
    message: str


@dataclass(frozen=True)
class Report:
    words: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {"words": self.words, "findings": [asdict(f) for f in self.findings]}


# ---------------------------------------------------------------- text helpers

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


def normalize(text: str) -> str:
    """Lower case with straight quotes, keeping every character at its offset so that spans
    found in the normalized text point at the same characters of the original."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: keep offsets, char by char
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_APOSTROPHES).replace("résumé", "resume").replace("resumé", "resume")


_WORD = re.compile(r"[\w][\w'’-]*")
# Titles and common abbreviations whose period does not end a sentence.
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e"}
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n\s*\n|\n(?=\s*\S)")
# "Hi Ella," "Dear Dr. Osei:" "Hey!" at the start of a sentence: the salutation only, never
# what follows it on the same line ("Hi Ella, I'd love to be your next hire!" is an ask).
_GREETING = re.compile(
    r"(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening))"
    r"(?:\s+(?:there|all|team|folks|everyone|again|[\w.'-]+)){0,3}?\s*(?:[,!:—–-]+|$)\s*"
)


def sentence_spans(norm: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of normalized text, without their salutation ("Hi
    Dana,"): a sentence that is only a salutation is left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(norm):
        if match.group().startswith("."):
            before = norm[start : match.start()].split()
            if before and before[-1].lower().rstrip(".") in _ABBREVIATIONS:
                continue
        end = match.end()
        if norm[start:end].strip():
            spans.append((start, end))
        start = end
    if norm[start:].strip():
        spans.append((start, len(norm)))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        chunk = norm[s:e]
        s2, e2 = s + len(chunk) - len(chunk.lstrip()), s + len(chunk.rstrip())
        if not trimmed:  # only the message's first sentence can open with a salutation
            greeting = _GREETING.match(norm, s2, e2)
            if greeting:
                s2 = greeting.end()
        if s2 < e2 and not re.fullmatch(r"[\W_]*", norm[s2:e2]):
            trimmed.append((s2, e2))
    return trimmed


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# Given names that are also words of a job ask ("Hi Job,", "Will suggested I write", "Thanks,
# Grant"). Written with a capital inside a sentence, or followed by a comma at its start, they
# are names, and the job-ask model reads them as a name rather than as "job" or "will".
_NAME_WORDS = re.compile(
    r"(?<![.!?]\s)(?<!^)\b(?:Job|Will|Hope|Joy|Grant|Chase|Hunter|Faith|Mark|Bill|Rich|Drew)\b"
    r"|^\s*(?:Job|Will|Hope|Joy|Grant|Chase|Hunter|Faith|Mark|Bill|Rich|Drew)\b(?=,)",
    re.MULTILINE,
)


def _mask_names(text: str, norm: str) -> str:
    chars = list(norm)
    for match in _NAME_WORDS.finditer(text):
        chars[match.start() : match.end()] = "x" * (match.end() - match.start())
    return "".join(chars)


# ---------------------------------------------------------------- asks-for-job

_ASK_MESSAGES = {
    "hire": "asks them to hire you or consider you for a role",
    "referral": "asks for a referral, a recommendation or a good word",
    "intro-hirer": "asks for an introduction to whoever hires",
    "cv": "asks them to pass on or act on your résumé, profile or application",
    "opening": "asks them about an opening for you",
    "internship": "asks for an internship, placement, fellowship or residency",
    "contract": "asks for contract, freelance or shift work",
    "unpaid": "offers unpaid or trial work as a way in",
    "reference": "asks for a reference or a letter for an application",
}

# "I'm not asking for a job": a denial is no ask, but it puts the job on the table.
_DENIAL = re.compile(
    r"(?:\bnot\b|n't\b|\bnever\b|\bno\b)(?:\s+[\w-]+){0,3}?\s+(?:ask\w*|look\w*|seek\w*|after|"
    r"hunt\w*|want\w*|expect\w*|hop\w*|request\w*|writ\w*|reach\w*|apply\w*|about|for|a|any)"
    r"(?:\s+[\w-]+){0,3}?\s+(?:jobs?|positions?|roles?|"
    r"openings?|referrals?|interviews?|internships?|employment|hired|job-hunting|hunting|"
    r"hiring|after a job)\b(?:\s*(?:,|or|and|nor)\s+(?:an?\s+|any\s+)?(?:job|position|role|"
    r"opening|referral|interview)s?\b)*(?:\s+(?:request|inquiry|ask|requests))?"
)
# The writer's own job search, said outright.
_SEARCH = re.compile(
    r"\bi(?:'m| am)\s+(?:\w+\s+)?(?:looking|searching|hunting|seeking|applying)\s+(?:for\s+)?"
    r"(?:(?:a|an|my|new|next|any)\s+)*(?:\w+\s+){0,2}?(?:jobs?|positions?|roles?|internships?|"
    r"work|opportunit\w+|employment)\b|\bjob[- ](?:hunting|searching|search|market)\b|\bon the "
    r"(?:job )?market\b|\bbetween jobs\b|\bapplying everywhere\b|\bout of work\b"
)
def _ask_span(
    masked: str, start: int, end: int, context: str, probability: float
) -> tuple[int, int]:
    """The clause that asks, when one clause carries the ask on its own; else the sentence."""
    sentence = masked[start:end]
    parts = jobask.clauses(sentence)
    if len(parts) < 2:
        return start, end
    scored = [(jobask.model().probability(sentence[s:e], context), s, e) for s, e in parts]
    best, s, e = max(scored)
    if best >= jobask.model().threshold and best >= probability - 0.2:
        # "..., but could you pass my CV on?": the span starts at the ask, not at "but".
        lead = _LEADING_CONJUNCTION.match(sentence, s)
        s = lead.end() if lead else s
        tail = sentence[e:].strip()
        return start + s, end if tail in ("?", "!", ".") else start + e
    return start, end


_LEADING_CONJUNCTION = re.compile(r"\s*(?:(?:but|and|so|yet|though|also|then)\b\s*)+")


def _job_findings(text: str, norm: str, sentences: list[tuple[int, int]]) -> list[Finding]:
    masked = _mask_names(text, norm)
    threshold = jobask.model().threshold
    asks: list[Finding] = []
    for index, (start, end) in enumerate(sentences):
        sentence = masked[start:end]
        context = masked[slice(*sentences[index - 1])] if index else ""
        probability = jobask.probability(sentence, context)
        clear = jobask.clear_ask(sentence)
        if probability < threshold and not clear:
            continue
        kind = jobask.ask_kind(sentence, context)
        s, e = _ask_span(masked, start, end, context, probability)
        asks.append(
            Finding(
                "asks-for-job",
                "error",
                s,
                e,
                f"This {_ASK_MESSAGES[kind]}: ask for 20 to 30 minutes of advice about their "
                "work instead; a job ask ends the conversation before it starts.",
            )
        )
    if asks:
        return asks
    denials = [m.span() for m in _DENIAL.finditer(norm)]
    searches = [m.span() for m in _SEARCH.finditer(norm)]
    topic = denials[:1] or searches[:1]
    return [
        Finding(
            "mentions-job-search",
            "warning",
            start,
            end,
            "This puts your job search on the table even without asking; drop it and let "
            "the conversation be about their work.",
        )
        for start, end in topic
    ]


# ---------------------------------------------------------------- the other rules

_CONNECTION = re.compile(
    r"\bwe (?:both|met|share|were|studied|went|worked|graduated|spoke|connected|overlapped)\b"
    r"|\bfellow\b|\balumn(?:us|a|i|ae)?\b|\bsame (?:school|program|cohort|class|team|university)"
    r"|\b(?:suggested|recommended) (?:i|that i|we|reaching|contacting|you)\b|\bgave me your\b"
    r"|\bintroduc\w+|\breferred me\b|\b(?:mentioned|told me|said) (?:you|that you)\b|\bmutual\b"
    r"|\bfound your\b|\bread your\b|\bsaw your\b|\bheard (?:you|your)\b|\byour (?:talk|post|"
    r"posts|article|paper|panel|podcast|presentation|book|interview)\b|\bfollow your\b|\bmember"
    r" of\b|\bat the [\w\s]{0,30}(?:mixer|conference|fair|event|panel|meetup|reunion|workshop)"
    r"|\bthrough (?:the|our|a|my)\b|\bclass of\b|\bmy (?:cousin|friend|colleague|classmate|"
    r"professor|advisor|manager|former)\b|\bfriend of\b|\bthanks for (?:accepting|connecting)"
    r"|\b(?:professor|prof\.?|dr\.?) \w+ (?:suggested|said|mentioned|recommended)"
)
_TIME_ASK = re.compile(
    r"\b\d{1,2}\s*(?:-|–|to)?\s*\d{0,2}\s*(?:-\s*)?(?:min|mins|minutes)\b|\b(?:fifteen|twenty|"
    r"thirty|twenty-five)[\s-]+minutes?\b|\bhalf an hour\b|\bquarter of an hour\b|\ba (?:quick|"
    r"short|brief) (?:call|chat|coffee|conversation)\b"
)
_ME = re.compile(r"\b(?:i|me|my|mine|myself|i'm|i'd|i've|i'll)\b")
_YOU = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b")
_ATTACHMENT = re.compile(
    r"\b(?:attach(?:ed|ment|ments|ing)?|enclos(?:ed|ing|ure)|(?:my|a|the) (?:resume|cv|"
    r"portfolio))\b"
)


def _span_of_words(text: str, first_word: int) -> tuple[int, int]:
    matches = list(_WORD.finditer(text))
    return (matches[first_word].start(), len(text)) if first_word < len(matches) else (0, 0)


def _length(text: str, words: int, kind: str) -> Iterator[Finding]:
    if kind == "linkedin-note" and len(text) > LINKEDIN_NOTE_LIMIT:
        yield Finding(
            "length",
            "error",
            LINKEDIN_NOTE_LIMIT,
            len(text),
            f"{len(text)} characters: a LinkedIn invitation note holds {LINKEDIN_NOTE_LIMIT}. "
            "Keep the connection and the question; cut the rest.",
        )
    if kind != "request":
        return
    if words > REQUEST_WORDS_WARNING:
        start, end = _span_of_words(text, REQUEST_WORDS_WARNING)
        yield Finding(
            "length",
            "warning",
            start,
            end,
            f"{words} words: requests over {REQUEST_WORDS_WARNING} words get skimmed or "
            "skipped; cut to the connection, one line about you and the question.",
        )
    elif words > REQUEST_WORDS_NOTICE:
        start, end = _span_of_words(text, REQUEST_WORDS_NOTICE)
        yield Finding(
            "length",
            "notice",
            start,
            end,
            f"{words} words: under {REQUEST_WORDS_NOTICE} reads best on a phone; see what you "
            "can cut.",
        )


def _connection_first(norm: str, sentences: list[tuple[int, int]]) -> Iterator[Finding]:
    opening = sentences[:2]
    if not opening:
        return
    if any(_CONNECTION.search(norm[s:e]) for s, e in opening):
        return
    yield Finding(
        "connection-first",
        "warning",
        opening[0][0],
        opening[-1][1],
        "Start with what connects you (a shared school, who sent you, where you met): it is "
        "the reason a busy stranger reads on.",
    )


def _clear_ask(norm: str, kind: str, sentences: list[tuple[int, int]]) -> Iterator[Finding]:
    end = len(norm.rstrip())
    last = sentences[-1] if sentences else (0, end)
    if "?" not in norm:
        yield Finding(
            "no-clear-ask",
            "warning",
            last[0],
            last[1],
            'No question mark: end with a question they can answer yes to, such as "Would you '
            'have 20 minutes next week?"',
        )
    elif kind in ("request", "linkedin-note") and not _TIME_ASK.search(norm):
        yield Finding(
            "no-clear-ask",
            "warning",
            last[0],
            last[1],
            'No bounded request for time: ask for "20 minutes" so that saying yes is easy.',
        )


def _about_me(norm: str) -> Iterator[Finding]:
    me, you = len(_ME.findall(norm)), len(_YOU.findall(norm))
    if me > you:
        yield Finding(
            "about-me",
            "warning",
            0,
            len(norm.rstrip()),
            f"{me} words about you against {you} about them: turn a sentence about yourself "
            "into one about their work.",
        )


def _attachment(norm: str) -> Iterator[Finding]:
    match = _ATTACHMENT.search(norm)
    if match:
        yield Finding(
            "attachment",
            "warning",
            match.start(),
            match.end(),
            "A résumé or attachment turns a request for advice into an application; leave it "
            "out and share it only if they ask.",
        )


def check(text: str, kind: str = "request") -> Report:
    """Every finding on ``text`` read as a message of ``kind``, in the order of the text."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    words = count_words(text)
    if not text.strip():
        return Report(words=0)
    norm = normalize(text)
    sentences = sentence_spans(norm)
    findings = _job_findings(text, norm, sentences)
    findings += _length(text, words, kind)
    if kind in ("request", "linkedin-note"):
        findings += _connection_first(norm, sentences)
        findings += _about_me(norm)
    if kind in ("request", "linkedin-note", "followup"):
        findings += _clear_ask(norm, kind, sentences)
    findings += _attachment(norm)
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(key=lambda f: (order[f.severity], f.start))
    return Report(words=words, findings=findings)
