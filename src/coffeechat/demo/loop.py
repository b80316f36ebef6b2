"""The rest of the loop on top of the demo's world: the messages Maya sent and their 3B7
follow-ups, prep plans and research, interview mode, referrals, shadowing, fit assessments,
keep-in-touch cadences, who knows whom, and her own templates, stars and contacts' earlier
jobs.

Written through the apps' own services wherever one exists (``outreach_log``,
``prep_plan_generate``, ``question_note_save``, ``fit_line_cite``, ...), in the order things
happened, so that the rows are what the app itself would have written: 3B7 dates in business
days, plans drawn by the planner from what was asked before, evidence limited to what the fit
page offers. Services stamp rows with the real now; ``Stamps`` moves each row to its moment in
the story, one update per table at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models import OuterRef, Subquery

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact, JobHistory
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.conversations.services import conversation_transition
from coffeechat.demo.clock import Clock, roll_to_weekday
from coffeechat.demo.world import REPLAYED, World
from coffeechat.fit import selectors as fit_selectors
from coffeechat.fit import services as fit
from coffeechat.fit.models import FitLine, LineKind
from coffeechat.followups.models import FollowUp
from coffeechat.followups.services import followups_close_3b7
from coffeechat.interview import services as interview
from coffeechat.interview.models import InterviewSession, QuestionNote, Referral, Shadowing
from coffeechat.interview.services import REFERRAL_REACH_OUT_DAYS
from coffeechat.network.services import knows_create
from coffeechat.notes.models import Note
from coffeechat.outreach import drafts
from coffeechat.outreach.models import Channel, DraftKind, MessageTemplate, Outreach
from coffeechat.outreach.services import keep_in_touch_set, outreach_log, outreach_reply
from coffeechat.prep import services as prep
from coffeechat.prep.models import PrepItem, PrepPlan, ResearchItem
from coffeechat.questions.models import Question
from coffeechat.questions.services import question_mark

PHARMA, DEVICES, BIOTECH = "Pharmaceuticals", "Medical devices", "Biotechnology"

# ---------------------------------------------------------------------------------------------
# Maya's own message templates, and what she sent to whom.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    kind: str
    name: str
    subject: str
    body: str
    days: int  # when she wrote it


TEMPLATES: dict[str, _Template] = {
    "alumni": _Template(
        DraftKind.REQUEST_EMAIL,
        "Riverside State alumni",
        "From a fellow Riverside State graduate",
        "Hi {first_name},\n\n{connection} I finished my biology degree last spring, and I am "
        "learning how people with our background find their place at companies like "
        "{organization}.\n\nWould you have {minutes} minutes in the next few weeks to tell me "
        "how you got where you are and what surprised you most?\n\nThank you,\n{my_name}",
        -70,
    ),
    "referral": _Template(
        DraftKind.REQUEST_EMAIL,
        "Someone suggested I write",
        "{organization}: a question from a biology graduate",
        "Hi {first_name},\n\n{connection} Your work at {organization} is the part of this field "
        "I understand least, and your view from the inside would teach me more than anything I "
        "can read.\n\nCould you spare {minutes} minutes for a call in the next two weeks?\n\n"
        "With thanks,\n{my_name}",
        -52,
    ),
    "thanks": _Template(
        DraftKind.THANKS,
        "Short thank-you",
        "Thank you, {first_name}",
        "Hi {first_name},\n\nThank you for talking with me {met_on}. I wrote down what you told "
        "me about your work at {organization}, and I am already acting on one piece of it.\n\n"
        "May I write again in a few months to tell you where it led?\n\nGratefully,\n{my_name}",
        -45,
    ),
}


@dataclass(frozen=True)
class _Message:
    """A request: filled from one of Maya's templates, or written by hand."""

    template: str = ""
    kind: str = DraftKind.REQUEST_EMAIL
    channel: str = Channel.EMAIL
    subject: str = ""
    body: str = ""


REQUESTS: dict[str, _Message] = {
    "elena": _Message(
        subject="Catching up, and a question about Heliodor",
        body="Hi Elena,\n\nDr. Osei told me you are at Heliodor now: congratulations! You are "
        "the one from our lab who made the jump into industry, and I would love to hear how it "
        "feels from your side of the bench.\n\nCould we catch up for 45 minutes one evening this "
        "week or next?\n\nMaya",
    ),
    "nate": _Message(template="referral"),
    "priya": _Message(
        subject="Dr. Osei's genetics course, a few years apart",
        body="Hi Priya,\n\nWe both took Dr. Osei's genetics course at Riverside State, you a few "
        "years before me; she still shows your poster as the example of a clear figure.\n\nYour "
        "move from pharmacy school into a medical science liaison role is the path I know least "
        "about. Would you have 20 minutes in the next two weeks to tell me what your work looks "
        "like from the inside?\n\nThank you,\nMaya Chen",
    ),
    "dana": _Message(template="alumni"),
    "devon": _Message(template="alumni"),
    "samira": _Message(template="referral"),
    "grace": _Message(template="alumni"),
    "joel": _Message(template="referral"),
    "aisha": _Message(
        subject="From the Riverside State career fair",
        body="Hi Aisha,\n\nWe met at the Riverside State career fair in the fall; you told me to "
        "write any time and to mention the fair, so here I am. You talk with oncologists about "
        "trial data every day, which sounds closer to the science than any sales role I had "
        "imagined.\n\nCould we meet for coffee, 30 to 45 minutes, so you can tell me how you "
        "work with them and how you got there?\n\nMaya Chen",
    ),
    "marcus": _Message(template="referral"),
    "ruben": _Message(
        kind=DraftKind.REQUEST_EMAIL,
        subject="From the biomedical careers night",
        body="Hi Rubén,\n\nWe spoke briefly at the regional biomedical careers night, about "
        "trauma cases and pagers. Your job in the operating room with surgeons is the part of "
        "device sales I understand least, and you made it sound like the best part.\n\nCould "
        "you spare 20 minutes for a phone call in the next two weeks to tell me what your week "
        "looks like?\n\nMaya Chen",
    ),
    "ines": _Message(template="referral"),
    "olivia": _Message(template="alumni"),
    "tomas": _Message(
        subject="Dana Kowalczyk suggested I write",
        body="Hi Tomás,\n\nDana Kowalczyk suggested I write to you; she says you train new reps "
        "better than anyone.\n\nYou hire and coach reps, so you see the job from a side Dana "
        "cannot. I finished biology last spring and I am exploring pharmaceutical sales. Could "
        "we talk for 20 minutes in the next two weeks about what makes a new rep's first year go "
        "well?\n\nThank you,\nMaya",
    ),
    "kenji": _Message(
        kind=DraftKind.REQUEST_LINKEDIN_NOTE,
        channel=Channel.LINKEDIN_NOTE,
        body="Hi Kenji, your post on how Quarry Hill trains new reps stayed with me: two weeks "
        "of pharmacology before anyone sells anything. I studied biology, and I am exploring "
        "pharma sales. Would you have 15 minutes for a call about how your academy is built and "
        "what you look for in a new trainee?",
    ),
    "mei": _Message(
        kind=DraftKind.REQUEST_LINKEDIN_MESSAGE,
        channel=Channel.LINKEDIN_MESSAGE,
        body="Hi Mei-Ling,\n\nYour post about designing infusion pumps with nurses in the room "
        "made product management sound like the bridge between the lab and the bedside, and "
        "your path there is one I would like to understand.\n\nWould you have 20 minutes in the "
        "coming weeks to tell me how you moved into product work?\n\nMaya Chen",
    ),
    "kwame": _Message(
        channel=Channel.OTHER,
        body="Hi Kwame,\n\nYour talk at the first-gen meetup on moving from wet lab to data work "
        "is the reason I signed up for a Python course. You made the move I am wondering about, "
        "from the bench into genomics.\n\nCould you spare 20 minutes in the coming weeks to "
        "tell me how you did it and what you would do differently?\n\nMaya",
    ),
    "fatima": _Message(template="alumni"),
    "bradley": _Message(
        subject="Hospital accounts at Millrace",
        body="Hi Bradley,\n\nI read your interview in the regional hospital pharmacy newsletter "
        "about working with formulary committees. Hospital accounts are the side of "
        "pharmaceutical work I know least about, and you explained it more clearly than "
        "anything else I found.\n\nWould you be open to a call of 20 minutes in the next "
        "few weeks?\n\nMaya Chen",
    ),
    "vikram": _Message(
        subject="Protein work at Graystone",
        body="Hi Vikram,\n\nI saw your poster on expression yields in yeast at last year's "
        "regional protein society meeting. Your results on temperature shifts matched "
        "what we saw in my undergraduate lab, and I am curious how the same work changes inside "
        "a company.\n\nWould you have 20 minutes for a call in the coming weeks?\n\nMaya Chen",
    ),
    "gabriel": _Message(
        kind=DraftKind.REQUEST_LINKEDIN_MESSAGE,
        channel=Channel.LINKEDIN_MESSAGE,
        body="Hi Gabriel,\n\nWe connected on LinkedIn last year, and your comment about selling "
        "imaging systems to radiologists who know more physics than you made me laugh, and "
        "curious about how you learned the technical side.\n\nCould you spare 20 minutes in the "
        "coming weeks to tell me about your work at Tessellate?\n\nMaya",
    ),
}

# Thank-yous (sent when the conversation was marked thanked) and keep-in-touch notes (sent when
# it moved to following up): handle -> (subject, body).
THANKS: dict[str, tuple[str, str]] = {
    "elena": (
        "Thank you!",
        "Hi Elena,\n\nThank you for the catch-up, and for being so open about the start-up "
        "side of the work. I ordered the Python book you mentioned and started on it last night. "
        "Please say hello to Nathaniel for me; I will write to him as you suggested.\n\nMaya",
    ),
    "nate": (
        "Thank you for your time",
        "Dear Nathaniel,\n\nThank you for the half hour today. Your point about writing down "
        "every deviation from the protocol has already changed how I keep my notes. I will write "
        "to Inés as you suggested and mention your name.\n\nWith thanks,\nMaya Chen",
    ),
    "priya": (
        "Thank you, Priya",
        "Hi Priya,\n\nThank you for the twenty minutes today. I had not understood how separate "
        "medical affairs is from sales, and now I do. I will sign up for the MSL information "
        "session you mentioned and write to Marcus about the field side.\n\nThanks again,\nMaya",
    ),
    "dana": (
        "Thanks for calling from the road",
        "Hi Dana,\n\nThank you for calling between offices; I learned more about a rep's week in "
        "thirty minutes than in a month of reading. If the ride-along you mentioned is possible, "
        "I would love to spend a day on the road with you. I will write to Tomás and mention "
        "your name.\n\n"
        "Maya",
    ),
    "devon": (
        "Thank you, and I hope the patient is fine",
        "Hi Devon,\n\nThank you for the coffee, and I hope the patient in the emergency room was "
        "fine. I have started on cardiac physiology with the book you named, and I would still "
        "love to hear the second half of your week whenever it suits you.\n\nBest,\nMaya",
    ),
    "samira": (
        "Thank you, and the article",
        "Hi Samira,\n\nThank you for the conversation this morning, and for the article on "
        "leadless pacemakers, which I read over lunch. The way you described value committees "
        "changed how I think about device sales. If a day in your territory were ever possible, "
        "I would be glad to shadow you.\n\nWarmly,\nMaya",
    ),
}
KEEP_IN_TOUCH_NOTES: dict[str, tuple[str, str]] = {
    "elena": (
        "A webinar for your team",
        "Hi Elena,\n\nI came across a webinar on protein purification at scale and thought of "
        "your team right away; the link is below. The Python course is going well: I plotted "
        "my thesis data again with it, and it finally looks the way I meant it to.\n\nMaya",
    ),
    "nate": (
        "Inés answered, thanks to you",
        "Dear Nathaniel,\n\nA short update: Inés answered within a day and we are talking soon, "
        "thanks to your introduction. I also found the regional meeting poster you asked about; "
        "I will send it as soon as the organizers post the file.\n\nBest,\nMaya",
    ),
}
# Who keeps in touch how often, in months: the rest follow the default.
KEEP_IN_TOUCH: dict[str, int] = {"priya": 1, "elena": 2, "dana": 3, "nate": 6}

# ---------------------------------------------------------------------------------------------
# Interview mode in the conversations held: how many minutes of questions fitted, what was
# noted under the first question of each topic asked, which topics were skipped and why.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Interview:
    minutes: int
    notes: dict[str, str]
    skipped: dict[str, str] = field(default_factory=dict)


INTERVIEWS: dict[str, _Interview] = {
    "elena": _Interview(
        40,
        {
            "career_path": "A year as a lab technician at the university core facility; Heliodor "
            "hired her because she already ran their kind of plate reader.",
            "industry_trends": "Liquid handlers now do the pipetting she did by hand two years "
            "ago. What matters is designing the run and checking the data.",
            "day_to_day": "Assay days start at 7:30 so plates are read before lunch; Thursdays "
            "are analysis and the team meeting.",
            "challenges": "Three months on a binding assay that never worked. Writing down what "
            "she ruled out is what made the time count.",
            "skills": "ELISA and cell culture are expected. Cleaning up plate-reader data in "
            "Python is what set her apart.",
            "referrals": "Her manager, Nathaniel Greer, hires research associates; she will ask "
            "him first and then introduce me.",
        },
        {"hiring_path": "Clinical research is not her side of the company; saving it for Olivia."},
    ),
    "nate": _Interview(
        28,
        {
            "career_path": "PhD in biochemistry, a postdoc, then Heliodor as its fourth "
            "scientist. The start-up years taught him more than the postdoc.",
            "industry_trends": "Models now propose protein variants; his team tests a few hundred "
            "a month instead of a few dozen.",
            "culture": "Scientists pitch experiments at the Monday meeting; a research associate "
            "with a good idea gets to run it.",
            "challenges": "The hardest part: dropping a project he believed in when the data "
            "said no.",
            "skills": "One technique done really well, plus the habit of writing down every "
            "deviation from the protocol.",
            "referrals": "Suggested Inés Carvalho, his former lab mate, now in process "
            "development at Wrenfield.",
        },
        {"resources": "Ran short on time; he said Elena has the best reading list."},
    ),
    "priya": _Interview(
        19,
        {
            "career_path": "PharmD, a fellowship in medical affairs, then MSL. Never worked in "
            "sales, but trains alongside the reps.",
            "industry_trends": "Payers and hospital committees now ask for real-world evidence, "
            "and MSLs are the ones who present it.",
            "day_to_day": "A third of the week reading, a third with physicians, a third writing "
            "up and traveling.",
            "hiring_path": "Without a doctorate the usual route is sales or clinical research "
            "first, then an internal move.",
            "referrals": "Suggested Marcus Oyelaran, a territory manager she worked with, for "
            "the field side.",
        },
        {"challenges": "Twenty minutes went fast; skipped to keep her on time."},
    ),
    "dana": _Interview(
        30,
        {
            "career_path": "Biology degree, a year as a pharmacy technician, then an associate "
            "rep role found through an alumni contact.",
            "pay": "Roughly 70/30 base to bonus; the bonus is paid quarterly and swings with "
            "the district's ranking.",
            "challenges": "Modest lunches only, every claim from the label, every sample signed "
            "for. She says the rules protect reps too.",
            "day_to_day": "About 120 offices. New business is maybe a fifth of her calls; the "
            "rest is keeping the prescribers she has.",
            "hiring_path": "Managers hire for coachability and drive, and a ride-along shows "
            "both. Ask for one.",
            "referrals": "Suggested Tomás Echeverría, her district manager, for how reps are "
            "hired and coached.",
        },
        {"skills": "She offered a ride-along instead, which answers this better."},
    ),
    "devon": _Interview(
        18,
        {
            "career_path": "Biology, then an EKG technician job, then Copperline's clinical "
            "specialist program: six months of training before his first case.",
            "industry_trends": "Remote monitoring means fewer clinic checks and more alerts to "
            "triage from home.",
            "challenges": "Paged mid-answer for a device check in the emergency room; we stopped "
            "here.",
            "referrals": "Suggested Samira Haddad, his territory manager, for the sales side.",
        },
    ),
    "samira": _Interview(
        28,
        {
            "career_path": "Four years as a clinical specialist at Pulsegate, then sales at "
            "Copperline.",
            "industry_trends": "Value committees compare total cost over five years; she now "
            "brings spreadsheets, not just surgeons' opinions.",
            "lifestyle": "Three hospitals within 90 minutes of home; two nights away a month at "
            "most.",
            "day_to_day": "A good day: two cases in the morning, then the cath-lab manager and "
            "purchasing in the afternoon.",
            "pay": "Higher base than pharma, with commission on every implant in her territory.",
            "referrals": "Suggested Joel Mbeki, a quality manager she worked with at Pulsegate.",
        },
        {"rapport": ""},
    ),
    "aisha": _Interview(
        40,
        {
            "career_path": "Four years in primary-care sales at another company before oncology.",
            "industry_trends": "New oncology drugs come with a companion test; reps explain the "
            "test as well as the drug.",
            "day_to_day": "Fewer, longer calls: tumor boards, infusion-center staff, nurse "
            "navigators.",
            "challenges": "Two reorganizations in four years; both times the newest reps lost "
            "their territories first.",
            "pay": "No figures, but specialty pays more and the bonus rides on the launch.",
            "hiring_path": "Specialty teams want primary-care experience first; she knows nobody "
            "hired straight out of school.",
            "referrals": "No name yet; she will ask a former colleague who hires new graduates "
            "into primary care.",
        },
    ),
    "joel": _Interview(
        20,
        {
            "career_path": "Microbiology degree, sterilization validation, then quality.",
            "industry_trends": "A new quality-system rule lines them up with the international "
            "standard: a year of rewriting procedures.",
            "day_to_day": "Complaint files: every returned device gets a root-cause "
            "investigation on a regulatory clock.",
            "skills": "Biology graduates do well in biocompatibility and complaint handling; "
            "technical writing matters more than math.",
            "referrals": "Suggested Hannah Lindqvist on his team, who joined two years ago "
            "straight from school.",
        },
    ),
    "grace": _Interview(
        28,
        {
            "career_path": "Chemistry degree, then contract writing for labeling; moved into "
            "regulatory after two years.",
            "industry_trends": "Rare-disease approvals rest on small trials, so the agency asks "
            "more questions after approval.",
            "culture": "She stays on good terms with clinical operations by warning them early "
            "about what the agency will ask.",
            "day_to_day": "A submission is months of small documents; the last two weeks are "
            "checking cross-references.",
            "skills": "Precise writing and reading a protocol quickly; the degree covers the "
            "science.",
            "hiring_path": "Candidates who bring a writing sample get the second interview.",
            "referrals": "Offered to ask a friend in quality at a device company.",
        },
    ),
}

# Referrals made in a conversation: (whose conversation, whom they suggested). Devon, Samira,
# Joel and Hannah make a chain three referrals deep.
REFERRALS: tuple[tuple[str, str], ...] = (
    ("devon", "samira"),
    ("samira", "joel"),
    ("joel", "hannah"),
    ("elena", "nate"),
    ("nate", "ines"),
    ("dana", "tomas"),
    ("priya", "marcus"),
)


@dataclass(frozen=True)
class _Shadowing:
    stage: str  # "offered": the contact offered it in the conversation
    day: int | None = None  # the day, from today
    notes: str = ""
    since: str = Status.HELD  # the step of the conversation at which it came up
    updated: int | None = None  # when the stage last moved, from today


SHADOWING: dict[str, _Shadowing] = {
    "samira": _Shadowing(Shadowing.Stage.ASKED, since=Status.THANKED),
    "devon": _Shadowing("offered", updated=-5),
    "elena": _Shadowing(Shadowing.Stage.DATED, day=9, updated=-12),
    "dana": _Shadowing(
        Shadowing.Stage.DONE,
        day=-9,
        updated=-9,
        notes="Ride-along, 7:40 am to 4:15 pm: eleven offices, two real conversations with "
        "physicians (four minutes each, standing in a hallway), the rest with front-desk staff "
        "and nurses. Every sample signed for on her tablet.\n\nSurprised me: how much of the "
        "job is scheduling and remembering people. Liked: the pace and deciding my own route. "
        "Worried me: two offices would not see her at all; she shrugged it off, and I am not "
        "sure I could every day.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Fit: the three industries, each dimension rated with why, strengths and weaknesses, every
# line citing learnings ("handle/kind") or notes ("handle: how the note starts").
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    learnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rating: int | None = None


@dataclass(frozen=True)
class _Assessment:
    dimensions: dict[str, _Line]
    strengths: tuple[_Line, ...] = ()
    weaknesses: tuple[_Line, ...] = ()
    open_questions: tuple[tuple[str, bool], ...] = ()  # (question, resolved)
    days: int = -1  # when it was last worked on


FIT: dict[str, _Assessment] = {
    PHARMA: _Assessment(
        {
            LineKind.MOTIVATION: _Line(
                "The ride-along with Dana was the first time I could picture doing a job and "
                "wanting to come back the next day. The independence and the pace pull me in; "
                "the pay is a bonus, not the reason.",
                ("dana/positive",),
                ("dana: Ride-along with Dana", "dana: Dana called in"),
                rating=4,
            ),
            LineKind.SKILLS: _Line(
                "The science is well within a biology degree, and every claim comes from the "
                "label anyway. What I lack is the selling itself: opening a conversation with a "
                "stranger who has four minutes. Learnable, but untried.",
                ("aisha/reality", "dana/advice"),
                rating=3,
            ),
            LineKind.INTERESTS: _Line(
                "Less science than I hoped. Reps repeat approved claims; the real scientific "
                "discussion belongs to MSLs like Priya, and that job needs a doctorate.",
                ("priya/positive", "priya/advice", "aisha/reality"),
                rating=2,
            ),
            LineKind.LIFESTYLE: _Line(
                "Flexible days and a company car, against a district ranked every month. A "
                "regional territory means few nights away; the pressure is what I am unsure of.",
                ("dana/negative", "dana/positive", "priya/negative"),
                rating=3,
            ),
            LineKind.GOALS: _Line(
                "A clear first step, with later paths into training, medical affairs or "
                "regulatory work like Grace's. Specialty sales, the part closest to the science, "
                "wants two years of primary care first.",
                ("aisha/advice", "grace/positive"),
                rating=3,
            ),
        },
        (
            _Line(
                "I like people and I do not tire on a long day on my feet; the ride-along "
                "proved it.",
                notes=("dana: Ride-along with Dana",),
            ),
            _Line(
                "I can read a trial paper, which is what oncology customers want to discuss.",
                ("aisha/reality",),
                ("aisha: Aisha's customers",),
            ),
        ),
        (
            _Line(
                "I have never sold anything, and the closed doors bothered me.",
                ("dana/negative",),
                ("dana: Ride-along with Dana",),
            ),
            _Line(
                "Reorganizations hit the newest reps first.",
                ("aisha/negative",),
            ),
        ),
        (
            ("How is a new rep's first-year quota set, and what happens when it is missed?", False),
            ("Do companies still hire associate reps straight out of school?", False),
            ("Do reps need a science degree, or is it only a plus?", True),
        ),
        -1,
    ),
    DEVICES: _Assessment(
        {
            LineKind.MOTIVATION: _Line(
                "Standing next to a cardiologist while a pacemaker goes in is hospital work with "
                "the science I studied. Devon's description is the one I keep replaying.",
                ("devon/reality", "devon/positive"),
                rating=5,
            ),
            LineKind.SKILLS: _Line(
                "I need cardiac physiology and basic ECG reading before any interview; the "
                "company's own program teaches the devices.",
                ("devon/advice",),
                ("samira: Her territory",),
                rating=3,
            ),
            LineKind.INTERESTS: _Line(
                "Technical, clinical and human at once. Quality work at Pulsegate showed there "
                "are lab-side roles in the same companies too.",
                ("devon/positive", "samira/positive", "joel/positive"),
                rating=5,
            ),
            LineKind.LIFESTYLE: _Line(
                "The weak spot: hospital by 7, a weekend on call each month, a pager at 2 am. "
                "Quality has regular hours, until audit season.",
                ("devon/negative", "joel/negative"),
                ("devon: Devon got paged",),
                rating=2,
            ),
            LineKind.GOALS: _Line(
                "A visible ladder: clinical specialist, then territory manager as Samira did, "
                "or across into quality.",
                ("samira/positive", "joel/reality"),
                rating=4,
            ),
        },
        (
            _Line(
                "Two years of lab protocols and documentation: most of what quality work is.",
                ("joel/reality",),
                ("joel: Joel leads complaint",),
            ),
            _Line(
                "Calm around clinical work; the county health lab put me next to nurses every "
                "week.",
                ("devon/reality",),
            ),
        ),
        (
            _Line("No ECG reading or cardiac physiology yet.", ("devon/advice",)),
            _Line(
                "I value my sleep more than I admitted; on-call weekends are a real cost.",
                ("devon/negative",),
            ),
        ),
        (
            ("How long before a new clinical specialist covers cases alone?", False),
            ("Does the on-call load get lighter after the first years?", False),
            ("Can a biology graduate work in device quality without an engineering degree?", True),
        ),
        -1,
    ),
    BIOTECH: _Assessment(
        {
            LineKind.MOTIVATION: _Line(
                "The bench is where I have been happiest, and Elena's start-up sounds like our "
                "old lab with better equipment.",
                ("elena/positive",),
                ("elena: Ten minutes of catching up",),
                rating=4,
            ),
            LineKind.SKILLS: _Line(
                "I have the techniques and the notebook habits Nathaniel looks for; I still need "
                "one data tool, most likely Python.",
                ("elena/advice",),
                ("nate: Nathaniel hires",),
                rating=4,
            ),
            LineKind.INTERESTS: _Line(
                "An idea reaching an experiment within weeks is exactly what I want.",
                ("elena/positive", "nate/positive"),
                rating=4,
            ),
            LineKind.LIFESTYLE: _Line(
                "Predictable most weeks, but cultures need weekend checks on a rotation.",
                ("nate/reality",),
                rating=3,
            ),
            LineKind.GOALS: _Line(
                "Pay starts well below sales, scientist titles usually want a master's, and one "
                "missed milestone can freeze a start-up's hiring.",
                ("nate/negative", "nate/advice", "elena/negative"),
                rating=2,
            ),
        },
        (
            _Line(
                "Two years in Dr. Osei's lab with a project of my own.",
                notes=("nate: Nathaniel hires", "elena: Elena spent a year"),
            ),
            _Line("I already learned some R for my thesis data.", ("elena/advice",)),
        ),
        (
            _Line(
                "No industry experience, and start-ups want people who can run an assay on day "
                "one.",
                ("elena/reality",),
            ),
            _Line("Years of lower pay before it catches up.", ("nate/negative",)),
        ),
        (
            ("How does process development differ from discovery research day to day?", False),
            ("Is a master's worth it, or does experience move people up as fast?", False),
            ("Do start-ups hire research associates with only a bachelor's degree?", True),
        ),
        -6,
    ),
    # Employers met so far, rated where a conversation said enough.
    "Copperline Medical": _Assessment(
        {
            LineKind.MOTIVATION: _Line(
                "Both people I met there love the work, and the clinical specialists train for "
                "six months before their first case.",
                ("devon/positive", "samira/positive"),
                rating=5,
            ),
            LineKind.LIFESTYLE: _Line(
                "Devon's on-call weekends would be mine too.", ("devon/negative",), rating=2
            ),
            LineKind.GOALS: _Line(
                "Territory managers there often started as clinical specialists: a ladder I "
                "can see.",
                ("samira/positive",),
                rating=4,
            ),
        },
        days=-5,
    ),
    "Bluestem Pharmaceuticals": _Assessment(
        {
            LineKind.INTERESTS: _Line(
                "Priya's team does real science with physicians, but that is medical affairs; "
                "I will know more about the sales side after talking with Marcus.",
                ("priya/positive",),
                rating=3,
            ),
            LineKind.GOALS: _Line(
                "Their MSL path needs a doctorate; with a bachelor's I would start in sales.",
                ("priya/advice",),
                rating=2,
            ),
        },
        days=-20,
    ),
    "Heliodor Bio": _Assessment(
        {
            LineKind.INTERESTS: _Line(
                "Small teams where a research associate's idea is tested within weeks.",
                ("elena/positive", "nate/positive"),
                rating=4,
            ),
            LineKind.LIFESTYLE: _Line(
                "Weekend culture checks on a rotation, otherwise regular days.",
                ("nate/reality",),
                rating=3,
            ),
            LineKind.GOALS: _Line(
                "A missed milestone can freeze hiring; I would want to know their funding "
                "runway first.",
                ("elena/negative",),
                rating=2,
            ),
        },
        open_questions=(
            ("How long is Heliodor's funding runway, and how openly do they discuss it?", False),
        ),
        days=-30,
    ),
}

# ---------------------------------------------------------------------------------------------
# Prep for the conversations coming up: plans from the planner, the research checklist partly
# done, Maya's own research items and notes per target.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prep:
    done: tuple[str, ...]  # research kinds already checked off
    own: tuple[tuple[str, bool], ...] = ()  # (research item, done)
    move_up: str = ""  # a phase whose last question Maya moved up one place


PREP: dict[str, _Prep] = {
    "marcus": _Prep(
        (ResearchItem.Kind.PRODUCTS, ResearchItem.Kind.COMPETITORS, ResearchItem.Kind.CONTACT_PATH),
        (("How Bluestem splits the Southeast into territories", False),),
        move_up="insights",
    ),
    "ruben": _Prep((ResearchItem.Kind.PRODUCTS,)),
    "ines": _Prep((ResearchItem.Kind.CONTACT_PATH,)),
    "olivia": _Prep(
        (ResearchItem.Kind.TRENDS,),
        (("Read the public summary of Lanternfish's phase 2 trial", True),),
    ),
}
TARGET_RESEARCH: dict[str, str] = {
    PHARMA: "Big companies are shrinking primary-care sales forces and growing specialty teams. "
    "Reps see fewer physicians in person; video visits and hospital access rules decide the "
    "week. Entry roles: associate or primary-care rep, often after a year in another job.",
    DEVICES: "Hospitals buy through value committees now. Clinical specialists support "
    "procedures and program devices; many later move into territory management. Quality and "
    "regulatory teams hire biology graduates too.",
    BIOTECH: "Funding has been tight for two years: fewer start-ups hiring, more contract "
    "research organizations. Research associates with a bachelor's are common; scientist "
    "titles usually follow a master's or a few years of experience.",
    "Bluestem Pharmaceuticals": "Respiratory focus: two inhalers on the market, a third in "
    "late-stage trials. New reps train for a full quarter before carrying a quota (Priya). The "
    "Southeast region was split into smaller territories last year.",
    "Arbor Point Orthopedics": "Trauma plates, screws and nails. Associate reps cover cases at "
    "three hospitals under a senior rep. A new ankle-fracture system launched this winter.",
    "Wrenfield Cell Therapies": "Cell therapy for a blood cancer, in phase 2. Process "
    "development turns the lab protocol into something a manufacturing site can repeat. About "
    "200 people.",
    "Lanternfish Biologics": "Runs its own trials for two antibody programs, with in-house "
    "CRAs rather than a contract research organization. Sites in four states.",
}

# ---------------------------------------------------------------------------------------------
# The network: who knows whom ("@Organization" is the first cold contact there, by name), and
# contacts' earlier jobs: (handle, organization, title, started, ended, both from today).
# ---------------------------------------------------------------------------------------------

KNOWS: tuple[tuple[str, str, str, int], ...] = (
    ("elena", "kwame", "Same first-gen mentoring circle at Riverside State", -58),
    ("dana", "liam", "Were in the same new-rep training class", -19),
    ("aisha", "bradley", "Launched an oncology drug together at a previous company", -3),
    ("osei", "jun", "Jun runs the core facility Dr. Osei's lab sends samples to", -62),
    ("devon", "gabriel", "Covered the same two hospitals for years", -14),
    ("olivia", "fatima", "Took the same clinical research training course", -20),
    ("grace", "rosa", "Served on a patient-advocacy panel together", -9),
    ("joel", "owen", "Owen's team supplies the assays Pulsegate's test lab uses", -1),
    ("nate", "vikram", "Postdocs in the same building", -35),
    ("kwame", "@Sorrel Peak Therapeutics", "His mentee in the first-gen network", -20),
    ("samira", "@Cinderford Instruments", "Former colleague from her clinical specialist days", -8),
)
JOBS: tuple[tuple[str, str, str, int, int], ...] = (
    ("samira", "Pulsegate Devices", "Clinical specialist", -2210, -780),
    ("kenji", "Bluestem Pharmaceuticals", "Sales representative", -2950, -1130),
    ("gabriel", "Tessellate Imaging", "Account executive", -1480, -24),
    ("elena", "", "Lab technician, Riverside State core facility", -1190, -790),
)
STARRED = ("op-010", "in-004", "ad-055")  # bank keys Maya starred early on
HIDDEN = ("op-019",)

# ---------------------------------------------------------------------------------------------
# The build.
# ---------------------------------------------------------------------------------------------


class Stamps:
    """When each row written through a service happened in the story. Services stamp rows with
    the real now; this moves them, one update per table and set of fields, at the end."""

    def __init__(self) -> None:
        self._rows: dict[
            tuple[type[models.Model], tuple[str, ...]], dict[int, dict[str, datetime | None]]
        ] = defaultdict(dict)

    def add(
        self,
        obj: models.Model,
        created: datetime,
        updated: datetime | None = None,
        **moments: datetime | None,
    ) -> None:
        values = {"created_at": created, "updated_at": updated or created, **moments}
        self._rows[(type(obj), tuple(sorted(values)))][obj.pk] = values

    def ids(self, model: type[models.Model]) -> set[int]:
        return {pk for (kind, _), rows in self._rows.items() if kind is model for pk in rows}

    def flush(self) -> None:
        for (model, names), rows in self._rows.items():
            objects = []
            for pk, values in rows.items():
                obj = model(pk=pk)
                for name, value in values.items():
                    setattr(obj, name, value)
                objects.append(obj)
            model._default_manager.bulk_update(objects, list(names))


@dataclass(frozen=True)
class LoopSummary:
    prep_plans: int
    fit_assessments: int
    messages: int


@dataclass
class _Loop:
    user: User
    world: World
    clock: Clock
    stamps: Stamps = field(default_factory=Stamps)
    generated: dict[int, datetime] = field(default_factory=dict)  # plan id -> when
    messages: int = 0

    def __post_init__(self) -> None:
        self.profile = profile_for(self.user)

    def conversation(self, handle: str) -> Conversation:
        return self.world.conversations[handle]

    def stamp(self, handle: str, status: str) -> datetime:
        return self.world.plans[handle].stamps[status]

    def local(self, moment: datetime) -> date:
        return moment.astimezone(self.clock.tz).date()

    def past(self, moment: datetime) -> datetime:
        """Never after now: on the real today, what is planned for later has not happened."""
        return min(moment, self.clock.now - timedelta(minutes=1))


def loop_build(*, user: User, world: World, clock: Clock) -> LoopSummary:
    """Writes the rest of the loop on top of ``world``, in the order it happened."""
    loop = _Loop(user, world, clock)
    _marks(loop)
    templates = _templates(loop)
    _jobs(loop)
    _knows(loop)
    _messages(loop, templates)
    _held(loop)
    _referrals(loop)
    _shadowing(loop)
    assessed = _fit(loop)
    _upcoming(loop, after=assessed)
    _keep_in_touch(loop)
    loop.stamps.flush()
    _prep_rows(loop)
    return LoopSummary(
        prep_plans=len(loop.generated), fit_assessments=len(FIT), messages=loop.messages
    )


def _marks(loop: _Loop) -> None:
    when = loop.clock.evening(-85)
    for question in Question.objects.filter(owner=None, key__in=STARRED + HIDDEN):
        mark = question_mark(
            user=loop.user,
            question=question,
            starred=question.key in STARRED,
            hidden=question.key in HIDDEN,
        )
        loop.stamps.add(mark, when)


def _templates(loop: _Loop) -> dict[str, MessageTemplate]:
    rows = {
        key: MessageTemplate(
            owner=loop.user, kind=item.kind, name=item.name, subject=item.subject, body=item.body
        )
        for key, item in TEMPLATES.items()
    }
    MessageTemplate.objects.bulk_create(rows.values())
    for key, row in rows.items():
        loop.stamps.add(row, loop.clock.evening(TEMPLATES[key].days))
    return rows


def _jobs(loop: _Loop) -> None:
    rows = [
        JobHistory(
            owner=loop.user,
            contact=loop.world.contacts[handle],
            organization=loop.world.organizations[organization] if organization else None,
            title=title,
            started_on=loop.clock.today + timedelta(days=started),
            ended_on=loop.clock.today + timedelta(days=ended),
            source=JobHistory.Source.MANUAL,
        )
        for handle, organization, title, started, ended in JOBS
    ]
    for row in JobHistory.objects.bulk_create(rows):
        loop.stamps.add(row, loop.clock.evening(-40))


def _knows(loop: _Loop) -> None:
    for handle, other, how, days in KNOWS:
        if other.startswith("@"):
            # Someone Maya has no way into yet at that organization: the link makes a path.
            person = (
                Contact.objects.filter(
                    owner=loop.user,
                    organization=loop.world.organizations[other[1:]],
                    how_connected=Contact.Connection.COLD,
                )
                .order_by("last_name", "first_name")
                .first()
            )
            assert person is not None, other
        else:
            person = loop.world.contacts[other]
        link = knows_create(
            owner=loop.user, contact=loop.world.contacts[handle], other=person, how=how
        )
        loop.stamps.add(link, loop.clock.evening(days))


# --- Messages -----------------------------------------------------------------------------------


def _request_text(
    loop: _Loop, handle: str, templates: dict[str, MessageTemplate]
) -> tuple[str, str, str, str]:
    message = REQUESTS[handle]
    if not message.template:
        return message.kind, message.channel, message.subject, message.body
    template = templates[message.template]
    values = drafts.draft_values(conversation=loop.conversation(handle), profile=loop.profile)
    subject, body = drafts.fill(template.subject, values), drafts.fill(template.body, values)
    return template.kind, message.channel, subject, body


def _messages(loop: _Loop, templates: dict[str, MessageTemplate]) -> None:
    """Every message in the order it went out, and what each answer did to the 3B7 routine."""
    events = sorted(
        (at, order, handle, status)
        for order, (handle, plan) in enumerate(loop.world.plans.items())
        for status, at in plan.stamps.items()
    )
    requests: dict[str, Outreach] = {}
    sent: dict[int, datetime] = {}
    replied: dict[int, datetime] = {}

    def log(
        handle: str, kind: str, channel: str, at: datetime, subject: str, body: str
    ) -> Outreach:
        outreach = outreach_log(
            conversation=loop.conversation(handle),
            kind=kind,
            channel=channel,
            sent_on=loop.local(at),
            subject=subject,
            body=body,
        )
        sent[outreach.pk] = at
        loop.messages += 1
        return outreach

    for at, _, handle, status in events:
        conversation = loop.conversation(handle)
        if status == Status.REQUESTED:
            kind, channel, subject, body = _request_text(loop, handle, templates)
            requests[handle] = log(handle, kind, channel, at, subject, body)
        elif status in (Status.SCHEDULED, Status.DECLINED) and handle in requests:
            if status == Status.SCHEDULED:
                # What conversation_transition does on scheduling: the world wrote the status.
                followups_close_3b7(conversation_id=conversation.pk, at=at)
            outreach_reply(outreach=requests[handle], replied_on=loop.local(at))
            replied[requests[handle].pk] = at
        elif status in REPLAYED:
            request = requests[handle]
            nudge = request.followups.get(kind=FollowUp.Kind.NUDGE)
            values = drafts.draft_values(conversation=conversation, profile=loop.profile)
            nudge_at = datetime.combine(nudge.due_on, datetime.min.time(), loop.clock.tz)
            log(
                handle,
                DraftKind.NUDGE,
                request.channel,
                nudge_at + timedelta(hours=8, minutes=20),
                f"Re: {request.subject}",
                drafts.fill(drafts.BUILTIN[DraftKind.NUDGE].body, values),
            )
            # Maya set Graystone aside rather than write to a second contact there: closing
            # the conversation ends its 3B7 routine, as a reply would. (Ticking the follow-up
            # done would count as talking to the person it suggests, which she never did.)
            conversation_transition(conversation=conversation, to=status, at=at)
            followups_close_3b7(conversation_id=conversation.pk, at=at)
            loop.stamps.add(conversation, loop.world.plans[handle].first, at)
        elif status == Status.THANKED and handle in THANKS:
            log(handle, DraftKind.THANKS, Channel.EMAIL, at, *THANKS[handle])
        elif status == Status.FOLLOWING_UP and handle in KEEP_IN_TOUCH_NOTES:
            log(handle, DraftKind.KEEP_IN_TOUCH, Channel.EMAIL, at, *KEEP_IN_TOUCH_NOTES[handle])
    for pk, at in sent.items():
        loop.stamps.add(Outreach(pk=pk), at, replied.get(pk, at))
    for followup in FollowUp.objects.filter(owner=loop.user, source__isnull=False):
        created = sent[followup.source_id]  # type: ignore[index]
        loop.stamps.add(followup, created, followup.done_at or created)


# --- Conversations held: their plans, interview mode, referrals, shadowing -----------------------


def _plan(loop: _Loop, handle: str, generated: datetime) -> PrepPlan:
    """The plan as the prep page's Generate button makes it."""
    plan = prep.prep_plan_generate(conversation=loop.conversation(handle))
    loop.generated[plan.pk] = generated
    loop.stamps.add(plan, generated, generated, generated_at=generated)
    return plan


def _held(loop: _Loop) -> None:
    """Oldest first, so that each plan knows what earlier conversations asked and left."""
    held = sorted(
        (handle for handle in INTERVIEWS if Status.HELD in loop.world.plans[handle].stamps),
        key=lambda handle: loop.stamp(handle, Status.HELD),
    )
    for handle in held:
        generated = loop.stamp(handle, Status.SCHEDULED) + timedelta(minutes=30)
        _interview(loop, handle, _plan(loop, handle, generated))


def _interview(loop: _Loop, handle: str, plan: PrepPlan) -> None:
    """Questions in plan order until the minutes ran out, the closing one always; a note under
    the first question asked of each topic that has one.

    The marks go in with one insert: ``question_mark`` and ``question_note_save`` write these
    same two fields one tap at a time (a note marks its question asked), and calling them
    for every question cost about 500 queries."""
    spec = INTERVIEWS[handle]
    conversation = loop.conversation(handle)
    assert conversation.starts_at is not None
    begun = conversation.starts_at + timedelta(minutes=1)
    session = interview.interview_start(conversation=conversation, at=begun)
    notes, skipped = dict(spec.notes), dict(spec.skipped)
    items = list(plan.items.select_related("question"))
    marks = []
    used = 0
    for index, item in enumerate(items):
        question = item.question
        if question.topic in skipped:
            state, note = QuestionNote.State.SKIPPED, skipped.pop(question.topic)
        elif used + question.minutes <= spec.minutes or index == len(items) - 1:
            used += question.minutes
            state, note = QuestionNote.State.ASKED, notes.pop(question.topic, "")
        else:
            used = spec.minutes  # the clock ran out: straight to the closing question
            continue
        marks.append(
            QuestionNote(
                owner=loop.user,
                conversation=conversation,
                question=question,
                state=state,
                note=note,
            )
        )
    QuestionNote.objects.bulk_create(marks)
    interview.interview_end(conversation=conversation, at=loop.stamp(handle, Status.HELD))
    loop.stamps.add(session, begun, loop.stamp(handle, Status.HELD))


def _referrals(loop: _Loop) -> None:
    """Recorded in the conversation, each with the follow-up interview mode writes
    (``referral_add``, whose new contact is already in the world here)."""
    referrals, followups, moments = [], [], []
    for referrer, handle in REFERRALS:
        conversation = loop.conversation(referrer)
        contact = loop.world.contacts[handle]
        held = loop.stamp(referrer, Status.HELD)
        reached = loop.world.plans[handle].stamps.get(Status.REQUESTED)
        referrals.append(Referral(owner=loop.user, conversation=conversation, contact=contact))
        followups.append(
            FollowUp(
                owner=loop.user,
                contact=contact,
                conversation=conversation,
                due_on=loop.local(held) + timedelta(days=REFERRAL_REACH_OUT_DAYS),
                what=f"Reach out to {contact.full_name} "
                f"(suggested by {conversation.contact.full_name})",
                done_at=reached,
            )
        )
        moments.append((held - timedelta(minutes=2), reached))
    Referral.objects.bulk_create(referrals)
    FollowUp.objects.bulk_create(followups)
    for referral, followup, (at, reached) in zip(referrals, followups, moments, strict=True):
        loop.stamps.add(referral, at)
        loop.stamps.add(followup, at, reached)


def _shadowing(loop: _Loop) -> None:
    for handle, spec in SHADOWING.items():
        conversation = loop.conversation(handle)
        since = loop.past(loop.stamp(handle, spec.since) + timedelta(minutes=15))
        if spec.stage == "offered":
            row = interview.shadowing_offered(conversation=conversation)
        else:
            day = None
            if spec.day is not None:
                day = roll_to_weekday(
                    loop.clock.today + timedelta(days=spec.day), forward=spec.day > 0
                )
            row = interview.shadowing_save(
                shadowing=Shadowing(
                    owner=loop.user,
                    contact=conversation.contact,
                    conversation=conversation,
                    stage=spec.stage,
                    on_date=day,
                    notes=spec.notes,
                )
            )
        updated = loop.clock.evening(spec.updated) if spec.updated is not None else since
        loop.stamps.add(row, since, max(since, updated))


# --- Fit ----------------------------------------------------------------------------------------


class _Evidence:
    """The learnings and notes a fit line can cite, by the handles the data uses."""

    def __init__(self, world: World) -> None:
        handle_of = {c.pk: handle for handle, c in world.conversations.items()}
        handle_of_contact = {c.pk: handle for handle, c in world.contacts.items()}
        self.learnings: dict[str, Learning] = {
            f"{handle_of[item.conversation_id]}/{Learning.Kind(item.kind).name.lower()}": item
            for item in world.learnings
        }
        self.notes: list[tuple[str, Note]] = [
            (
                handle_of[note.conversation_id]
                if note.conversation_id
                else handle_of_contact[note.contact_id],  # type: ignore[index]
                note,
            )
            for note in world.notes
        ]
        self.learning_rows: list[Any] = []  # rows of the generated through tables
        self.note_rows: list[Any] = []

    def note(self, reference: str) -> Note:
        handle, start = reference.split(": ", 1)
        found = [n for h, n in self.notes if h == handle and n.text.startswith(start)]
        assert len(found) == 1, reference
        return found[0]

    def cite(self, row: FitLine, line: _Line, allowed: tuple[set[int], set[int]]) -> None:
        """What ``fit_line_cite`` does, checked once per target rather than once per line
        (its evidence query was a third of the build); and loudly: the service leaves out
        evidence it does not allow, here that is a mistake in the data."""
        learnings = [self.learnings[key].pk for key in line.learnings]
        notes = [self.note(reference).pk for reference in line.notes]
        assert set(learnings) <= allowed[0] and set(notes) <= allowed[1], line.text
        self.learning_rows += [
            FitLine.learnings.through(fitline_id=row.pk, learning_id=pk) for pk in learnings
        ]
        self.note_rows += [FitLine.notes.through(fitline_id=row.pk, note_id=pk) for pk in notes]

    def save(self) -> None:
        FitLine.learnings.through.objects.bulk_create(self.learning_rows)
        FitLine.notes.through.objects.bulk_create(self.note_rows)


def _fit(loop: _Loop) -> datetime:
    """The three industries assessed; returns when the last of them was worked on."""
    evidence = _Evidence(loop.world)
    latest = loop.clock.at(-100, 0)
    for name, assessment in FIT.items():
        target = loop.world.targets[name]
        learnings, notes = fit_selectors.evidence_candidates(target=target)
        allowed = ({item.pk for item in learnings}, {note.pk for note in notes})
        when = loop.past(loop.clock.evening(assessment.days))
        latest = max(latest, when)
        rows: list[FitLine] = []
        for kind, line in assessment.dimensions.items():
            row = fit.fit_dimension_save(
                owner=loop.user, target=target, kind=kind, rating=line.rating, text=line.text
            )
            evidence.cite(row, line, allowed)
            rows.append(row)
        for kind, lines in (
            (LineKind.STRENGTH, assessment.strengths),
            (LineKind.WEAKNESS, assessment.weaknesses),
        ):
            for line in lines:
                row = fit.fit_line_add(owner=loop.user, target=target, kind=kind, text=line.text)
                evidence.cite(row, line, allowed)
                rows.append(row)
        for index, row in enumerate(rows):
            loop.stamps.add(row, when - timedelta(minutes=2 * (len(rows) - index)))
        for text, resolved in assessment.open_questions:
            question = fit.open_question_add(owner=loop.user, target=target, text=text)
            if resolved:
                question = fit.open_question_toggle(open_question=question)
            loop.stamps.add(question, when)
            loop.stamps.add(question.question, when)
    evidence.save()
    return latest


# --- Coming up: plans, research, notes per target -----------------------------------------------


def _upcoming(loop: _Loop, *, after: datetime) -> None:
    """Plans made after the fit pages were last updated, so that their open questions come in."""
    for handle, spec in PREP.items():
        conversation = loop.conversation(handle)
        scheduled = loop.stamp(handle, Status.SCHEDULED)
        generated = loop.past(max(scheduled + timedelta(minutes=30), after + timedelta(minutes=15)))
        plan = _plan(loop, handle, generated)
        worked = loop.past(generated + timedelta(minutes=40))
        for item in conversation.research_items.all():
            if item.kind in spec.done:
                prep.research_item_toggle(item=item)
                loop.stamps.add(item, generated, worked)
        for text, done in spec.own:
            item = prep.research_item_add(conversation=conversation, text=text)
            if done:
                prep.research_item_toggle(item=item)
            loop.stamps.add(item, worked)
        if spec.move_up:
            phase = plan.items.filter(question__phase=spec.move_up).select_related("question")
            prep.prep_item_move(item=list(phase)[-1], offset=-1)
            loop.stamps.add(plan, generated, worked, generated_at=generated)
    for name, notes in TARGET_RESEARCH.items():
        research = prep.target_research_save(
            owner=loop.user, target=loop.world.targets[name], notes=notes
        )
        loop.stamps.add(research, loop.past(after + timedelta(minutes=5)))


def _keep_in_touch(loop: _Loop) -> None:
    for handle, months in KEEP_IN_TOUCH.items():
        row = keep_in_touch_set(
            owner=loop.user, contact=loop.world.contacts[handle], every_months=months
        )
        loop.stamps.add(row, loop.stamp(handle, Status.THANKED) + timedelta(minutes=5))


def _prep_rows(loop: _Loop) -> None:
    """Plan items and research the planner wrote date from their plan, and the questions
    marked in interview mode from the end of the conversation (one update each, in the
    database); rows stamped on their own (research checked off or added) keep theirs."""
    ended = InterviewSession.objects.filter(conversation_id=OuterRef("conversation_id")).values(
        "ended_at"
    )[:1]
    QuestionNote.objects.filter(owner=loop.user).update(
        created_at=Subquery(ended), updated_at=Subquery(ended)
    )
    generated = PrepPlan.objects.filter(pk=OuterRef("plan_id")).values("generated_at")[:1]
    PrepItem.objects.filter(owner=loop.user).update(
        created_at=Subquery(generated), updated_at=Subquery(generated)
    )
    generated = PrepPlan.objects.filter(conversation_id=OuterRef("conversation_id")).values(
        "generated_at"
    )[:1]
    ResearchItem.objects.filter(owner=loop.user).exclude(
        pk__in=loop.stamps.ids(ResearchItem)
    ).update(created_at=Subquery(generated), updated_at=Subquery(generated))
