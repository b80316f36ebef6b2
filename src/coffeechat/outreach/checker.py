"""The message checker: offline, rule-based and explainable.

A pure module (no Django, no I/O) so that the web page, the CLI and the benchmark run the very
same code. ``check(text, kind)`` returns the word count and a list of findings; each finding
names its rule, its severity, the characters it points at and one line that says what is wrong
and what to do instead.

The rules encode the advice of the product brief: a request is short, opens with the
connection, is about the contact, asks a bounded question, and never asks for a job in any
phrasing. The asks-for-job rule is measured against a hand-labelled set in
tests/outreach/data/job_asks.txt (precision and recall both at least 0.95).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

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


def _normalize(text: str) -> str:
    """Lower case with straight quotes, keeping every character at its offset so that spans
    found in the normalized text point at the same characters of the original."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_APOSTROPHES).replace("résumé", "resume").replace("resumé", "resume")


_WORD = re.compile(r"[\w][\w'’-]*")
# Titles and common abbreviations whose period does not end a sentence.
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e"}
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n\s*\n|\n(?=\s*\S)")
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40}"
    r"[,!:]?\s*$"
)


def _sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences, greeting lines ("Hi Dana,") left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            before = text[start : match.start()].split()
            if before and before[-1].lower().rstrip(".") in _ABBREVIATIONS:
                continue
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        s2, e2 = s + lead, s + len(chunk.rstrip())
        if s2 < e2 and not _GREETING.match(text[s2:e2]):
            trimmed.append((s2, e2))
    return trimmed


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# ---------------------------------------------------------------- asks-for-job

# Words that make a sentence a request addressed to the reader, or a wish of the writer.
_FRAME = re.compile(
    r"\?|\b(?:could|would|can|will|might|may) you\b|\bplease\b|\blet me know\b|\bi(?:'d| would)\b"
    r"|\bi(?:'m| am) (?:hoping|eager|keen|interested|very interested|writing|reaching out|asking)"
    r"|\bi hope\b|\bhoping\b|\bwonder(?:ed|ing)?\b|\bany chance\b|\bany way\b|\bis there\b"
    r"|\bare there\b|\bdo you (?:know|happen|think)\b|\bif you\b|\bappreciate\b|\bgrateful\b"
    r"|\bwhat would it take\b|\bwhat's the best way\b|\bhow (?:i|to)\b|\bmy goal\b|\bcan you\b"
    r"|\bwould (?:love|like|appreciate|welcome|be grateful|be glad)\b|\bi want\b"
    r"|\bi(?:'m| am) (?:trying|applying|looking)\b|\bwhether\b|\bjust checking\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|i'm|i'd|i've|i'll|myself)\b")

_JOB = (
    r"(?:jobs?|positions?|roles?|openings?|vacanc(?:y|ies)|internships?|opportunit(?:y|ies)|"
    r"postings?|spots?)"
)


@dataclass(frozen=True)
class _AskPattern:
    why: str
    regex: re.Pattern[str]
    needs_frame: bool = True
    needs_first_person: bool = False
    # A context test on the match: returns False to drop a mere mention.
    keep: Callable[[str, re.Match[str]], bool] | None = None


def _not_possessed(sentence: str, match: re.Match[str]) -> bool:
    """ "your job", "her role": talking about the contact's own job is no ask."""
    before = sentence[: match.start()].split()[-1:] or [""]
    return before[0] not in {"your", "his", "her", "their", "its", "the"}


# A wish of the writer's: "I'd love to", "I'm eager", "in any capacity".
_DESIRE = re.compile(
    r"\bi(?:'d| would)? (?:love|like|want|hope|wish|be thrilled|be keen)"
    r"|\bi(?:'m| am) (?:eager|keen|hoping|very interested|interested|excited)"
    r"|\bin any capacity\b|\bis there (?:any )?way\b|\bwould be thrilled\b"
)


def _p(why: str, pattern: str, **options: object) -> _AskPattern:
    return _AskPattern(why, re.compile(pattern), **options)  # type: ignore[arg-type]


_ASKS: tuple[_AskPattern, ...] = (
    _p("asks them to hire you", r"\b(?:hire|hiring|employ|recruit) me\b", needs_frame=False),
    _p(
        "asks them to take you on",
        r"\b(?:take|takes|taking|bring|bringing) (?:me|someone like me) on\b",
        needs_frame=False,
    ),
    _p(
        "asks for a good word",
        r"\bput in a (?:good )?word\b|\bthrow my hat in\b",
        needs_frame=False,
    ),
    _p(
        "asks for a referral",
        r"\brefer(?:ring)? me\b|\b(?:for|get|give|need|want|request|hoping for|appreciate) "
        r"(?:an? |your )?(?:internal |employee )?referral\b",
        needs_frame=False,
    ),
    _p(
        "asks them to recommend or vouch for you",
        r"\b(?:recommend(?:ing)?|vouch(?:ing)? for|speak(?:ing)? (?:up )?for|mention(?:ing)?) "
        r"(?:me|my name)\b|\b(?:serve|act) as (?:a|my) reference\b|\breference for my\b",
        needs_frame=False,
    ),
    _p(
        "asks them to pass on or review your application",
        r"\b(?:review|critique|look (?:over|at|through)|glance (?:over|at)|go (?:over|through)|"
        r"check|read|edit|feedback on|thoughts on|comments on|share|forward|pass|send|flag|"
        r"sharing|forwarding|passing|flagging|get|put|submit|keep|help me with|status of|about)"
        r"\b[^.?!]{0,40}?\bmy (?:resume|cv|c\.v\.|cover letter|application|portfolio|candidacy|"
        r"name|profile|materials)\b",
    ),
    _p(
        "asks for a résumé review",
        r"\b(?:resume|cv) (?:review|feedback|critique)\b|\bmy (?:resume|cv)\b[^.?!]{0,60}"
        r"\b(?:feedback|stand out|recruiters?)\b",
    ),
    _p(
        "asks about openings",
        r"\b(?:asking|ask|inquire|inquiring|writing|reaching out)\s+(?:you\s+)?(?:about|for|"
        r"regarding)\s+(?:\w+\s+){0,2}?(?:jobs?|openings?|positions?|roles?|referrals?|"
        r"vacanc\w+|internships?|employment)\b",
        needs_frame=False,
    ),
    _p(
        "asks whether they are hiring",
        r"\b(?:are|is|be|been)\s+(?:\w+\s+){0,3}?(?:hiring|recruiting)\b|'(?:s|re)\s+(?:\w+\s+)?"
        r"(?:hiring|recruiting)\b|\b(?:plans?|planning|going|open|likely|looking)\s+to\s+"
        r"(?:hire|recruit)\b|\b(?:hire|hiring|recruit|recruiting)\s+(?:any|more|new|another|"
        r"additional|a few)\b|\b(?:accepting|taking)\s+applications\b|\b(?:anyone|someone|"
        r"somebody|companies|teams|firms|people)\s+(?:(?:who|that)(?:'s|'re| is| are| might be)"
        r"\s+)?hiring\b",
    ),
    _p(
        "asks whether they need someone",
        r"\b(?:looking for|in need of|needs?|need)\s+(?:\w+\s+)?(?:anyone|someone|somebody|help|"
        r"(?:new |more |junior |extra )?(?:people|reps|hires|staff|graduates|grads|analysts|"
        r"interns|associates)\b|"
        r"an? (?:\w+\s+)?(?:technician|assistant|analyst|rep|hand|coordinator|associate|intern))"
        r"\b|\b(?:adding|add|grow(?:ing)?|expanding)\s+(?:\w+\s+)?(?:headcount|staff|reps|people)"
        r"\b|\b(?:take|takes|taking|hire|hires|accept|accepts|accepting|bring|bringing)\s+(?:on\s+)?"
        r"(?:\w+\s+){0,3}?(?:interns|volunteers|new grads|graduates|trainees|apprentices|analysts"
        r"|reps|juniors)\b",
    ),
    _p(
        "asks about openings",
        r"\b(?:any|open|available|upcoming|future|current|entry[- ]level|suitable|relevant|job)\s+"
        r"(?:\w+\s+){0,2}?" + _JOB + r"\b(?!\s+(?:to|for)\s+(?:learn|grow|develop|move|advance|"
        r"travel|mentor|lead))",
        keep=_not_possessed,
    ),
    _p(
        "asks about openings",
        r"\b(?:hear|know|learn|come across|see|heard|knew)\s+(?:of|about)\s+(?:any\s+)?(?:\w+\s+)?"
        r"(?:openings?|positions?|roles?|jobs?|vacanc\w+)\b|\b(?:know|knew|hear|heard) of "
        r"(?:anything|something)\b",
    ),
    _p(
        "asks whether a position is open",
        r"\b(?:position|role|job|opening|internship|vacancy|posting)\s+(?:\w+\s+){0,4}?(?:is\s+|are"
        r"\s+)?(?:still\s+)?(?:open|available|filled)\b",
        keep=_not_possessed,
    ),
    _p(
        "asks for a place for you",
        r"\b(?:role|position|job|spot|place|room|opening|something|anything|contract|internship)"
        r"\s+for\s+(?:me|someone like me|a (?:\w+\s+){0,3}(?:graduate|grad)\b)|\broom for "
        r"(?:another|one more|a new|someone|me)\b|\banything (?:available|open|suitable)\b|\b"
        r"(?:anything|something|(?:a|an|any)\s+(?:\w+\s+){0,3}(?:spot|position|role|opening|seat|"
        r"vacancy|job|opportunity))\s+(?:opens|comes|becomes available|frees)\b",
    ),
    _p(
        "asks them to keep you in mind",
        r"\bkeep me in mind\b|\bme in mind\b|\bthink of me\b|\bbe considered\b"
        r"|\bconsider(?:ed|ing)?\s+(?:me|for)\b"
        r"|\b(?:be|become|as) a candidate\b|\bcandidacy\b|\bkeep (?:an eye|your eyes?) out\b|"
        r"\bon file\b|\byour next hire\b|\bhave a (?:shot|chance)\b|\bavailable (?:immediately|"
        r"to start|right away)\b",
        needs_frame=False,
    ),
    _p(
        "asks to be put in front of the people who hire",
        r"\b(?:hiring (?:manager|team|committee|partner|panel)s?|recruit(?:er|ers|ing team|ing)|"
        r"hr (?:team|department)|talent (?:team|acquisition)|selection panel|human resources)\b",
        needs_first_person=True,
    ),
    _p(
        "asks for an interview",
        r"\b(?:get|land|secure|arrange|set up|grant|give|offer|schedule|score|earn)\s+(?:me\s+)?"
        r"(?:a|an|the)?\s*(?!informational)(?:\w+\s+)?interview\b|\binterview(?:ing)?\s+(?:me\b|"
        r"for\s+(?:the|a|an|your|this|that|any)\b)|\b(?:chance|opportunity|able|like|love|want|"
        r"hope|hoping|eager)\s+to\s+interview\b",
    ),
    _p(
        "asks for help getting hired",
        r"\b(?:job offer|an offer from|secure an offer|get an offer|land an offer)\b|\b(?:my|a) "
        r"foot in the door\b|\b(?:i|me)\b[^.?!]{0,25}\b(?:get|be|getting|being)\s+hired\b|\bhow "
        r"to get hired\b|\bway to (?:join|get hired|work (?:at|for))\b"
        r"|\bhelp(?:ing)? me\s+(?:to\s+)?(?:get|land|find|secure|obtain)\b"
        r"|\b(?:do|get|have|find|land|start)\s+(?:my|an?)\s+"
        r"(?:\w+\s+)?internship\b|\b(?:land|get|find|secure)\s+(?:a|an)\s+(?:\w+\s+)?(?:job|"
        r"position|role)\b|\bhelp (?:with|in) my (?:job )?(?:search|hunt)\b|\b(?:love|like|want|"
        r"plan|hope|eager|keen)\s+to\s+apply\b|\bemployment\b|\b(?:any|job)\s+leads\b|\bneed "
        r"(?:anyone|someone)\b",
        needs_first_person=True,
    ),
    _p(
        "says you want to join their team",
        r"\b(?:join|joining|be part of|work for|work at|work there|working for|working at|"
        r"start my career (?:with|at)|bring my skills to)\b",
        keep=lambda s, m: _not_possessed(s, m) and bool(_DESIRE.search(s)),
    ),
)

# "I'm not asking for a job": a denial is no ask, but it puts the job on the table.
_DENIAL = re.compile(
    r"(?:\bnot\b|n't\b|\bnever\b|\bno\b)(?:\s+[\w-]+){0,6}?\s+(?:jobs?|positions?|roles?|"
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
_HELP = re.compile(
    r"\bhelp me (?:out|get|land|find|secure)\b|\bany help\b|\b(?:you )?can help\b|\bcould help\b"
    r"|\bable to help\b|\bopen to (?:that|it|this)\b|\bfor me\b|\bleads?\b"
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _job_findings(norm: str, sentences: list[tuple[int, int]]) -> list[Finding]:
    asks: list[Finding] = []
    denials: list[tuple[int, int]] = []
    for s_start, s_end in sentences:
        raw = norm[s_start:s_end]
        local_denials = [m.span() for m in _DENIAL.finditer(raw)]
        denials += [(s_start + a, s_start + b) for a, b in local_denials]
        sentence = _mask(raw, local_denials)
        framed = bool(_FRAME.search(sentence))
        first_person = bool(_FIRST_PERSON.search(sentence))
        for pattern in _ASKS:
            if pattern.needs_frame and not framed:
                continue
            if pattern.needs_first_person and not first_person:
                continue
            match = next(
                (
                    m
                    for m in pattern.regex.finditer(sentence)
                    if pattern.keep is None or pattern.keep(sentence, m)
                ),
                None,
            )
            if match:
                asks.append(
                    Finding(
                        "asks-for-job",
                        "error",
                        s_start + match.start(),
                        s_start + match.end(),
                        f"This {pattern.why}: ask for 20 to 30 minutes of advice about their "
                        "work instead; a job ask ends the conversation before it starts.",
                    )
                )
                break
    searches = [m.span() for m in _SEARCH.finditer(_mask(norm, denials))]
    if not asks and searches and _HELP.search(_mask(norm, denials)):
        start, end = searches[0]
        asks.append(
            Finding(
                "asks-for-job",
                "error",
                start,
                end,
                "This says you are job hunting and asks for help: that reads as a job ask. "
                "Ask what they would do in your place instead.",
            )
        )
    if asks:
        return asks
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
    norm = _normalize(text)
    sentences = _sentences(norm)
    findings = _job_findings(norm, sentences)
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
