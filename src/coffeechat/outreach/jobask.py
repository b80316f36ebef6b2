"""Does a sentence ask the contact for a job? Lemmas, concepts and a small trained model.

A pure module (no Django, no I/O beyond reading the shipped weights once). The checker splits
a message into sentences and asks ``probability`` how likely each one (or its likeliest
clause) is to be a job ask; the features are what make that generalize beyond the phrasings
of the training corpus:

- every word is reduced to a lemma by a small rule-based lemmatizer ("hiring", "hired",
  "hires" -> "hire"), so no inflection needs its own training sentence;
- lemmas that play the same part in an ask share a *concept* ("résumé", "CV", "portfolio",
  "profile" -> DOC; "forward", "pass", "share", "circulate" -> PASS), and the features are
  written over both the lemmas and the concepts, so "circulate my portfolio" inherits what
  the corpus taught about "forward my résumé";
- a few hand features say what a linear model cannot see from words alone: a request form
  ("could you", "would you be open to", "any chance"), the sender as the one who benefits
  ("consider me", "my CV"), a job object (role, opening, internship, shift, referral,
  hiring manager...), a thank-you for something already done, and the job words that a
  denial ("I'm not asking for a job") takes off the table;
- the previous sentence lends its job objects, so "Could you tell me who is handling it?"
  after "I saw the PM opening on your team" is read with the opening in mind;
- a sentence with nothing about work for anyone is scored on a single "nothing about work"
  feature, so that ordinary wording ("I'd love to ask a few things") cannot add up to an ask.

The weights are a logistic regression trained by ``scripts/train_job_ask.py`` on the corpus
in ``tests/outreach/data/job_ask_corpus.jsonl`` and shipped as ``data/job_ask_model.json``.
Rules still decide the clearest cases ("refer me", "keep me in mind") and name the kind of
ask for the explanation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

MODEL_PATH = Path(__file__).parent / "data" / "job_ask_model.json"

# ---------------------------------------------------------------- words and lemmas

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[?!,;:]|--|[—–]")

_IRREGULAR = {
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be",
    "'m": "be", "'re": "be", "has": "have", "had": "have", "having": "have", "'ve": "have",
    "does": "do", "did": "do", "done": "do", "doing": "do", "made": "make", "got": "get",
    "gotten": "get", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "sent": "send", "told": "tell", "went": "go", "gone": "go", "came": "come", "saw": "see",
    "seen": "see", "heard": "hear", "knew": "know", "known": "know", "thought": "think",
    "brought": "bring", "kept": "keep", "felt": "feel", "left": "leave", "found": "find",
    "led": "lead", "held": "hold", "met": "meet", "ran": "run", "wrote": "write",
    "written": "write", "spoke": "speak", "spoken": "speak", "began": "begin", "begun": "begin",
    "became": "become", "chose": "choose", "chosen": "choose", "paid": "pay", "said": "say",
    "built": "build", "spent": "spend", "taught": "teach", "bought": "buy", "won": "win",
    "lost": "lose", "fell": "fall", "grew": "grow", "grown": "grow", "let": "let",
    "put": "put", "set": "set", "cut": "cut", "read": "read", "hit": "hit", "quit": "quit",
    "children": "child", "people": "people", "men": "man", "women": "woman", "staff": "staff",
    "news": "news", "its": "its", "his": "his", "this": "this", "us": "us", "yes": "yes",
    "always": "always", "perhaps": "perhaps", "unless": "unless", "thanks": "thanks",
    "series": "series", "analysis": "analysis", "basis": "basis", "crisis": "crisis",
    "ids": "id", "opening": "opening", "openings": "opening", "staffing": "staffing",
    "cvs": "cv", "resumes": "resume", "résumé": "resume", "résumés": "resume",
    "resumé": "resume", "c.v.": "cv", "hr": "hr", "ux": "ux", "gis": "gis",
    "wouldn't": "would", "couldn't": "could", "can't": "can", "won't": "will", "don't": "do",
    "doesn't": "do", "didn't": "do", "isn't": "be", "aren't": "be", "wasn't": "be",
    "i'm": "i", "i'd": "i", "i've": "i", "i'll": "i", "you're": "you", "you'd": "you",
    "you've": "you", "you'll": "you", "we're": "we", "we'd": "we", "we've": "we",
    "it's": "it", "that's": "that", "there's": "there", "what's": "what", "who's": "who",
    "let's": "let", "u": "you", "ur": "your", "pls": "please", "plz": "please", "lmk": "lmk",
    "ppl": "people", "cos": "because", "bc": "because", "tho": "though",
}
_VOWELS = set("aeiouy")


def _vowel_groups(word: str) -> int:
    groups, previous = 0, False
    for char in word:
        vowel = char in _VOWELS
        if vowel and not previous:
            groups += 1
        previous = vowel
    return groups


def _restore(stem: str) -> str:
    """The base of a stem that lost "-ing" or "-ed": undouble ("referr" -> "refer") or put
    back a silent e ("hir" -> "hire") on one-syllable stems that end consonant-vowel-consonant."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lszf" + "aeiou":
        return stem[:-1]
    if (
        len(stem) >= 2
        and _vowel_groups(stem) == 1
        and stem[-1] not in _VOWELS | set("wx")
        and stem[-2] in _VOWELS
        and (len(stem) == 2 or stem[-3] not in _VOWELS)
    ):
        return stem + "e"
    if stem.endswith(("at", "iz", "bl", "ur", "rg", "dg", "ys", "ik", "uc", "rv", "lv")) and (
        _vowel_groups(stem) > 1 or stem.endswith(("rg", "dg", "rv", "lv", "uc"))
    ):
        return stem + "e"
    return stem


@cache
def lemma(word: str) -> str:
    """A lemma good enough to pool inflections; consistent rather than dictionary-perfect."""
    word = word.replace("’", "'")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("n't"):
        return _IRREGULAR.get(word, word[:-3])
    if word.endswith("'s"):
        word = word[:-2]
    elif "'" in word:
        word = word.split("'")[0]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5 and _vowel_groups(word[:-3]):
        return _restore(word[:-3])
    if word.endswith("ed") and len(word) > 4 and _vowel_groups(word[:-2]):
        stem = word[:-2]
        if stem.endswith("e"):
            return stem
        return _restore(stem)
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous", "ics")):
        return word[:-1]
    return word


# ---------------------------------------------------------------- concepts

# What a lemma stands for in an ask. A word missing here still counts through its lemma.
_CONCEPT_WORDS: dict[str, str] = {}
for _concept, _words in {
    "JOB": "job position role opening vacancy posting opportunity headcount req requisition "
    "seat slot spot post gig employment hire vacancy backfill",
    "PROGRAM": "internship externship fellowship residency apprenticeship traineeship practicum "
    "placement rotation clerkship co-op coop intern apprentice trainee extern",
    "GIG": "contract freelance freelancer subcontract subcontractor shift locum per-diem prn "
    "overflow contractor retainer",
    "DOC": "resume cv portfolio profile application candidacy clip sample cover materials "
    "credential transcript",
    "HIRER": "recruiter recruiting recruitment hr talent staffing hiring",
    "BOSS": "manager director boss supervisor foreman principal chief head lead chair partner "
    "superintendent editor pi dean chef owner coordinator",
    "PASS": "forward pass send share circulate hand flag submit show drop nudge bring route",
    "REFER": "refer referral recommend vouch endorse nominate champion sponsor word",
    "CONSIDER": "consider remember radar mind",
    "INTERVIEW": "interview interviewing",
    "JOIN": "join aboard onboard",
    "INTRO": "introduce introduction intro connect touch",
    "HIREV": "hire employ recruit staff onboard",
    "REF": "reference referee letter recommendation",
    "FREE": "unpaid free volunteer trial spec tryout charge bono",
    "ROLE": "teacher nurse server cook chef analyst assistant associate engineer developer "
    "designer technician tech helper clerk coordinator receptionist scribe paralegal accountant "
    "bookkeeper writer editor rep representative driver laborer operator welder electrician "
    "plumber carpenter student graduate grad junior trainee auditor animator architect "
    "dishwasher researcher scientist pharmacist hygienist therapist consultant planner "
    "interpreter translator illustrator photographer agent aide caseworker counselor "
    "inspector mechanic machinist installer attorney lawyer associate officer specialist "
    "hand worker employee staffer member candidate applicant hire newcomer someone anyone",
    "WANT": "love like want hope wish dream eager keen thrill delight happy glad honor",
    "REQ": "could would can will might may please kindly",
    "ME": "i me my myself mine",
    "YOU": "you your yours yourself",
    "NEG": "not no never n't nothing",
    "THANK": "thank thanks grateful appreciate",
    "Q": "what how why which where when who whom whose",
    "ORG": "team department lab unit firm company clinic shop crew studio office group school "
    "agency hospital practice organization kitchen plant store newsroom floor side "
    "district foundation restaurant hotel program business practice",
    "GROW": "grow expand add budget capacity backfill open opens need short",
}.items():
    for _w in _words.split():
        _CONCEPT_WORDS.setdefault(_w, _concept)

# Concepts that make a sentence about a job for someone.
_JOB_CONCEPTS = {"JOB", "PROGRAM", "GIG", "DOC", "HIRER", "REFER", "HIREV", "REF", "INTERVIEW",
                 "JOIN"}
_NEGATORS = {"not", "no", "never", "nothing", "neither", "nor", "without"}
# Where a denial stops: "I'm not asking for a job, but could you ..." keeps the second part.
_CLAUSE_BREAK = {",", ";", ":", "--", "—", "–", "but", "just", "only", "though", "however",
                 "yet", "instead", "simply", "rather", "although", "?", "!"}

_REQUEST = re.compile(
    r"\b(?:could|would|can|will|might|may|wouldn't|couldn't) (?:you|u|your|i|someone|my)\b"
    r"|\bany (?:chance|way)\b|\bplease\b|\bpls\b|\bkindly\b|\blet me know\b|\blmk\b"
    r"|\bkeep me\b|\bdo you (?:know|happen|think|have|see|expect|ever)\b"
    r"|\b(?:is|are|will|would) (?:there|your|the|they|you|any)\b|\bis it possible\b"
    r"|\bi(?:'d| would)(?: really| so)? (?:be|appreciate|welcome|love|like)\b"
    r"|\bi(?:'m| am) (?:hoping|asking|writing|reaching out|wondering)\b|\bwonder(?:ed|ing)\b"
    r"|\bif you\b|\bwhat would it take\b|\bhow can i\b|\bjust say\b|\bcount me\b"
    r"|\bthink of me\b|\bgive me\b|\bdid you (?:get|have|manage)\b|\bwere you able\b"
    r"|\bchecking (?:in|whether|if)\b|\bfollowing up\b|\bsay the word\b|\b(?:give|call) me\b"
)
_THANKS_PAST = re.compile(
    r"\b(?:thank(?:s| you)?|grateful|appreciate(?:d)?)\b[^?]{0,40}?\bfor (?:\w+ ){0,2}"
    r"\w+(?:ing|ed)\b"
    r"|\b(?:thanks|thank you) to you\b|\bi (?:got|landed|accepted|started|start|finally|was "
    r"(?:offered|accepted|hired))\b|\b(?:led|paid off|turned into)\b"
)
# The sender as the one a verb of hiring acts on: "consider me", "take me on", "refer me".
_VERB_ME = re.compile(
    r"\b(?:hire|hiring|consider|considering|refer|referring|recommend|recommending|keep|take|"
    r"taking|bring|bringing|mention|mentioning|vouch for|remember|think of|have|sponsor|"
    r"endorse|nominate|accept|add|use|count|squeeze|fit|retain|host|pay|train|employ|staff|"
    r"suggest|put forward|talk up|back)\s+(?:me|my name|someone like me)\b"
)
_MY_DOC = re.compile(r"\bmy (?:\w+ )?(?:resume|cv|portfolio|profile|application|candidacy|name|"
                     r"details|materials|clips|samples|linkedin|work samples|cover letter)\b")
_I_WORK = re.compile(
    r"\b(?:could|can|may|might) i (?:\w+ )?(?:work|join|intern|come|start|do my|help out|"
    r"pick up|cover|bid|volunteer|apprentice|train|be considered|apply|get)\b"
    r"|\b(?:i'd|i would|i'll|i will) (?:\w+ ){0,2}(?:work|join|start|come on|be part|fill|step "
    r"in|take any|relocate)\b"
)
# An indefinite job ("a role", "any openings", "another associate") rather than the contact's.
_SOME_JOB = re.compile(
    r"\b(?:a|an|any|another|open|new|one more|more|upcoming|available|extra|additional)\s+"
    r"(?:\w+\s+)?(?:jobs?|roles?|positions?|openings?|vacanc\w+|spots?|seats?|slots?|"
    r"internships?|fellowships?|placements?|shifts?|hires?|associates?|analysts?|nurses?|"
    r"techs?|technicians?|assistants?|interns?|apprentices?|reps?|people|staff|headcount|"
    r"work|help|hands?|contracts?|gigs?|freelancers?)\b"
)
_YOUR_JOB = re.compile(r"\byour (?:\w+ )?(?:job|role|position|career|work|path)\b")
_YOU_HIRE = re.compile(
    r"\b(?:when|how|what|why|who|whom|do|does|did) (?:\w+ ){0,3}(?:you|they|teams?|firms?|"
    r"companies|hospitals|employers|managers?|recruiters?|people) (?:\w+ )?(?:hire|hiring|"
    r"recruit|recruiting|look for|screen|interview|choose|decide|pick|evaluate|assess|value)\b"
)
# Other signs that a sentence is about work for the sender.
_GATE = re.compile(
    r"\b(?:need|needs|needed|use|using)\s+(?:\w+\s+)?(?:someone|anyone|somebody|help|hands?|"
    r"people|staff)\b|\b(?:looking|searching|hunting|seeking)\s+(?:for\s+)?(?:\w+\s+)?"
    r"(?:work|jobs?|employment)\b|\bfoot in the door\b|\bon (?:your|the) (?:\w+ )?(?:team|"
    r"crew|staff|floor|unit|payroll|list|radar)\b|\bpaid\b|\bemploy\w*|\bwork(?:ing)? "
    r"(?:for|with|at|under|alongside) (?:you|your)\b|\bcolleagues?\b|\bhired?\b|\bhiring\b"
    r"|\bpart of (?:it|that|this|the team|your)\b|\bstart\b|\bshot\b"
    r"|\bconsider\w*|\bfor me\b|\bmy way\b|\bon my behalf\b|\babout me\b|\bappl(?:y|ied|"
    r"ying|ication)\b|\b(?:room|place|path|way|seat) (?:for|in|into|on)\b|\bfit\b|\bfree\b"
    r"|\bunpaid\b|\btrial\b|\bspec\b|\bhat in\b|\bin the running\b|\bworth a look\b"
    r"|\baddition\b|\bcohort\b|\bclass\b|\badd(?:ing)?\b|\bexpand\w*|\blooking for\b"
    r"|\bneeds?\b|\bwork\b|\bname\b|\bbehalf\b|\bme on\b|\btalk me up\b|\bstand "
    r"(?:behind|up for) me\b|\bknow me\b|\banything (?:open|for)\b|\bprove\b|\bcontribute\b"
    r"|\bfits?\b|\bhands\b|\bpitch\w*|\bworking (?:there|here|with|for|at)\b|\bi'm looking\b"
    r"|\bfull[- ]time\b|\bpart[- ]time\b|\bany (?:way|room)\b|\b(?:talk\w*|talked) me up\b"
    r"|\b(?:give|gave|take|taking) (?:me )?(?:a|one|the) chance\b|\bchance (?:on|at|to (?:work|join"
    r"|prove|contribute))\b|\btryout\b|\bno charge\b|\bget noticed\b|\bfull yet\b"
    r"|\b(?:comes?|opens?|came|opened) up\b|\bfresher\b|\bhelp me (?:get|land|break|find|"
    r"secure)\b|\bbreak into\b"
)
# Feedback on a CV or portfolio is advice, not an ask (the frozen set's rule 4)...
_FEEDBACK = re.compile(
    r"\b(?:feedback|critique|critiqu\w+|review\w*|look (?:over|at|through)|glanc\w+|read\w*|"
    r"thoughts|opinion|comments?|notes|suggestions?|improve|stand out|weak\w*|cut|change|"
    r"length|too (?:long|short|academic)|worry|worried|missing|frame|present|describe|tone|"
    r"honest|what's wrong|fix|strong\w*|polish|edit\w*|tweak)\b"
)
# ... unless it is passed on to someone who hires.
_PASS_ON = re.compile(
    r"\b(?:pass|forward|send|share|show|hand|circulate|get|give|flag|put|bring|submit)\w*\b"
    r"[^.?!]{0,40}\b(?:to|with|in front of|on|along)\b"
)
# Watching is not working (rule 5): observe, shadow, sit in, ride along.
_OBSERVE = re.compile(
    r"\b(?:observ\w+|shadow\w*|watch\w*|sit in|sat in|ride[- ]along|tag along|visit\w*|"
    r"follow you|see how|attend)\b"
)
_WORK_OFFER = re.compile(r"\b(?:help\w*|work\w*|unpaid|volunteer\w*|intern\w*|pitch in|paid)\b")
# A purpose of learning beside an introduction (rule 3): "I'd love to hear how it works".
_LEARN = re.compile(
    r"\b(?:curious|learn\w*|hear\w*|understand\w*|explain\w*|fascinat\w*|perspective|view|"
    r"insight\w*|advice|ask (?:her|him|them) about|how (?:\w+ ){0,4}(?:works?|runs?|built|"
    r"changed|started|got)|what (?:it|the work|her work|his work) (?:is|was) like|her work|his "
    r"work|their work|research)\b"
)
_INTRO = re.compile(r"\b(?:introduc\w+|connect\w*|put me in touch|intro|mention|use your name)\b")

# The sender's own job search, and a plea for help or leads beside it.
_SEARCH = re.compile(
    r"\b(?:job[- ](?:hunting|searching|search|market)|on the (?:job )?market|between jobs|out of "
    r"work|(?:looking|searching|hunting) for (?:\w+ )?(?:work|a job|a new job|a position|a new "
    r"position|my (?:first|next) (?:\w+ )?(?:role|job)))\b"
)
_HELP = re.compile(
    r"\bhelp(?:ing)? me\b|\bany (?:help|leads?|openings?|postings?)\b|\bleads\b"
    r"|\bfoot in the door\b|\bbreak into\b|\bget (?:in|hired)\b|\bland (?:something|a|an)\b"
)
_WH_START = re.compile(r"^\W*(?:what|how|why|which|where|when|who|whom|is it|do|does|did|are|is)\b")


class Token(NamedTuple):
    text: str
    lemma: str
    concept: str | None
    negated: bool = False


@cache
def _word(raw: str) -> tuple[Token, ...]:
    """The token(s) of one word: "can't" is "can" and a negation."""
    lem = lemma(raw)
    if raw.endswith("n't"):
        return (Token(raw, lem, _CONCEPT_WORDS.get(lem)), Token("n't", "not", "NEG"))
    return (Token(raw, lem, _CONCEPT_WORDS.get(lem) or _CONCEPT_WORDS.get(raw)),)


@lru_cache(maxsize=256)
def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of lower-cased ``text`` with lemmas and concepts; job words under a denial
    ("not asking for a job") are marked negated. Cached: the checker reads each sentence
    twice, once as itself and once as the context of the next."""
    tokens: list[Token] = []
    for raw in _TOKEN.findall(text):
        tokens.extend(_word(raw))
    return _mark_denials(tokens)


_DENIABLE = _JOB_CONCEPTS | {"PASS", "INTRO", "CONSIDER"}


def _mark_denials(tokens: list[Token]) -> tuple[Token, ...]:
    out: list[Token] = []
    negating = 0
    for token in tokens:
        if token.lemma in _NEGATORS:
            negating = 7
            out.append(token)
            continue
        if token.text in _CLAUSE_BREAK:
            negating = 0
        if negating and token.concept in _DENIABLE:
            out.append(Token(token.text, token.lemma, "NEGJOB", True))
        else:
            out.append(token)
        if negating:
            negating -= 1
    return tuple(out)


def clear_caches() -> None:
    """Forget the sentences seen so far (the benchmark measures a cold message)."""
    tokenize.cache_clear()


# ---------------------------------------------------------------- features


def _has(tokens: Iterable[Token], concepts: set[str]) -> bool:
    return any(t.concept in concepts for t in tokens)


def _about_work(text: str, tokens: tuple[Token, ...]) -> bool:
    """Whether anything in the sentence is about work for someone: a job word, a role, the
    sender as the object of a verb of hiring, a CV, "could I work", "another analyst"..."""
    return (
        any(t.concept in _GATE_CONCEPTS for t in tokens)
        or bool(_VERB_ME.search(text) or _MY_DOC.search(text) or _I_WORK.search(text))
        or bool(_SOME_JOB.search(text) or _GATE.search(text) or _SEARCH.search(text))
    )


_GATE_CONCEPTS = _JOB_CONCEPTS | {"ROLE", "CONSIDER", "NEGJOB"}
_PRONOUNS = {"it", "that", "them", "they", "one"}
_PUNCTUATION = {",", ";", ":", "--", "—", "–"}


def features(text: str, context: str = "") -> list[str]:
    """The sparse binary features of one sentence (lower-cased), given the one before it."""
    tokens = tokenize(text)
    request = bool(_REQUEST.search(text))
    question = "?" in text
    context_tokens = tokenize(context) if context else ()
    context_job = bool(context) and (
        bool(_GATE.search(context)) or _has(context_tokens, _JOB_CONCEPTS)
    )
    if not (_about_work(text, tokens) or (context_job and (request or question))):
        # Nothing in the sentence is about work for the sender, so its wording says nothing
        # either: "I'd love to ask a few things" must not borrow the weight that "I'd love to"
        # carries in real asks. Such a sentence is scored on these two features alone.
        return ["bias", "f:nothing_job"]

    # Punctuation only marks where a denial stops: as a feature it is noise (long asks have
    # commas, so "," would learn to look like an ask).
    kept = [t for t in tokens if t.text not in _PUNCTUATION]
    words = [t.lemma for t in kept]
    abstract = [t.concept or t.lemma for t in kept]
    feats: set[str] = {"bias"}
    feats.update("w:" + w for w in words)
    padded = ["<s>", *words, "</s>"]
    feats.update(f"b:{a}_{b}" for a, b in zip(padded, padded[1:], strict=False))
    padded = ["<s>", *abstract, "</s>"]
    feats.update(f"c:{a}_{b}" for a, b in zip(padded, padded[1:], strict=False))
    # Concept pairs up to six words apart: "PASS my ... DOC", "REQ you ... REFER".
    concepts = [(i, t.concept) for i, t in enumerate(kept) if t.concept]
    for n, (i, a) in enumerate(concepts):
        for j, b in concepts[n + 1 :]:
            if j - i > 6:
                break
            feats.add(f"p:{a}>{b}")

    wh = bool(_WH_START.search(text))
    # A job object for the conjunctions below; a CV has its own features (my CV, passed on).
    job = _has(tokens, _JOB_CONCEPTS - {"DOC"})
    me = _has(tokens, {"ME"})
    want = _has(tokens, {"WANT"})
    negjob = _has(tokens, {"NEGJOB"})
    thanks_past = bool(_THANKS_PAST.search(text))
    verb_me = bool(_VERB_ME.search(text))
    my_doc = bool(_MY_DOC.search(text))
    some_job = bool(_SOME_JOB.search(text))
    you_hire = bool(_YOU_HIRE.search(text))
    search = bool(_SEARCH.search(text))
    help_me = bool(_HELP.search(text))
    doc = _has(tokens, {"DOC"})
    feedback = doc and bool(_FEEDBACK.search(text))
    passes_on = bool(_PASS_ON.search(text))
    observe = bool(_OBSERVE.search(text))
    work_offer = bool(_WORK_OFFER.search(text))
    intro = bool(_INTRO.search(text))
    learn = bool(_LEARN.search(text)) or bool(context and _LEARN.search(context))
    hirer = _has(tokens, {"HIRER"}) or "hire" in words
    hand = {
        "feedback&doc": feedback,
        "feedback&doc&!pass": feedback and not passes_on,
        "doc&pass": doc and passes_on,
        "observe": observe,
        "observe&!work": observe and not work_offer,
        "intro": intro,
        "intro&learn": intro and learn,
        "intro&learn&!hirer": intro and learn and not hirer,
        "intro&hirer": intro and hirer,
        "search": search,
        "help": help_me,
        "search&help": search and help_me,
        "request&help": request and help_me,
        "verb_me": verb_me,
        "request&verb_me": request and verb_me,
        "my_doc": my_doc,
        "request&my_doc": request and my_doc,
        "i_work": bool(_I_WORK.search(text)),
        "some_job": some_job,
        "request&some_job": request and some_job,
        "your_job": bool(_YOUR_JOB.search(text)),
        "you_hire": you_hire,
        "wh&you_hire": wh and you_hire,
        "request": request,
        "question": question,
        "wh": wh,
        "job": job,
        "me": me,
        "negjob": negjob,
        "thanks_past": thanks_past,
        "request&job": request and job,
        "request&me&job": request and me and job,
        "wh&job": wh and job,
        "want&job": want and job,
        "want&me&job": want and me and job,
        "question&job&!wh": question and job and not wh,
        "thanks_past&job": thanks_past and job,
        "negjob&!job": negjob and not job,
    }
    feats.update("f:" + name for name, on in hand.items() if on)
    # What the sentence before lends: "I saw the PM opening." + "Who is handling it?"
    pronoun = not job and any(t.lemma in _PRONOUNS for t in tokens)
    for concept in ("JOB", "PROGRAM", "GIG", "HIRER", "DOC"):
        if _has(context_tokens, {concept}):
            feats.add("x:" + concept)
            if request:
                feats.add("x:" + concept + "&request")
            if pronoun:
                feats.add("x:" + concept + "&pronoun")
    return sorted(feats)


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    threshold: float

    def probability(self, text: str, context: str = "") -> float:
        get = self.weights.get
        z = sum(get(f, 0.0) for f in features(text, context))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def model() -> Model:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return Model(weights=data["weights"], threshold=data["threshold"])


# Where a long sentence splits into clauses that can each carry an ask on their own.
_CLAUSE = re.compile(r"[;:—–]\s*|,\s*(?=(?:and|but|so|or|though|although|yet|which|and also)\b)"
                     r"|\s+-+\s+|,\s*(?=(?:i|i'd|i'm|could|would|can|will|please|if)\b)")


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence (the whole sentence when it has one)."""
    spans, last = [], 0
    for match in _CLAUSE.finditer(text):
        if text[last : match.start()].strip():
            spans.append((last, match.start()))
        last = match.end()
    if text[last:].strip():
        spans.append((last, len(text)))
    return spans or [(0, len(text))]


def probability(text: str, context: str = "") -> float:
    """How likely the (lower-cased) sentence ``text`` is a job ask, given the sentence before:
    the whole sentence's score, or a clause's when one clause asks on its own ("I want to
    understand how trials run, and I'm also hoping you can tell me about openings")."""
    scorer = model().probability
    best = scorer(text, context)
    parts = clauses(text)
    if len(parts) > 1:
        for start, end in parts:
            if len(text[start:end].split()) >= 3:
                best = max(best, scorer(text[start:end], context))
    return best


# ---------------------------------------------------------------- rules: clear cases, kinds

# Asks so plain that no sentence around them changes what they are. Each still yields to a
# denial ("I'm not asking you to refer me") and to thanks for a favour already done.
_CLEAR = re.compile(
    r"\b(?:hire|employ|recruit|take) me\b(?! (?:through|to|about|out)\b)|\brefer me\b"
    r"|\bput in a (?:good )?word\b|\bkeep me in mind\b|\bkeep me on your radar\b"
    r"|\byour next hire\b|\b(?:pass|forward|send|share|circulate|get) (?:along |on )?my "
    r"(?:resume|cv|portfolio|profile|application)\b(?! (?:feedback|review))"
    r"|\b(?:is|are) (?:your|you|the) (?:\w+ )?(?:team|firm|company|lab|department|unit|clinic"
    r"|shop|group|school|store|office|agency|hospital|studio|practice)? ?(?:hiring|recruiting)\b"
    r"(?! (?:process|manager|season|practices|freeze))"
    r"|\b(?:be|serve as|act as) (?:a |my |one of my )?references?\b|\bconsider me\b"
)


def clear_ask(text: str) -> bool:
    """A plain job ask ("refer me", "keep me in mind", "is your team hiring?"), unless a
    denial covers it or the sentence thanks for something already done."""
    match = _CLEAR.search(text)
    if not match:
        return False
    if _THANKS_PAST.search(text) and "?" not in text:
        return False
    before = text[: match.start()].split()[-8:]
    return not any(w.strip(",.").replace("n't", " not").split()[-1:] == ["not"]
                   or w in _NEGATORS for w in before)


def ask_kind(text: str, context: str = "") -> str:
    """What kind of job ask a sentence makes, for the explanation (one of the checker's
    _ASK_MESSAGES keys); the first that fits, in the order below. ``context`` is accepted for
    symmetry with ``probability`` and not read."""
    tokens = [t for t in tokenize(text) if not t.negated]
    concepts = {t.concept for t in tokens}
    lemmas = {t.lemma for t in tokens}
    if "REF" in concepts and not ("recommend" in lemmas and "letter" not in lemmas):
        return "reference"
    if "FREE" in concepts and (lemmas & {"unpaid", "free", "volunteer", "trial", "spec",
                                         "tryout", "bono", "charge"}):
        return "unpaid"
    if "PROGRAM" in concepts:
        return "internship"
    if "GIG" in concepts:
        return "contract"
    if "INTRO" in concepts and (concepts & {"HIRER", "BOSS"} or "who" in lemmas):
        return "intro-hirer"
    if "who" in lemmas and ("handle" in lemmas or "hire" in lemmas or "HIRER" in concepts):
        return "intro-hirer"
    if "REFER" in concepts:
        return "referral"
    if "DOC" in concepts:
        return "cv"
    if "CONSIDER" in concepts or _VERB_ME.search(text) or _I_WORK.search(text) or (
        "next hire" in text
    ):
        return "hire"
    if concepts & {"JOB", "GROW"} or _SOME_JOB.search(text):
        return "opening"
    return "hire"
