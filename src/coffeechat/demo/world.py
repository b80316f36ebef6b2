"""The demo's world: Maya's employers and targets, the people she knows, her conversations
and what she wrote down about them.

Rows go in with ``bulk_create``, a few queries per table whatever their number.
"""

from __future__ import annotations

import random
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import models

from coffeechat.contacts.models import Contact, Tag
from coffeechat.conversations.models import Conversation, Learning, Status
from coffeechat.demo.clock import Clock, roll_to_weekday
from coffeechat.followups.models import FollowUp
from coffeechat.notes.models import Note
from coffeechat.organizations.models import Organization, organization_key
from coffeechat.targets.models import Target

UNIVERSITY = "Riverside State University"
PHARMA, DEVICES, BIOTECH = "Pharmaceuticals", "Medical devices", "Biotechnology"
SALES_REP, CRA = "Pharmaceutical sales representative", "Clinical research associate"

Connection = Contact.Connection
Medium = Conversation.Medium


# ---------------------------------------------------------------------------------------------
# Employers and targets. LAMP: advocacy (alumni or affinity contact there), motivation 0-3,
# posting 1-3. Advocacy matches the contacts below: only these employers get alumni.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Employer:
    name: str
    industry: str
    advocacy: bool
    motivation: int
    posting: int
    status: str
    why: str


_A, _P, _D = Target.Status.ACTIVE, Target.Status.PARKED, Target.Status.DONE

EMPLOYERS: tuple[_Employer, ...] = (
    # Pharmaceuticals
    _Employer(
        "Bluestem Pharmaceuticals",
        PHARMA,
        True,
        3,
        3,
        _A,
        "Their respiratory portfolio is growing and Priya says new reps get a full quarter "
        "of field training before they carry a quota.",
    ),
    _Employer(
        "Corvane Pharma",
        PHARMA,
        True,
        3,
        2,
        _A,
        "Mid-sized, so a new rep still works alongside the medical team: the mix of "
        "science and people I am looking for.",
    ),
    _Employer(
        "Halvorsen Therapeutics",
        PHARMA,
        False,
        2,
        3,
        _A,
        "Oncology reps sell to specialists who want trial data, not lunches; I want to "
        "know whether a biology degree is enough to keep up.",
    ),
    _Employer(
        "Ostrava Laboratories",
        PHARMA,
        False,
        1,
        2,
        _A,
        "A generics maker with a large plant two hours from home; I suspect their sales "
        "roles are more about price than science.",
    ),
    _Employer(
        "Tillbrook Health Sciences",
        PHARMA,
        False,
        2,
        2,
        _A,
        "Primary-care products and a training program for new graduates, posted twice this year.",
    ),
    _Employer(
        "Quarry Hill Pharmaceuticals",
        PHARMA,
        False,
        2,
        3,
        _A,
        "Known for its rep training academy; I want to hear how much of it is science and "
        "how much is selling technique.",
    ),
    _Employer(
        "Marisol Therapeutics",
        PHARMA,
        True,
        2,
        1,
        _A,
        "Rare diseases, where patients and families are part of the work; regulatory and "
        "patient-services roles may suit me better than classic sales.",
    ),
    _Employer(
        "Pennock & Reyes Pharma",
        PHARMA,
        False,
        1,
        1,
        _P,
        "A small dermatology company with interesting products, but it hires only "
        "experienced reps for now.",
    ),
    _Employer(
        "Larchmont Specialty Pharma",
        PHARMA,
        False,
        1,
        2,
        _A,
        "The specialty pharmacy side of the business, where insurance coverage matters as "
        "much as the molecule.",
    ),
    _Employer(
        "Millrace Pharmaceuticals",
        PHARMA,
        False,
        1,
        1,
        _D,
        "Hospital injectables sold to purchasing committees; I have learned what I needed: "
        "it is a second job, not a first one.",
    ),
    _Employer(
        "Amberly Rx",
        PHARMA,
        False,
        0,
        1,
        _P,
        "Mostly consumer health and mail order; on the list for completeness rather than "
        "excitement.",
    ),
    _Employer(
        "Kestrel Bay Pharmaceuticals",
        PHARMA,
        False,
        2,
        2,
        _A,
        "Rosa's company: vaccines and women's health, with territories in the Northeast, "
        "where I would like to stay.",
    ),
    _Employer(
        "Alcove Biopharma",
        PHARMA,
        True,
        2,
        2,
        _A,
        "Two Riverside State graduates on the commercial team, and a habit of promoting "
        "reps into marketing.",
    ),
    _Employer(
        "Driftwood Pharmaceuticals",
        PHARMA,
        False,
        1,
        3,
        _A,
        "Many open territory roles, which is either good news or a sign of high turnover; "
        "worth asking about.",
    ),
    _Employer(
        "Verity Lane Therapeutics",
        PHARMA,
        False,
        2,
        1,
        _A,
        "Neurology launches planned for next year could mean a hiring wave, and I would "
        "rather understand the field before it starts.",
    ),
    # Medical devices
    _Employer(
        "Copperline Medical",
        DEVICES,
        True,
        3,
        3,
        _A,
        "Clinical specialists stand in the procedure room for every pacemaker implant; "
        "Devon made it sound like the best of lab and field.",
    ),
    _Employer(
        "Lowfield Surgical",
        DEVICES,
        False,
        1,
        2,
        _A,
        "Staplers and energy tools for surgeons; a solid associate rep program, though "
        "cases start at 7 am.",
    ),
    _Employer(
        "Pulsegate Devices",
        DEVICES,
        False,
        2,
        2,
        _A,
        "Wearable heart monitors, and a quality team that hires biology graduates: a side "
        "of devices I did not know existed.",
    ),
    _Employer(
        "Arbor Point Orthopedics",
        DEVICES,
        True,
        2,
        3,
        _A,
        "Trauma reps are on call for the operating room; I want to find out whether that "
        "is thrilling or exhausting.",
    ),
    _Employer(
        "Keelson Medical Systems",
        DEVICES,
        False,
        2,
        2,
        _A,
        "Infusion pumps and hospital software, where product managers turn nurses' "
        "complaints into design changes.",
    ),
    _Employer(
        "Glasswing Diagnostics",
        DEVICES,
        False,
        1,
        2,
        _A,
        "Their field application scientists teach hospital labs to run new assays, which "
        "would use everything I did at the bench.",
    ),
    _Employer(
        "Foxglove Cardiac Devices",
        DEVICES,
        False,
        2,
        1,
        _A,
        "A small heart-valve start-up with no postings yet, but a clinical team that keeps "
        "growing.",
    ),
    _Employer(
        "Tessellate Imaging",
        DEVICES,
        False,
        1,
        1,
        _P,
        "Scanners sold in multi-year deals; the sales cycle sounds too long for someone "
        "starting out.",
    ),
    _Employer(
        "Cinderford Instruments",
        DEVICES,
        False,
        0,
        2,
        _P,
        "A surgical instrument distributor that pays well by reputation, but the work is "
        "mostly logistics.",
    ),
    _Employer(
        "Redfern Vascular",
        DEVICES,
        True,
        3,
        2,
        _A,
        "Catheters plus their own clinical trials, so I could compare research and device "
        "sales under one roof.",
    ),
    _Employer(
        "Oakhaven Endoscopy",
        DEVICES,
        False,
        1,
        1,
        _A,
        "Endoscopes and their cleaning systems: a regulation-heavy product that might suit "
        "my patience for paperwork.",
    ),
    _Employer(
        "Lumen Trail Medical",
        DEVICES,
        True,
        2,
        2,
        _A,
        "Diabetes devices with patient-trainer roles for people who like teaching; an "
        "alumna from my year works there.",
    ),
    _Employer(
        "Saltmarsh Spine & Joint",
        DEVICES,
        False,
        1,
        3,
        _A,
        "Spine implants; the postings want an associate rep willing to relocate, which I might be.",
    ),
    # Biotechnology
    _Employer(
        "Heliodor Bio",
        BIOTECH,
        True,
        3,
        2,
        _A,
        "A protein-engineering start-up that hired two people from my old lab: the closest "
        "thing to the research I loved.",
    ),
    _Employer(
        "Fennwick Genomics",
        BIOTECH,
        True,
        2,
        2,
        _A,
        "Sequencing for hospitals; data-heavy, and Kwame says they teach biologists to "
        "code on the job.",
    ),
    _Employer(
        "Cobalt Reef Biosciences",
        BIOTECH,
        False,
        1,
        1,
        _A,
        "Compounds from marine organisms: fascinating science, a very small team, no openings.",
    ),
    _Employer(
        "Wrenfield Cell Therapies",
        BIOTECH,
        False,
        3,
        2,
        _A,
        "Cell therapy manufacturing is where research meets patients, and process "
        "development hires people with bench experience like mine.",
    ),
    _Employer(
        "Lanternfish Biologics",
        BIOTECH,
        True,
        2,
        3,
        _A,
        "Runs its own trials and hires clinical research associates, a path that keeps "
        "science and people in one job.",
    ),
    _Employer(
        "Graystone Protein Works",
        BIOTECH,
        False,
        1,
        2,
        _D,
        "A contract lab with rotating shifts; the postings and reviews told me enough, the "
        "schedule would not fit.",
    ),
    _Employer(
        "Mossgiel Biotech",
        BIOTECH,
        False,
        0,
        1,
        _P,
        "Crop biotechnology: interesting, but far from human health, which is what I want "
        "to work on.",
    ),
    _Employer(
        "Thistledown Bio",
        BIOTECH,
        False,
        2,
        2,
        _A,
        "Lab manager roles there mix science with budgets and people, a combination I "
        "have not tried yet.",
    ),
    _Employer(
        "Quillon Biosciences",
        BIOTECH,
        False,
        1,
        2,
        _A,
        "Antibody reagents sold to university labs; their technical sales reps are all "
        "former bench scientists.",
    ),
    _Employer(
        "Tern Island Labs",
        BIOTECH,
        False,
        1,
        1,
        _A,
        "Preclinical studies for other companies; I want to learn how contract research "
        "feels from the inside.",
    ),
    _Employer(
        "Ravelston Antibody Sciences",
        BIOTECH,
        False,
        2,
        3,
        _A,
        "Posts research associate roles every quarter and publishes its work, a sign it "
        "values scientists early in their careers.",
    ),
    _Employer(
        "Sorrel Peak Therapeutics",
        BIOTECH,
        False,
        2,
        1,
        _A,
        "Gene therapy for rare eye diseases; a long shot, but the mission is why I studied "
        "biology.",
    ),
)

# (kind, name, advocacy, motivation, posting, why)
BROAD_TARGETS: tuple[tuple[str, str, bool, int, int, str], ...] = (
    (
        Target.Kind.INDUSTRY,
        PHARMA,
        True,
        3,
        3,
        "Pharmaceutical sales is the job everyone suggests for a biology graduate who likes "
        "people; I want to know what the days are really like before I believe it.",
    ),
    (
        Target.Kind.INDUSTRY,
        DEVICES,
        True,
        3,
        2,
        "Device roles put you in hospitals next to clinicians, often training staff on the "
        "equipment, which feels closer to hands-on science than drug sales.",
    ),
    (
        Target.Kind.INDUSTRY,
        BIOTECH,
        True,
        2,
        2,
        "My two years in Dr. Osei's lab were the best part of college; is industry research like "
        "that, and can I grow there with a bachelor's degree?",
    ),
    (
        Target.Kind.ROLE,
        SALES_REP,
        True,
        3,
        3,
        "The usual way in for science graduates: good pay and independence, but I do not know "
        "how I would handle a quota.",
    ),
    (
        Target.Kind.ROLE,
        CRA,
        True,
        2,
        3,
        "Trial science, regulations and travel to hospital sites: a way to use my degree without "
        "staying at the bench.",
    ),
)

TAGS = (
    "sales",
    "medical affairs",
    "clinical research",
    "lab",
    "quality & regulatory",
    "managers",
    "met in person",
    "keep warm",
)

# Words dropped from an employer's name to make its fictional e-mail domain.
_DOMAIN_NOISE = {
    "and",
    "pharmaceuticals",
    "pharma",
    "therapeutics",
    "medical",
    "systems",
    "devices",
    "laboratories",
    "labs",
    "biosciences",
    "bio",
    "biotech",
    "health",
    "sciences",
    "rx",
    "biopharma",
    "biologics",
    "instruments",
    "genomics",
    "surgical",
}


def _domain(name: str) -> str:
    """A fictional domain under the reserved .example TLD, so no address can reach anyone."""
    words = organization_key(name).split()
    kept = [word for word in words if word not in _DOMAIN_NOISE] or words
    return "-".join(kept) + ".example"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _email(first: str, last: str, domain: str) -> str:
    local = ".".join(_ascii(part).lower().replace(" ", "") for part in (first, last) if part)
    return f"{local}@{domain}"


# ---------------------------------------------------------------------------------------------
# The people Maya has a story with. Fillers (generated below) make up the rest of the 150.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    handle: str
    first: str
    last: str
    organization: str | None
    title: str
    connection: str
    detail: str = ""
    introduced_by: str | None = None
    tags: tuple[str, ...] = ()
    phone: str = ""


PEOPLE: tuple[_Person, ...] = (
    _Person(
        "osei",
        "Abena",
        "Osei",
        None,
        f"Associate professor of molecular biology, {UNIVERSITY}",
        Connection.COLLEAGUE,
        "My undergraduate research advisor",
        tags=("keep warm",),
        phone="(555) 014-2290",
    ),
    _Person(
        "lydia",
        "Lydia",
        "Chen",
        None,
        "Retired hospital pharmacist",
        Connection.FRIEND,
        "My aunt",
        tags=("keep warm",),
        phone="(555) 018-7731",
    ),
    _Person(
        "beatriz",
        "Beatriz",
        "Soto",
        None,
        "Career advisor, Riverside State Career Center",
        Connection.ALUMNI,
        "Riverside State Career Center",
        tags=("keep warm",),
    ),
    _Person(
        "priya",
        "Priya",
        "Raman",
        "Bluestem Pharmaceuticals",
        "Medical science liaison, respiratory",
        Connection.ALUMNI,
        "Riverside State, Biology '16",
        tags=("medical affairs", "keep warm"),
    ),
    _Person(
        "marcus",
        "Marcus",
        "Oyelaran",
        "Bluestem Pharmaceuticals",
        "Territory manager, Southeast",
        Connection.REFERRAL,
        "Priya's former teammate",
        introduced_by="priya",
        tags=("sales", "managers"),
    ),
    _Person(
        "dana",
        "Dana",
        "Kowalczyk",
        "Corvane Pharma",
        SALES_REP,
        Connection.ALUMNI,
        "Riverside State, Biology '19",
        tags=("sales", "keep warm"),
        phone="(555) 012-4408",
    ),
    _Person(
        "tomas",
        "Tomás",
        "Echeverría",
        "Corvane Pharma",
        "District sales manager",
        Connection.REFERRAL,
        "Dana's district manager",
        introduced_by="dana",
        tags=("sales", "managers"),
    ),
    _Person(
        "aisha",
        "Aisha",
        "Bello",
        "Halvorsen Therapeutics",
        "Oncology sales specialist",
        Connection.EVENT,
        "Riverside State career fair, fall",
        tags=("sales", "met in person"),
    ),
    _Person(
        "kenji",
        "Kenji",
        "Watanabe",
        "Quarry Hill Pharmaceuticals",
        "Regional training manager",
        Connection.ONLINE,
        "Commented on his post about rep training",
        tags=("sales",),
    ),
    _Person(
        "rosa",
        "Rosa",
        "Delgado",
        "Kestrel Bay Pharmaceuticals",
        "Key account manager",
        Connection.REFERRAL,
        "Aunt Lydia's former colleague",
        introduced_by="lydia",
        tags=("sales",),
    ),
    _Person(
        "liam",
        "Liam",
        "Fitzgerald",
        "Tillbrook Health Sciences",
        "Sales representative, primary care",
        Connection.COLD,
        tags=("sales",),
    ),
    _Person(
        "grace",
        "Grace",
        "Nakamura",
        "Marisol Therapeutics",
        "Regulatory affairs specialist",
        Connection.ALUMNI,
        "Riverside State, Chemistry '14",
        tags=("quality & regulatory",),
    ),
    _Person(
        "bradley",
        "Bradley",
        "Ostrowski",
        "Millrace Pharmaceuticals",
        "Hospital account specialist",
        Connection.COLD,
        tags=("sales",),
    ),
    _Person(
        "devon",
        "Devon",
        "Achterberg",
        "Copperline Medical",
        "Clinical specialist, cardiac rhythm management",
        Connection.ALUMNI,
        "Riverside State, Biology '18",
        tags=("met in person", "keep warm"),
    ),
    _Person(
        "samira",
        "Samira",
        "Haddad",
        "Copperline Medical",
        "Territory manager",
        Connection.REFERRAL,
        "Devon's territory manager",
        introduced_by="devon",
        tags=("sales", "managers"),
    ),
    _Person(
        "joel",
        "Joel",
        "Mbeki",
        "Pulsegate Devices",
        "Quality manager",
        Connection.REFERRAL,
        "Worked with Samira at her previous company",
        introduced_by="samira",
        tags=("quality & regulatory", "managers"),
    ),
    _Person(
        "hannah",
        "Hannah",
        "Lindqvist",
        "Pulsegate Devices",
        "Quality engineer",
        Connection.REFERRAL,
        "On Joel's team",
        introduced_by="joel",
        tags=("quality & regulatory",),
    ),
    _Person(
        "ruben",
        "Rubén",
        "Castillo",
        "Arbor Point Orthopedics",
        "Associate sales representative, trauma",
        Connection.EVENT,
        "Regional biomedical careers night",
        tags=("sales", "met in person"),
    ),
    _Person(
        "mei",
        "Mei-Ling",
        "Tran",
        "Keelson Medical Systems",
        "Product manager, infusion",
        Connection.ONLINE,
        "Connected on LinkedIn",
    ),
    _Person(
        "owen",
        "Owen",
        "Pritchard",
        "Glasswing Diagnostics",
        "Field application scientist",
        Connection.COLD,
        tags=("lab",),
    ),
    _Person(
        "fatima",
        "Fatima",
        "Idrissi",
        "Redfern Vascular",
        CRA,
        Connection.ALUMNI,
        "Riverside State, Biology '17",
        tags=("clinical research",),
    ),
    _Person(
        "gabriel",
        "Gabriel",
        "Okafor",
        "Keelson Medical Systems",  # since the week of our call; Tessellate is in his history
        "Account executive",
        Connection.ONLINE,
        "Connected on LinkedIn",
        tags=("sales",),
    ),
    _Person(
        "elena",
        "Elena",
        "Marchetti",
        "Heliodor Bio",
        "Research associate II",
        Connection.ALUMNI,
        "Riverside State, Biology '21, same lab",
        introduced_by="osei",
        tags=("lab", "keep warm"),
    ),
    _Person(
        "nate",
        "Nathaniel",
        "Greer",
        "Heliodor Bio",
        "Senior scientist, protein engineering",
        Connection.REFERRAL,
        "Elena's manager",
        introduced_by="elena",
        tags=("lab", "managers"),
    ),
    _Person(
        "ines",
        "Inés",
        "Carvalho",
        "Wrenfield Cell Therapies",
        "Process development scientist",
        Connection.REFERRAL,
        "Nathaniel's former lab mate",
        introduced_by="nate",
        tags=("lab",),
    ),
    _Person(
        "kwame",
        "Kwame",
        "Asante",
        "Fennwick Genomics",
        "Bioinformatics scientist",
        Connection.AFFINITY,
        "First-generation STEM graduates network",
        tags=("lab",),
    ),
    _Person(
        "olivia",
        "Olivia",
        "Brandt",
        "Lanternfish Biologics",
        CRA,
        Connection.ALUMNI,
        "Riverside State, Biology '20",
        tags=("clinical research",),
    ),
    _Person(
        "jun",
        "Jun",
        "Park",
        "Thistledown Bio",
        "Lab manager",
        Connection.ONLINE,
        "Answered my question in a biotech careers forum",
        tags=("lab", "managers"),
    ),
    _Person(
        "vikram",
        "Vikram",
        "Sethi",
        "Graystone Protein Works",
        "Senior research associate",
        Connection.COLD,
        tags=("lab",),
    ),
)

# Contacts without a conversation whom Maya has still been in touch with: days ago.
_OTHER_INTERACTIONS = {"osei": -11, "lydia": -19, "beatriz": -10, "rosa": -21}

TOTAL_CONTACTS = 150
FILLER_REFERRALS = 11  # with the 9 introductions above: about 20 introduced contacts
INTRODUCERS = (
    "priya",
    "dana",
    "devon",
    "samira",
    "elena",
    "nate",
    "aisha",
    "osei",
    "beatriz",
    "grace",
    "lydia",
)

FIRST_NAMES = (
    "Adaeze",
    "Alejandro",
    "Amara",
    "Anders",
    "Anjali",
    "Ayumi",
    "Bao",
    "Benjamin",
    "Camila",
    "Chidi",
    "Chloe",
    "Dario",
    "Deepa",
    "Diego",
    "Eamon",
    "Ebony",
    "Emeka",
    "Esther",
    "Farah",
    "Gideon",
    "Hana",
    "Hector",
    "Ifeoma",
    "Isabel",
    "Jamal",
    "Jasmine",
    "Joaquín",
    "Kai",
    "Keisha",
    "Lars",
    "Leilani",
    "Lucia",
    "Mateo",
    "Maren",
    "Mohammed",
    "Nadia",
    "Naveen",
    "Nia",
    "Noor",
    "Oren",
    "Paloma",
    "Quentin",
    "Rahul",
    "Rania",
    "Renata",
    "Rhys",
    "Sadie",
    "Sanjay",
    "Sofia",
    "Soo-ah",
    "Tariq",
    "Thandiwe",
    "Tobias",
    "Valentina",
    "Wei",
    "Xavier",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zoe",
    "Carmen",
    "Darnell",
    "Erin",
    "Felix",
    "Helena",
    "Ivan",
    "Aaliyah",
    "Bogdan",
    "Catalina",
    "Dmitri",
    "Elif",
    "Fernando",
    "Gwen",
    "Hamid",
    "Imani",
    "Jonah",
    "Kavya",
    "Lorenzo",
    "Malik",
    "Nicole",
    "Obinna",
    "Priscilla",
    "Ramón",
    "Selin",
    "Trevor",
    "Uma",
    "Vivian",
    "Wyatt",
    "Ximena",
    "Yoshiro",
    "Zeynep",
    "Caleb",
    "Mariam",
)
LAST_NAMES = (
    "Abernathy",
    "Adeyemi",
    "Alvarado",
    "Bergström",
    "Bhattacharya",
    "Calloway",
    "Castellanos",
    "Chowdhury",
    "Dabrowski",
    "Dufresne",
    "Eriksen",
    "Ferreira",
    "Gallagher",
    "Guerrero",
    "Halloran",
    "Hosseini",
    "Ibarra",
    "Iwasaki",
    "Jovanović",
    "Kaplan",
    "Kariuki",
    "Kowalski",
    "Lachance",
    "Lindgren",
    "Mahmoud",
    "Maldonado",
    "McAllister",
    "Mendoza",
    "Nakagawa",
    "Nwosu",
    "O'Donnell",
    "Okonkwo",
    "Pellegrino",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Reyes",
    "Rosenthal",
    "Saito",
    "Santiago",
    "Schreiber",
    "Shapiro",
    "Sorensen",
    "Takahashi",
    "Thibodeaux",
    "Underwood",
    "Valdez",
    "Varga",
    "Whitfield",
    "Yamamoto",
    "Zielinski",
    "Zhou",
    "Haddock",
    "Forsythe",
    "Mwangi",
    "Ocampo",
    "Lindahl",
    "Brennan",
    "Delacroix",
    "Acheampong",
    "Barros",
    "Cho",
    "Dimitriou",
    "Estrada",
    "Fairbanks",
    "Gutierrez",
    "Hirano",
    "Ilunga",
    "Jaramillo",
    "Kerr",
    "Laine",
    "Moreno",
    "Novak",
    "Oduya",
    "Park-Sullivan",
    "Qureshi",
    "Rahimi",
    "Sandoval",
    "Toussaint",
    "Ueda",
    "Vance",
    "Wojcik",
    "Yilmaz",
    "Zamora",
    "Ashworth",
    "Benedetti",
    "Crowley",
    "Dlamini",
    "Everett",
    "Fujimoto",
    "Greenberg",
    "Holloway",
    "Ivanova",
    "Jensen",
    "Kimura",
    "Lozano",
    "Mensah",
    "Nilsson",
    "Osborne",
)
TITLES = {
    PHARMA: (
        SALES_REP,
        SALES_REP,
        "Senior sales representative",
        "Territory manager",
        "District sales manager",
        "Medical science liaison",
        "Key account manager",
        "Market access manager",
        "Regulatory affairs specialist",
        "Pharmacovigilance scientist",
        "Brand marketing associate",
        "Sales trainer",
        "Medical information specialist",
    ),
    DEVICES: (
        "Associate sales representative",
        "Territory manager",
        "Clinical specialist",
        "Quality engineer",
        "Regulatory affairs specialist",
        "Field service engineer",
        "Product manager",
        CRA,
        "R&D engineer",
        "Clinical education specialist",
        "Sales operations analyst",
    ),
    BIOTECH: (
        "Research associate",
        "Senior research associate",
        "R&D scientist",
        "Process development scientist",
        "Quality control analyst",
        CRA,
        "Lab manager",
        "Bioinformatics scientist",
        "Technical sales specialist",
        "Regulatory affairs specialist",
        "Manufacturing associate",
    ),
}
UNATTACHED_TITLES = (
    "Independent life-sciences recruiter",
    "Hospital pharmacist",
    "Nurse practitioner, cardiology",
    "Graduate student, pharmacology",
    "Freelance medical writer",
    "Physician assistant",
    "Postdoctoral researcher, immunology",
    "Pharmacy technician",
    "High school biology teacher",
)
TAG_FOR_TITLE = (
    ("sales", "sales"),
    ("territory", "sales"),
    ("account", "sales"),
    ("medical science", "medical affairs"),
    ("medical information", "medical affairs"),
    ("clinical research", "clinical research"),
    ("research", "lab"),
    ("scientist", "lab"),
    ("lab", "lab"),
    ("quality", "quality & regulatory"),
    ("regulatory", "quality & regulatory"),
    ("manager", "managers"),
)
MAJORS = ("Biology", "Biology", "Biochemistry", "Chemistry", "Public Health", "Kinesiology")
EVENTS = (
    "Riverside State career fair, fall",
    "Regional biomedical careers night",
    "Life-sciences networking breakfast",
    "Women in Science panel at Riverside State",
)
ONLINE_DETAILS = (
    "Connected on LinkedIn",
    "Connected on LinkedIn",
    "Replied to me in a biotech careers forum",
    "LinkedIn, through a Riverside State alumni group",
)
COLLEAGUE_DETAILS = (
    "Campus teaching lab, two semesters together",
    "Summer internship at the county health lab",
)
FRIEND_DETAILS = ("My roommate's sister", "Family friend", "Neighbor from home")
AFFINITY_DETAILS = (
    "First-generation STEM graduates network",
    "Women in Life Sciences, local chapter",
)


# ---------------------------------------------------------------------------------------------
# Conversations: each walks a path of statuses with a time for every step.
# ---------------------------------------------------------------------------------------------

# A step: (status, day offset from today, hour, minute). "held" and "thanked" are derived from
# the start time instead; THIS_WEEK marks the step that must land in the current week.
THIS_WEEK = 999


@dataclass(frozen=True)
class _Talk:
    handle: str
    steps: tuple[tuple[str, int, int, int], ...]
    targets: tuple[str, ...]
    starts: tuple[int, int, int] | None = None  # day offset, hour, minute
    roll_to_weekday: bool = True
    minutes: int = 30
    medium: str = Medium.VIDEO
    place: str = ""  # "" and a video call: a generated meeting link
    thank_after_hours: int = 4
    notes: str = ""


_I, _R, _S = Status.IDEA, Status.REQUESTED, Status.SCHEDULED
_H, _T, _F = Status.HELD, Status.THANKED, Status.FOLLOWING_UP

TALKS: tuple[_Talk, ...] = (
    # Following up: the oldest relationships.
    _Talk(
        "elena",
        (
            (_I, -55, 20, 5),
            (_R, -54, 9, 30),
            (_S, -52, 18, 10),
            (_H, 0, 0, 0),
            (_T, 0, 0, 0),
            (_F, -12, 18, 30),
        ),
        ("Heliodor Bio", BIOTECH),
        starts=(-48, 17, 0),
        minutes=45,
        thank_after_hours=2,
    ),
    _Talk(
        "nate",
        (
            (_I, -44, 21, 0),
            (_R, -42, 8, 45),
            (_S, -40, 13, 20),
            (_H, 0, 0, 0),
            (_T, 0, 0, 0),
            (_F, -6, 9, 40),
        ),
        ("Heliodor Bio", BIOTECH),
        starts=(-35, 15, 0),
    ),
    # Thanked. Priya's was over a month ago: her monthly keep-in-touch note is due.
    _Talk(
        "priya",
        ((_I, -44, 20, 15), (_R, -42, 8, 40), (_S, -39, 12, 5), (_H, 0, 0, 0), (_T, 0, 0, 0)),
        ("Bluestem Pharmaceuticals", PHARMA),
        starts=(-34, 12, 0),
        minutes=20,
    ),
    _Talk(
        "dana",
        ((_I, -30, 21, 10), (_R, -27, 9, 30), (_S, -25, 18, 20), (_H, 0, 0, 0), (_T, 0, 0, 0)),
        ("Corvane Pharma", PHARMA, SALES_REP),
        starts=(-20, 17, 30),
        medium=Medium.PHONE,
        place="Phone: she calls my cell after her last office visit",
        thank_after_hours=3,
    ),
    _Talk(
        "devon",
        ((_I, -24, 19, 0), (_R, -22, 10, 15), (_S, -20, 16, 45), (_H, 0, 0, 0), (_T, 0, 0, 0)),
        ("Copperline Medical", DEVICES),
        starts=(-14, 16, 0),
        medium=Medium.IN_PERSON,
        place="Bean & Bench Café, 212 Mill Street",
    ),
    _Talk(
        "samira",
        ((_I, -13, 20, 30), (_R, -12, 9, 0), (_S, -11, 14, 30), (_H, 0, 0, 0), (_T, 0, 0, 0)),
        ("Copperline Medical", DEVICES),
        starts=(-8, 11, 0),
        thank_after_hours=6,
    ),
    # Held, thank-you still owed: two from yesterday, one overdue.
    _Talk(
        "grace",
        ((_I, -12, 20, 0), (_R, -9, 10, 55), (_S, -9, 11, 50), (_H, 0, 0, 0)),
        ("Marisol Therapeutics", PHARMA),
        starts=(-1, 14, 0),
        roll_to_weekday=False,
        medium=Medium.PHONE,
        place="Phone: I call her office line",
    ),
    _Talk(
        "joel",
        ((_I, -7, 20, 0), (_R, -6, 8, 55), (_S, -5, 15, 20), (_H, 0, 0, 0)),
        ("Pulsegate Devices", DEVICES),
        starts=(-1, 10, 0),
        roll_to_weekday=False,
        minutes=20,
    ),
    _Talk(
        "aisha",
        ((_I, -45, 18, 30), (_R, -16, 9, 0), (_S, -12, 13, 0), (_H, 0, 0, 0)),
        ("Halvorsen Therapeutics", PHARMA, SALES_REP),
        starts=(-3, 12, 30),
        roll_to_weekday=False,
        minutes=45,
        medium=Medium.IN_PERSON,
        place="Lantern Coffee, 15 Orchard Avenue",
    ),
    # Scheduled: one tomorrow (and set up this week), three over the next ten days.
    _Talk(
        "marcus",
        ((_I, -9, 19, 30), (_R, -6, 9, 5), (_S, THIS_WEEK, 0, 0)),
        ("Bluestem Pharmaceuticals", PHARMA, SALES_REP),
        starts=(1, 10, 0),
        roll_to_weekday=False,
        notes="Ask about the first 90 days in a territory and how success is measured.",
    ),
    _Talk(
        "ruben",
        ((_I, -14, 21, 15), (_R, -8, 9, 40), (_S, -5, 17, 10)),
        ("Arbor Point Orthopedics", DEVICES),
        starts=(3, 12, 0),
        minutes=20,
        medium=Medium.PHONE,
        place="Phone: he calls me between cases",
        notes="He has a hard stop for a 1 pm case.",
    ),
    _Talk(
        "ines",
        ((_I, -34, 19, 45), (_R, -4, 10, 0), (_S, -3, 9, 0)),
        ("Wrenfield Cell Therapies", BIOTECH),
        starts=(6, 14, 0),
        notes="Ask how process development differs from discovery research.",
    ),
    _Talk(
        "olivia",
        ((_I, -20, 20, 20), (_R, -11, 8, 50), (_S, -9, 17, 35)),
        ("Lanternfish Biologics", BIOTECH, CRA),
        starts=(8, 16, 30),
        minutes=45,
    ),
    # Requested, waiting for an answer.
    _Talk("tomas", ((_I, -19, 21, 0), (_R, -2, 9, 15)), ("Corvane Pharma", PHARMA)),
    _Talk(
        "kenji", ((_I, -21, 19, 10), (_R, -5, 8, 30)), ("Quarry Hill Pharmaceuticals", SALES_REP)
    ),
    _Talk("mei", ((_I, -10, 20, 40), (_R, -1, 16, 0)), ("Keelson Medical Systems", DEVICES)),
    _Talk("kwame", ((_I, -25, 22, 0), (_R, -10, 11, 0)), ("Fennwick Genomics", BIOTECH)),
    # Ideas.
    _Talk("liam", ((_I, -6, 20, 0),), ("Tillbrook Health Sciences", SALES_REP)),
    _Talk("owen", ((_I, -15, 21, 30),), ("Glasswing Diagnostics", DEVICES)),
    _Talk("jun", ((_I, -3, 19, 50),), ("Thistledown Bio", BIOTECH)),
    _Talk("hannah", ((_I, -1, 10, 45),), ("Pulsegate Devices", DEVICES), minutes=20),
    # Closed.
    _Talk(
        "fatima",
        ((_I, -40, 20, 0), (_R, -24, 9, 0), (Status.DECLINED, -22, 13, 10)),
        ("Redfern Vascular", CRA),
    ),
    _Talk(
        "bradley",
        ((_I, -32, 19, 0), (_R, -18, 9, 30), (Status.DECLINED, -17, 16, 0)),
        ("Millrace Pharmaceuticals", PHARMA),
    ),
    _Talk(
        "vikram",
        ((_I, -34, 20, 10), (_R, -26, 9, 0), (Status.NO_REPLY, -15, 9, 0)),
        ("Graystone Protein Works", BIOTECH),
    ),
    _Talk(
        "gabriel",
        ((_I, -31, 21, 0), (_R, -29, 9, 20), (_S, -27, 14, 0), (Status.CANCELLED, -23, 8, 15)),
        ("Tessellate Imaging", DEVICES),
        starts=(-22, 15, 0),
        roll_to_weekday=False,
    ),
)

# Final statuses written one step early: the loop logs the request (and its nudge) through the
# outreach service first, then moves the conversation on with conversation_transition. A request
# logged on a conversation already marked "no reply" would move it back to "requested".
REPLAYED = (Status.NO_REPLY,)

# Statuses that count as hearing from or speaking with the contact (as in the services).
_INTERACTIONS = (Status.SCHEDULED, Status.HELD, Status.THANKED, Status.FOLLOWING_UP)


@dataclass
class _Plan:
    """A conversation's resolved times."""

    talk: _Talk
    stamps: dict[str, datetime] = field(default_factory=dict)
    starts_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.talk.steps[-1][0]

    @property
    def first(self) -> datetime:
        return min(self.stamps.values())

    @property
    def last(self) -> datetime:
        return max(self.stamps.values())

    def last_interaction(self, tz: zoneinfo.ZoneInfo) -> date | None:
        reached = [self.stamps[s] for s in _INTERACTIONS if s in self.stamps]
        return max(reached).astimezone(tz).date() if reached else None


def _plan(talk: _Talk, clock: Clock) -> _Plan:
    plan = _Plan(talk)
    if talk.starts:
        days, hour, minute = talk.starts
        day = clock.today + timedelta(days=days)
        if talk.roll_to_weekday:
            # Past meetings roll back to the Friday (the schedule step leaves room for it);
            # future ones forward to the Monday.
            day = roll_to_weekday(day, forward=days > 0)
        plan.starts_at = datetime.combine(day, time(hour, minute), clock.tz)
    for status, days, hour, minute in talk.steps:
        if status == Status.HELD:
            assert plan.starts_at is not None
            plan.stamps[status] = plan.starts_at + timedelta(minutes=talk.minutes + 3)
        elif status == Status.THANKED:
            plan.stamps[status] = plan.stamps[Status.HELD] + timedelta(hours=talk.thank_after_hours)
        elif days == THIS_WEEK:
            plan.stamps[status] = clock.this_week()
        else:
            plan.stamps[status] = clock.at(days, hour, minute)
    return plan


# ---------------------------------------------------------------------------------------------
# Notes, learnings and follow-ups, in Maya's words.
# ---------------------------------------------------------------------------------------------

# Conversation notes: (handle, after which step, minutes after it, text).
CONVERSATION_NOTES: tuple[tuple[str, str, int, str], ...] = (
    (
        "priya",
        _R,
        5,
        "Asked for 20 minutes by e-mail and opened with the Riverside State "
        "connection: we both took Dr. Osei's genetics course, years apart.",
    ),
    (
        "priya",
        _H,
        15,
        "She spends about a third of her week reading new trial publications so "
        "she can answer doctors' questions precisely. No selling at all: MSLs are kept apart from "
        "sales on purpose.",
    ),
    (
        "priya",
        _H,
        25,
        "Her honest view: get a year or two of field or clinical experience "
        "first; most MSL postings want a PharmD or PhD anyway.",
    ),
    (
        "dana",
        _H,
        10,
        "Dana called in from her car between two offices, two hours of driving "
        "that day. She sounded genuinely happy about it.",
    ),
    (
        "dana",
        _H,
        30,
        "She keeps a spreadsheet of every office's front-desk staff and their "
        "preferred coffee. Only half joking.",
    ),
    (
        "devon",
        _S,
        3,
        "TIARA plan ready, heavy on trends: remote monitoring is changing his job "
        "and I want to hear how.",
    ),
    (
        "devon",
        _H,
        20,
        "Devon got paged for a device check in the emergency room and left after "
        "25 minutes. He offered to finish another day.",
    ),
    (
        "samira",
        _H,
        15,
        "Her territory: three hospitals and about forty cardiologists. She thinks "
        "former clinical specialists make the best reps because they have seen the procedures.",
    ),
    (
        "samira",
        _T,
        5,
        "Thank-you sent the same evening, with the article on leadless pacemakers she mentioned.",
    ),
    (
        "elena",
        _H,
        10,
        "Ten minutes of catching up like old lab mates, then her week: two days of "
        "assays, a day of data analysis, meetings for the rest.",
    ),
    (
        "elena",
        _F,
        30,
        "Sent her the protein purification webinar I found; she is forwarding it to her team.",
    ),
    (
        "nate",
        _H,
        20,
        "Nathaniel hires research associates himself. What he looks for: careful "
        "notebook habits and asking for help early, not a long list of techniques.",
    ),
    (
        "grace",
        _H,
        10,
        "Grace's job is mostly writing: submissions, labeling changes, answers to "
        "FDA questions. Her words: a biology degree plus good writing is the real qualification.",
    ),
    (
        "joel",
        _H,
        15,
        "Joel leads complaint investigations: every device returned from the field "
        "gets a root-cause analysis. He offered to introduce me to Hannah on his team.",
    ),
    (
        "aisha",
        _H,
        10,
        "Aisha's customers are oncologists and nurse navigators, and every claim "
        "she makes must come straight from the approved label.",
    ),
    (
        "marcus",
        _S,
        10,
        "Confirmed. Prep: Bluestem's last two press releases and the label of "
        "their main inhaler, so I don't ask what a search answers.",
    ),
    (
        "ruben",
        _S,
        5,
        "Read up on Arbor Point's trauma plates and screws before the call. He "
        "mentioned he is often paged into surgery, so keep questions tight.",
    ),
    ("ines", _S, 5, "Nathaniel's introduction worked: Inés answered within a day."),
    (
        "olivia",
        _S,
        5,
        "Only after 4 pm because of site visits. Focus: what happens on a "
        "monitoring visit, and how much of the week is travel.",
    ),
    (
        "fatima",
        Status.DECLINED,
        10,
        "She is launching a trial and has no time until spring. "
        "Very kind about it and said to write again in a few months.",
    ),
    (
        "bradley",
        Status.DECLINED,
        5,
        "A polite no: his company does not allow informational calls with people outside it.",
    ),
    (
        "vikram",
        Status.NO_REPLY,
        5,
        "No answer to the request or to the one follow-up. Moving "
        "on; Graystone is off my list anyway.",
    ),
    (
        "gabriel",
        Status.CANCELLED,
        5,
        "Gabriel changed companies the week of our call and "
        "cancelled. Check in once he has settled.",
    ),
    (
        "kwame",
        _R,
        5,
        "Wrote through the first-gen network's message board rather than LinkedIn; "
        "he is more active there.",
    ),
    ("tomas", _R, 5, "Dana told me to name her in the first line. Did that; 68 words in all."),
    (
        "kenji",
        _R,
        5,
        "LinkedIn invitation note, 287 characters: asked how the training academy "
        "is structured, nothing about openings.",
    ),
    ("hannah", _I, 5, "Joel's suggestion. Thank Joel first, then write to her."),
    (
        "liam",
        _I,
        5,
        "Found him on Tillbrook's new-graduate program page. No connection yet, so "
        "the request needs a specific reason.",
    ),
    (
        "jun",
        _I,
        5,
        "Lab management could bridge bench work and leading people. Research "
        "Thistledown before writing.",
    ),
)

# Contact notes: (handle, day offset, text).
CONTACT_NOTES: tuple[tuple[str, int, str], ...] = (
    (
        "osei",
        -62,
        "Dr. Osei offered to introduce me to anyone from her lab who went into "
        "industry. Elena first.",
    ),
    (
        "lydia",
        -58,
        "Aunt Lydia saw sales reps for 25 years at the hospital pharmacy. Her view: "
        "the good ones knew the data better than the doctors did.",
    ),
    (
        "beatriz",
        -60,
        "Career center advice: one new conversation a week, and always close with "
        "'who else should I talk to?'",
    ),
    (
        "beatriz",
        -10,
        "Told Beatriz how the conversations are going. She suggested comparing the "
        "three industries side by side before deciding anything.",
    ),
    ("rosa", -20, "Aunt Lydia says Rosa is swamped until the quarter closes. Write after that."),
    ("priya", -3, "Signed up for the MSL information session Priya recommended."),
    (
        "devon",
        -5,
        "Devon says a shadow day is possible with the hospital's permission; it needs "
        "a few weeks' notice.",
    ),
    (
        "dana",
        -8,
        "Dana's district plans to add an associate rep this spring. I won't bring it "
        "up; she offered to tell me when it is posted.",
    ),
    (
        "kwame",
        -20,
        "Kwame's talk at the first-gen meetup on moving from wet lab to data was "
        "excellent: a clear list of which coding courses were worth the time.",
    ),
    (
        "elena",
        -45,
        "Elena spent a year as a lab technician before Heliodor. Her path is the one "
        "I am considering.",
    ),
    ("grace", -9, "Grace replied within an hour. She prefers the phone to video."),
    (
        "dana",
        -9,
        "Ride-along with Dana done. I liked the pace and the independence more than I "
        "expected; the offices that would not see her bothered me far more than they bother her.",
    ),
    (
        "aisha",
        -44,
        "Met Aisha at the career fair; she said to write any time and mention the fair.",
    ),
)

# Learnings: handle -> ((kind, text), ...).
_Re, _Po, _Ne, _Ad = (
    Learning.Kind.REALITY,
    Learning.Kind.POSITIVE,
    Learning.Kind.NEGATIVE,
    Learning.Kind.ADVICE,
)
LEARNINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "priya": (
        (_Re, "Priya's region covers four states; she travels about three days a week."),
        (_Po, "The work is scientific discussion with specialists, with no sales quota."),
        (_Ne, "Overnight travel most weeks; she misses a lot of evening plans."),
        (
            _Ad,
            "Most MSL roles ask for a PharmD, PhD or MD; from a bachelor's, the usual path runs "
            "through sales or clinical research first.",
        ),
    ),
    "dana": (
        (
            _Re,
            "About 120 offices in her territory; she visits 7 to 9 a day and logs every call "
            "before dinner.",
        ),
        (
            _Ne,
            "Quota pressure never lets up: the district is ranked monthly and the bottom fifth "
            "gets coaching plans.",
        ),
        (
            _Po,
            "Company car, flexible days, and she sets her own schedule as long as the numbers "
            "hold.",
        ),
        (_Ad, "Do a ride-along with a rep before applying anywhere; recruiters ask about it."),
    ),
    "devon": (
        (
            _Re,
            "Clinical specialists attend pacemaker and defibrillator implants and program the "
            "devices; he is at the hospital by 7 most mornings.",
        ),
        (_Po, "He is part of the care team; physicians ask his opinion during the procedure."),
        (_Ne, "On call one weekend a month, and the pager can go off at 2 am for a device check."),
        (
            _Ad,
            "Learn cardiac physiology and basic ECG reading first; it shows within five "
            "minutes of talking to a hiring manager.",
        ),
    ),
    "samira": (
        (_Re, "Her yearly number is a few million dollars, spread over three hospitals."),
        (
            _Po,
            "Many territory managers started as clinical specialists: a clear path from the "
            "technical side into sales.",
        ),
        (
            _Ne,
            "Hospital value committees now decide purchases, so surgeon relationships matter "
            "less than they used to.",
        ),
    ),
    "grace": (
        (
            _Re,
            "Regulatory affairs is writing and tracking: submissions, labeling changes and FDA "
            "questions, each with a deadline.",
        ),
        (_Po, "Regular hours and almost no travel."),
        (
            _Ad,
            "A regulatory certification helps after a couple of years; at the start, a "
            "writing sample matters more.",
        ),
    ),
    "joel": (
        (
            _Re,
            "Quality engineers investigate returned devices and write root-cause reports; "
            "each complaint runs against a regulatory clock.",
        ),
        (
            _Po,
            "Biology graduates are welcome in complaint handling and biocompatibility testing, "
            "not only engineers.",
        ),
        (_Ne, "Audit season means weeks of long days, and documentation is most of the job."),
    ),
    "aisha": (
        (
            _Re,
            "Oncology reps talk mostly about trial data; every claim must come from the "
            "approved label.",
        ),
        (
            _Ne,
            "Reps hired for a launch can lose their territory if the drug underperforms; she "
            "has lived through two reorganizations in four years.",
        ),
        (_Ad, "Specialty sales usually wants two years of primary-care sales first."),
    ),
    "elena": (
        (
            _Re,
            "At a start-up, research associates run assays about two-thirds of the time; the "
            "rest is data analysis and meetings.",
        ),
        (
            _Po,
            "Her ideas reach experiments within weeks; the team is small enough that everyone "
            "is heard.",
        ),
        (
            _Ne,
            "Funding rounds decide everything: a missed milestone can freeze hiring or end a "
            "project.",
        ),
        (_Ad, "Keep a clean lab notebook and learn one data tool well; Python or R both count."),
    ),
    "nate": (
        (
            _Re,
            "Lab hours follow the experiments: cell cultures don't skip weekends, so the team "
            "rotates weekend checks.",
        ),
        (
            _Po,
            "Start-ups give research associates their own projects sooner than large companies do.",
        ),
        (
            _Ne,
            "Research associate pay starts well below entry-level sales, and the gap closes "
            "slowly.",
        ),
        (
            _Ad,
            "A master's helps for scientist titles, but many research associates move up "
            "without one in three to four years.",
        ),
    ),
}

# Follow-ups: (handle, on the conversation?, due day offset, done day offset or None, what).
FOLLOWUPS: tuple[tuple[str, bool, int, int | None, str], ...] = (
    ("grace", True, 0, None, "Send thank-you to Grace Nakamura"),
    ("joel", True, 0, None, "Send thank-you to Joel Mbeki"),
    ("aisha", True, -2, None, "Send thank-you to Aisha Bello"),
    ("marcus", True, 0, None, "Confirm the time and video link with Marcus Oyelaran"),
    ("ruben", True, 2, None, "Read up on Arbor Point's trauma products before the call with Rubén"),
    ("devon", False, 3, None, "Ask Devon which dates the hospital allows for the shadow day"),
    ("elena", False, 7, None, "Ask Elena what to bring for the lab visit (safety glasses?)"),
    ("priya", False, 5, None, "Tell Priya how the MSL info session went"),
    ("osei", False, 9, None, "Tell Dr. Osei how the conversations with her former students went"),
    ("nate", False, 12, None, "Send Nathaniel the poster from the regional meeting he asked about"),
    ("fatima", False, 75, None, "Write to Fatima again once her trial has launched"),
    (
        "grace",
        False,
        60,
        None,
        "Ask Grace whether the regulatory writing course she mentioned runs again",
    ),
    ("devon", True, -13, -14, "Send thank-you to Devon Achterberg"),
    ("dana", True, -18, -19, "Send Dana the article on specialty pharmacy access she mentioned"),
    ("elena", True, -10, -12, "Tell Elena the purification webinar she recommended was worth it"),
    ("samira", False, -4, -5, "Thank Samira for introducing Joel"),
)


# ---------------------------------------------------------------------------------------------
# The build.
# ---------------------------------------------------------------------------------------------


def _create_dated[M: models.Model](
    model: type[M], rows: Sequence[tuple[M, datetime, datetime]]
) -> list[M]:
    """bulk_create, then give each row believable created/updated times: auto_now fields
    ignore values set before the insert, but bulk_update writes them as given."""
    objects = model._default_manager.bulk_create([obj for obj, _, _ in rows])
    for obj, created, updated in rows:
        obj.created_at = created  # type: ignore[attr-defined]
        obj.updated_at = updated  # type: ignore[attr-defined]
    model._default_manager.bulk_update(objects, ["created_at", "updated_at"])
    return objects


def _build_organizations(user: User, clock: Clock) -> dict[str, Organization]:
    rows = []
    for index, employer in enumerate(EMPLOYERS):
        when = clock.at(-95 + index // 2, 20, 30)
        organization = Organization(
            owner=user,
            name=employer.name,
            key=organization_key(employer.name),  # save() would compute it; bulk_create won't
            industry=employer.industry,
            website=f"https://www.{_domain(employer.name)}",
        )
        rows.append((organization, when, when))
    return {org.name: org for org in _create_dated(Organization, rows)}


def _build_targets(
    user: User, organizations: dict[str, Organization], clock: Clock
) -> dict[str, Target]:
    rows = []
    for index, (kind, name, advocacy, motivation, posting, why) in enumerate(BROAD_TARGETS):
        target = Target(
            owner=user,
            kind=kind,
            name=name,
            advocacy=advocacy,
            motivation=motivation,
            posting=posting,
            why=why,
        )
        when = clock.at(-100 + index, 21, 0)
        rows.append((target, when, when))
    for index, employer in enumerate(EMPLOYERS):
        target = Target(
            owner=user,
            kind=Target.Kind.ORGANIZATION,
            name=employer.name,
            organization=organizations[employer.name],
            advocacy=employer.advocacy,
            motivation=employer.motivation,
            posting=employer.posting,
            why=employer.why,
            status=employer.status,
        )
        created = clock.at(-95 + index // 2, 20, 35)
        # Parked and done targets were revisited after some conversations.
        updated = created if employer.status == _A else clock.at(-16, 19, 0)
        rows.append((target, created, updated))
    return {target.name: target for target in _create_dated(Target, rows)}


def _build_tags(user: User, clock: Clock) -> dict[str, Tag]:
    when = clock.at(-96, 21, 0)  # made up while adding the first contacts
    tags = _create_dated(Tag, [(Tag(owner=user, name=name), when, when) for name in TAGS])
    return {tag.name: tag for tag in tags}


@dataclass
class _ContactRow:
    contact: Contact
    created: datetime
    tags: tuple[str, ...]
    introduced_by: str | None = None  # handle of a key person


def _key_contacts(
    user: User, organizations: dict[str, Organization], plans: dict[str, _Plan], clock: Clock
) -> dict[str, _ContactRow]:
    rows: dict[str, _ContactRow] = {}
    for index, person in enumerate(PEOPLE):
        organization = organizations[person.organization] if person.organization else None
        domain = _domain(person.organization) if person.organization else "mail.example"
        plan = plans.get(person.handle)
        last = plan.last_interaction(clock.tz) if plan else None
        if person.handle in _OTHER_INTERACTIONS:
            last = clock.today + timedelta(days=_OTHER_INTERACTIONS[person.handle])
        # Added just before the conversation idea, or early on for people with none.
        created = plan.first - timedelta(minutes=10) if plan else clock.at(-80 + index, 19, 0)
        contact = Contact(
            owner=user,
            first_name=person.first,
            last_name=person.last,
            organization=organization,
            title=person.title,
            email=_email(person.first, person.last, domain),
            phone=person.phone,
            how_connected=person.connection,
            connection_detail=person.detail,
            last_interaction=last,
        )
        rows[person.handle] = _ContactRow(contact, created, person.tags, person.introduced_by)
    return rows


def _filler_connection(rng: random.Random, employer: _Employer | None) -> tuple[str, str]:
    """How Maya knows someone she has not talked to yet; alumni and affinity contacts only at
    employers marked with advocacy (or outside any employer), so LAMP stays truthful."""
    may_advocate = employer is None or employer.advocacy
    roll = rng.random()
    if may_advocate and roll < 0.45:
        major, year = rng.choice(MAJORS), rng.randint(8, 23)
        return Connection.ALUMNI, f"Riverside State, {major} '{year:02d}"
    if may_advocate and roll < 0.55:
        return Connection.AFFINITY, rng.choice(AFFINITY_DETAILS)
    roll = rng.random()
    if roll < 0.40:
        return Connection.ONLINE, rng.choice(ONLINE_DETAILS)
    if roll < 0.55:
        return Connection.EVENT, rng.choice(EVENTS)
    if roll < 0.60:
        return Connection.COLLEAGUE, rng.choice(COLLEAGUE_DETAILS)
    if roll < 0.65:
        return Connection.FRIEND, rng.choice(FRIEND_DETAILS)
    return Connection.COLD, ""


def _filler_employers(rng: random.Random, count: int) -> list[_Employer | None]:
    """Who works where: an alumni-capable contact at every advocacy employer first, then
    more people at the employers Maya cares about most, and some outside any employer."""
    advocacy = [employer for employer in EMPLOYERS if employer.advocacy]
    weights = [1 + employer.motivation for employer in EMPLOYERS]
    rest = count - len(advocacy) - len(UNATTACHED_TITLES)
    chosen: list[_Employer | None] = list(rng.choices(EMPLOYERS, weights=weights, k=rest))
    chosen += [None] * len(UNATTACHED_TITLES)
    rng.shuffle(chosen)
    return advocacy + chosen


def _filler_names(
    rng: random.Random, count: int, taken: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Names drawn from shuffled decks rather than independently, so that no surname turns up
    five times in one small network."""
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    names: list[tuple[str, str]] = []
    index = 0
    while len(names) < count:
        first, last = firsts[index % len(firsts)], lasts[index % len(lasts)]
        index += 1
        if (first, last) not in taken:
            taken.add((first, last))
            names.append((first, last))
    return names


def _filler_contacts(
    user: User, organizations: dict[str, Organization], rng: random.Random, clock: Clock
) -> list[_ContactRow]:
    count = TOTAL_CONTACTS - len(PEOPLE)
    unattached = list(UNATTACHED_TITLES)
    advocates = sum(employer.advocacy for employer in EMPLOYERS)
    rows = []
    names = _filler_names(rng, count, taken={(person.first, person.last) for person in PEOPLE})
    for index, employer in enumerate(_filler_employers(rng, count)):
        first, last = names[index]
        if employer is None:
            title, domain, organization = unattached.pop(), "mail.example", None
        else:
            title = rng.choice(TITLES[employer.industry])
            domain, organization = _domain(employer.name), organizations[employer.name]
        connection, detail = _filler_connection(rng, employer)
        if index < advocates:
            # Advocacy means an alumni contact there: the first fillers guarantee one each.
            connection = Connection.ALUMNI
            detail = f"Riverside State, {rng.choice(MAJORS)} '{rng.randint(8, 23):02d}"
        last_interaction = None
        if connection == Connection.EVENT:
            last_interaction = clock.today - timedelta(days=rng.randint(30, 90))
        contact = Contact(
            owner=user,
            first_name=first,
            last_name=last,
            organization=organization,
            title=title,
            email=_email(first, last, domain) if rng.random() < 0.85 else "",
            how_connected=connection,
            connection_detail=detail,
            last_interaction=last_interaction,
        )
        tags = tuple(sorted({tag for word, tag in TAG_FOR_TITLE if word in title.lower()}))
        tags = tags if rng.random() < 0.4 else ()
        created = clock.at(-rng.randint(20, 90), rng.randint(18, 22), rng.choice((0, 15, 30, 45)))
        rows.append(_ContactRow(contact, created, tags))
    _make_referrals(rows, rng)
    return rows


def _make_referrals(rows: list[_ContactRow], rng: random.Random) -> None:
    """Some of the people Maya has not met yet came recommended by people she has."""
    candidates = [
        row for row in rows if row.contact.how_connected in (Connection.COLD, Connection.ONLINE)
    ]
    for row in rng.sample(candidates, FILLER_REFERRALS):
        introducer = rng.choice(INTRODUCERS)
        row.introduced_by = introducer
        row.contact.how_connected = Connection.REFERRAL
        name = next(person for person in PEOPLE if person.handle == introducer).first
        row.contact.connection_detail = f"Recommended by {name}"


def _build_contacts(
    user: User,
    organizations: dict[str, Organization],
    tags: dict[str, Tag],
    plans: dict[str, _Plan],
    rng: random.Random,
    clock: Clock,
) -> tuple[dict[str, Contact], list[Contact]]:
    key_rows = _key_contacts(user, organizations, plans, clock)
    rows = list(key_rows.values()) + _filler_contacts(user, organizations, rng, clock)
    contacts = Contact.objects.bulk_create([row.contact for row in rows])
    by_handle = {handle: row.contact for handle, row in key_rows.items()}
    # Introducers and creation times need the primary keys: one update for both.
    for row in rows:
        row.contact.introduced_by = by_handle[row.introduced_by] if row.introduced_by else None
        row.contact.created_at = row.contact.updated_at = row.created
    Contact.objects.bulk_update(contacts, ["introduced_by", "created_at", "updated_at"])
    Through = Contact.tags.through
    Through.objects.bulk_create(
        [
            Through(contact_id=row.contact.pk, tag_id=tags[name].pk)
            for row in rows
            for name in row.tags
        ]
    )
    return by_handle, contacts


def _video_link(rng: random.Random) -> str:
    letters = "abcdefghijkmnpqrstuvwxyz"
    code = "".join(rng.choice(letters) for _ in range(3))
    return f"https://meet.example.org/{code}-" + "".join(rng.choice(letters) for _ in range(4))


def _build_conversations(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    targets: dict[str, Target],
    rng: random.Random,
    profile_tz: str,
) -> dict[str, Conversation]:
    rows = []
    for handle, plan in plans.items():
        talk = plan.talk
        place = talk.place
        if not place and talk.medium == Medium.VIDEO and plan.starts_at:
            place = _video_link(rng)
        stamps = dict(plan.stamps)
        status = plan.status
        if status in REPLAYED:
            # Written as it stood when its request went out; see REPLAYED.
            del stamps[status]
            status = talk.steps[-2][0]
        conversation = Conversation(
            owner=user,
            contact=contacts[handle],
            status=status,
            starts_at=plan.starts_at,
            time_zone=profile_tz,
            planned_minutes=talk.minutes,
            medium=talk.medium,
            place=place,
            notes=talk.notes,
            **{f"{step}_at": at for step, at in stamps.items()},
        )
        rows.append((conversation, plan.first, max(stamps.values())))
    conversations = _create_dated(Conversation, rows)
    by_handle = dict(zip(plans, conversations, strict=True))
    Through = Conversation.targets.through
    Through.objects.bulk_create(
        [
            Through(conversation_id=by_handle[handle].pk, target_id=targets[name].pk)
            for handle, plan in plans.items()
            for name in plan.talk.targets
        ]
    )
    return by_handle


def _build_notes(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    conversations: dict[str, Conversation],
    clock: Clock,
) -> list[Note]:
    rows = []
    for handle, step, minutes, text in CONVERSATION_NOTES:
        when = min(plans[handle].stamps[step] + timedelta(minutes=minutes), clock.now)
        note = Note(owner=user, conversation=conversations[handle], text=text)
        rows.append((note, when, when))
    for handle, days, text in CONTACT_NOTES:
        when = clock.evening(days)
        rows.append((Note(owner=user, contact=contacts[handle], text=text), when, when))
    return _create_dated(Note, rows)


def _build_learnings(
    user: User, plans: dict[str, _Plan], conversations: dict[str, Conversation]
) -> list[Learning]:
    rows = []
    for handle, items in LEARNINGS.items():
        held = plans[handle].stamps[Status.HELD]
        for index, (kind, text) in enumerate(items):
            when = held + timedelta(minutes=10 + 4 * index)
            learning = Learning(
                owner=user, conversation=conversations[handle], kind=kind, text=text
            )
            rows.append((learning, when, when))
    return _create_dated(Learning, rows)


def _followup_dates(
    handle: str,
    on_conversation: bool,
    due: int,
    done: int | None,
    what: str,
    plans: dict[str, _Plan],
    clock: Clock,
) -> tuple[date, datetime | None, datetime]:
    """Due date, done time and creation time. A thank-you is due the day after the
    conversation and done when it was thanked; a conversation's follow-up was written right
    after its latest step."""
    due_on = clock.today + timedelta(days=due)
    done_at = clock.evening(done) if done is not None else None
    plan = plans.get(handle) if on_conversation else None
    if plan is None:
        created = clock.evening(min(due, 0) - 3)
        return due_on, done_at, min(created, done_at - timedelta(hours=1)) if done_at else created
    held = plan.stamps.get(Status.HELD)
    if held and what.startswith("Send thank-you"):
        due_on = held.astimezone(clock.tz).date() + timedelta(days=1)
        done_at = plan.stamps.get(Status.THANKED)
    anchor = held or plan.last
    created = min(anchor + timedelta(minutes=30), clock.now)
    return due_on, done_at, min(created, done_at) if done_at else created


def _build_followups(
    user: User,
    plans: dict[str, _Plan],
    contacts: dict[str, Contact],
    conversations: dict[str, Conversation],
    clock: Clock,
) -> list[FollowUp]:
    rows = []
    for handle, on_conversation, due, done, what in FOLLOWUPS:
        due_on, done_at, created = _followup_dates(
            handle, on_conversation, due, done, what, plans, clock
        )
        followup = FollowUp(
            owner=user,
            contact=None if on_conversation else contacts[handle],
            conversation=conversations[handle] if on_conversation else None,
            due_on=due_on,
            what=what,
            done_at=done_at,
        )
        rows.append((followup, created, done_at or created))
    return _create_dated(FollowUp, rows)


@dataclass
class World:
    """Everything the world build wrote, by the handles the demo's data uses."""

    plans: dict[str, _Plan]
    organizations: dict[str, Organization]
    targets: dict[str, Target]
    contacts: dict[str, Contact]
    everyone: list[Contact]
    conversations: dict[str, Conversation]
    notes: list[Note]
    learnings: list[Learning]
    followups: list[FollowUp]


def world_build(*, user: User, clock: Clock, rng: random.Random) -> World:
    plans = {talk.handle: _plan(talk, clock) for talk in TALKS}
    organizations = _build_organizations(user, clock)
    targets = _build_targets(user, organizations, clock)
    tags = _build_tags(user, clock)
    contacts, everyone = _build_contacts(user, organizations, tags, plans, rng, clock)
    conversations = _build_conversations(user, plans, contacts, targets, rng, str(clock.tz))
    return World(
        plans=plans,
        organizations=organizations,
        targets=targets,
        contacts=contacts,
        everyone=everyone,
        conversations=conversations,
        notes=_build_notes(user, plans, contacts, conversations, clock),
        learnings=_build_learnings(user, plans, conversations),
        followups=_build_followups(user, plans, contacts, conversations, clock),
    )
