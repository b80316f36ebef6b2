"""A small English word folder, in pure Python: words, stop words, and stems, so that "hires",
"hired" and "hiring" count as one word and "two", "ask" or "days" count as none.

Written for themes (what several conversations said): the stem is a key for grouping, not a
word to show; a theme shows the form people actually wrote. The rules are light suffix
stripping, Porter-style but only for inflection (plural and verb endings, never "-ment" or
"-ation"), plus the irregular forms a learning is likely to hold. Every form of a word must
fold to the same key ("travel", "travels", "travelled", "travelling" -> "travel"), which is why
the key drops a final "e" and a final doubled letter: "hire"/"hiring" -> "hir",
"sell"/"selling" -> "sel".

Kept in core, apart from the message checker's own lemmas (outreach), so that both can
converge on one later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Letters, with an apostrophe or hyphen inside a word ("on-call", "don't"). Digits are no word:
# "2 days" and "10 am" carry nothing a theme can use.
_WORD = re.compile(r"[a-z]+(?:['\-][a-z]+)*")
_VOWELS = frozenset("aeiouy")

# Function words, and the words every conversation about work is full of whatever it is about:
# numbers and counts ("two", "first", "half"), stretches of time ("days", "weeks", "years"),
# the verbs of reporting a conversation ("ask", "said", "told", "mentioned"), and fillers.
STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against ago all almost alone along already also
    although always am among an and another any anybody anyone anything anyway anywhere are
    around as at away back be became because become becomes been before beforehand behind being
    below beside besides between beyond both but by can cannot could did do does doing done down
    during each either else elsewhere enough etc even ever every everybody everyone everything
    everywhere except few for former formerly from further had has have having he hence her here
    hers herself him himself his how however i if in indeed instead into is it its itself just
    last latter least less let lets many may me meanwhile might mine more moreover most mostly
    much must my myself namely neither never nevertheless next no nobody none noone nor not
    nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps please quite rather really same several she should since
    so some somebody someone something sometime sometimes somewhere still such than that the
    their theirs them themselves then there thereafter thereby therefore these they this those
    though through throughout thus to together too toward towards under until up upon us very
    via was we were what whatever when whenever where whereas wherever whether which while who
    whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves
    aren't can't couldn't didn't doesn't don't hadn't hasn't haven't he'd he'll he's here's how's
    i'd i'll i'm i've isn't it's let's mustn't shan't she'd she'll she's shouldn't that's
    there's they'd they'll they're they've wasn't we'd we'll we're we've weren't what's when's
    where's who's why's won't wouldn't you'd you'll you're you've
    zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion first second third fourth
    fifth sixth seventh eighth ninth tenth twice half halves dozen dozens couple
    day days week weeks month months year years today tomorrow yesterday tonight minute minutes
    moment moments date dates monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december
    am pm
    ask asks asked asking tell tells told telling say says said saying talk talks talked talking
    mention mentions mentioned mentioning explain explains explained explaining think thinks
    thought thinking know knows knew known feel feels felt guess guessed mean means meant
    get gets got getting gotten go goes going went gone come comes came coming make makes made
    making take takes took taking taken give gives gave given giving put puts keep keeps kept
    want wants wanted need needs needed like likes liked seem seems seemed look looks looked
    see sees saw seen let
    lot lots thing things stuff way ways kind kinds sort sorts bit bits part parts whole really
    actually basically maybe probably definitely certainly pretty quite truly simply especially
    mostly usually generally yes yeah okay ok sure also well able anyway else
    people person someone everyone anyone folk folks guy guys
    rest question questions answer answers answered offer offers offered suggest suggests
    suggested idea ideas example examples reason reasons case cases point points fact
    """.split()
)

# Words that say something beside another ("long hours", "high pressure", "new graduates") but
# nothing alone: in a two-word phrase only.
PHRASE_ONLY = frozenset(
    """
    good great nice bad new old big small little long short high low hard easy early late full
    real main right left top different hour hours time times
    job jobs work works role roles company companies team teams field fields plan plans
    manager managers side sides
    """.split()
)

# Forms whose stem the suffix rules cannot find.
IRREGULAR: dict[str, str] = {
    "children": "child",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "leaves": "leave",
    "analyses": "analysis",
    "crises": "crisis",
    "theses": "thesis",
    "criteria": "criterion",
    "data": "data",
    "media": "media",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "being": "be",
    "had": "have",
    "has": "have",
    "did": "do",
    "does": "do",
    "done": "do",
    "paid": "pay",
    "spent": "spend",
    "sold": "sell",
    "bought": "buy",
    "taught": "teach",
    "brought": "bring",
    "built": "build",
    "sent": "send",
    "began": "begin",
    "begun": "begin",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "grew": "grow",
    "grown": "grow",
    "met": "meet",
    "led": "lead",
    "held": "hold",
    "won": "win",
    "lost": "lose",
    "chose": "choose",
    "chosen": "choose",
    "drove": "drive",
    "driven": "drive",
    "flew": "fly",
    "flown": "fly",
}

# Endings that look like a plural "s" but are the word's own: "process", "status", "analysis".
_KEEP_S = ("ss", "us", "is", "ous", "ics")


def words(text: str) -> list[str]:
    """The words of a text, lower case, typographic apostrophes made plain."""
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def is_stop(word: str) -> bool:
    """A word that can make no theme: a stop word, or too short to mean anything alone."""
    return word in STOP_WORDS or len(word) < 3


def _has_vowel(text: str) -> bool:
    return any(letter in _VOWELS for letter in text)


def _strip_plural(word: str) -> str:
    if word.endswith("'s"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_KEEP_S) and len(word) > 3:
        return word[:-1]
    return word


def _strip_verb(word: str) -> str:
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("eed") and len(word) > 4:
        return word[:-1]  # "agreed" -> "agree", the form "agree" itself takes
    for ending in ("ing", "ed"):
        stem = word[: -len(ending)]
        # A stem with a vowel and some length: "bring", "thing", "red" and "shed" stay whole.
        if word.endswith(ending) and len(stem) >= 3 and _has_vowel(stem):
            return stem
    return word


def stem(word: str) -> str:
    """The key a word folds to: one key for every inflected form of a word."""
    word = word.lower().replace("’", "'")
    word = IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    word = _strip_verb(_strip_plural(word))
    word = IRREGULAR.get(word, word)
    # A final consonant "y" is "i" in most of its forms ("studies", "studied"): one key for all.
    if len(word) > 3 and word.endswith("y") and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    # "hire"/"hired"/"hiring" and "agree"/"agreed": the stem without its final "e".
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    # "travelled"/"travel", "stopping"/"stop", "sell"/"selling": no final doubled letter.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


def terms(text: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """The single words and two-word phrases of a text that can make a theme, each as (its
    key, the words as written): stop words dropped, and no phrase across a stop word or a
    sentence's end ("ask about travel" gives "travel", never "ask travel")."""
    for clause in re.split(r"[.!?;:,()\"\n]+", text):
        previous: str | None = None
        for word in words(clause):
            if is_stop(word):
                previous = None
                continue
            if word not in PHRASE_ONLY:
                yield (stem(word),), word
            if previous is not None:
                yield (stem(previous), stem(word)), f"{previous} {word}"
            previous = word
