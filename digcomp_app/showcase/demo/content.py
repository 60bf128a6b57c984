"""What the demo school is made of: its organisations, people, names and comments."""

from __future__ import annotations

from dataclasses import dataclass

from digcomp_app.services.permissions import Actor, Role

SEED = 20240917
PASSWORD = "demo"
#: the passphrase of the demo school's signing key (coordinators type it to issue)
SIGNING_PASSPHRASE = "demo signing key"
FRAMEWORK = ("digcomp", "3.0")

# --- who and where -----------------------------------------------------------------------

HOME = {
    "name": "Daugavkrastu tehnikums",
    "address": "Skolas iela 12, Ogre, LV-5001",
    "country": "LV",
    "contact_person": "Baiba Zvaigzne",
    "email": "info@daugavkrastu-tehnikums.example",
    "signatory_name": "Inese Rudzīte",
    "signatory_role": "direktore",
    "verification_address": "https://www.daugavkrastu-tehnikums.example/apliecinajumi/",
}
HOSTS = (
    {
        "name": "Medienwerkstatt Nordlicht GmbH",
        "address": "Hafenstraße 21, 20359 Hamburg",
        "country": "DE",
        "contact_person": "Katrin Hoffmann",
        "email": "praktikum@nordlicht.example",
    },
    {
        "name": "Taller Digital Levante S.L.",
        "address": "Carrer de Colón 14, 46004 València",
        "country": "ES",
        "contact_person": "Lucía Martínez García",
        "email": "practicas@tallerlevante.example",
    },
)
STAFF = (
    ("admin", "Kaspars Ločmelis", Role.ADMINISTRATOR),
    ("coordinator", "Baiba Zvaigzne", Role.COORDINATOR),
    ("teacher1", "Ilze Ozola", Role.TEACHER),
    ("teacher2", "Edgars Vilks", Role.TEACHER),
    ("teacher3", "Dace Priede", Role.TEACHER),
)
MALE_NAMES = (
    "Jānis", "Andris", "Mārtiņš", "Kārlis", "Roberts", "Artūrs", "Edgars", "Dāvis",
    "Emīls", "Ričards", "Gustavs", "Rihards", "Ēriks", "Krišjānis", "Oskars", "Raivis",
)  # fmt: skip
FEMALE_NAMES = (
    "Līga", "Anna", "Elīza", "Katrīna", "Laura", "Marta", "Evelīna", "Agnese",
    "Dārta", "Paula", "Madara", "Alise", "Sabīne", "Zane", "Ieva", "Ērika",
)  # fmt: skip
#: (masculine, feminine) forms of one surname
SURNAMES = (
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"),
    ("Zariņš", "Zariņa"), ("Kļaviņš", "Kļaviņa"), ("Pētersons", "Pētersone"),
    ("Vītols", "Vītola"), ("Eglītis", "Eglīte"), ("Balodis", "Balode"),
    ("Lapiņš", "Lapiņa"), ("Siliņš", "Siliņa"), ("Āboliņš", "Āboliņa"),
    ("Šmits", "Šmite"), ("Grīnbergs", "Grīnberga"), ("Vanags", "Vanaga"),
    ("Žagars", "Žagare"), ("Celmiņš", "Celmiņa"), ("Sproģis", "Sproģe"),
    ("Ķēniņš", "Ķēniņa"), ("Dūmiņš", "Dūmiņa"), ("Strautiņš", "Strautiņa"),
)  # fmt: skip
GROUPS = ("DS-3 (datorsistēmu tehniķi)", "MD-3 (multimediju dizains)")
LEARNERS_PER_GROUP = 12


@dataclass(frozen=True, slots=True)
class MobilityPlan:
    title: str
    objective: str
    focus: tuple[str, ...]  # the competences the placement develops
    tasks: str
    #: the English title and objective (the Latvian ones above)
    title_en: str = ""
    objective_en: str = ""


PLANS = (
    MobilityPlan(
        "Digitālā satura veidošana mediju uzņēmumā (Hamburga)",
        "Četru nedēļu prakse mediju uzņēmumā: foto un video satura sagatavošana, darbs "
        "komandā ar mākoņrīkiem, autortiesību un personas datu ievērošana.",
        ("1.1", "2.4", "3.1", "3.2", "3.3", "4.2"),
        "Sagatavoja foto un īsus video uzņēmuma sociālajiem tīkliem, strādāja kopīgā "
        "projektu dēlī, pārbaudīja attēlu licences un anonimizēja klientu datus.",
        "Digital content creation in a media company (Hamburg)",
        "A four-week placement in a media company: preparing photo and video content, "
        "teamwork with cloud tools, respecting copyright and personal data.",
    ),
    MobilityPlan(
        "Datortehnikas un tīklu apkalpošana (Valensija)",
        "Četru nedēļu prakse IT servisa uzņēmumā: datoru un tīkla iekārtu uzstādīšana, "
        "kļūmju meklēšana, ierīču aizsardzība un saziņa ar klientiem.",
        ("1.3", "2.1", "3.4", "4.1", "5.1", "5.2"),
        "Uzstādīja un konfigurēja darbstacijas un maršrutētājus, meklēja un novērsa "
        "kļūmes, rakstīja vienkāršus skriptus un konsultēja klientus.",
        "Computer hardware and network servicing (Valencia)",
        "A four-week placement in an IT service company: installing computers and network "
        "devices, troubleshooting, protecting devices and communicating with customers.",
    ),
)
#: how many cases of the current mobility are left at each stage
CURRENT_STAGES: tuple[str, ...] = (
    ("identification",) * 2 + ("documentation",) * 3 + ("assessment",) * 3
)
CURRENT_STAGES += ("certification",) * 2

#: assessment methods that suit each DigComp area
AREA_METHODS = {
    "1": ("test", "practical_task", "portfolio_review"),
    "2": ("observation", "interview", "portfolio_review"),
    "3": ("portfolio_review", "practical_task"),
    "4": ("interview", "practical_task", "test"),
    "5": ("practical_task", "observation"),
}
COMMENTS = {
    "lower": (
        "Pašvērtējums ir ievērojami augstāks par praksē novēroto: sarežģītākos uzdevumus "
        "veica tikai ar skolotāja palīdzību. Ieteikums – vairāk patstāvīga darba.",
        "Teorētiski zina daudz, bet praktiskajā uzdevumā pieļāva būtiskas kļūdas; "
        "pašvērtējums ir pārāk optimistisks.",
    ),
    "slightly_lower": (
        "Pamatprasmes ir drošas, bet sarežģītākos gadījumos vēl vajadzīgs atbalsts.",
        "Darbu paveica, tomēr dažus soļus vajadzēja atgādināt.",
    ),
    "same": (
        "Vērtējums sakrīt ar pašvērtējumu; uzdevumus veica patstāvīgi un precīzi.",
        "Strādāja mērķtiecīgi un spēja pamatot savu izvēli.",
        "Prakses vietas mentore apstiprina, ka darbu veica kvalitatīvi un laikā.",
    ),
    "slightly_higher": (
        "Prakses vietas mentors apstiprina, ka uzdevumus veica patstāvīgi un palīdzēja "
        "arī kolēģiem.",
        "Sniegums nedaudz pārsniedz pašvērtējumu; ieteicams drošāk novērtēt savas prasmes.",
    ),
    "higher": (
        "Sniegums ievērojami pārsniedz pašvērtējumu – audzēknis savas prasmes novērtējis "
        "pārāk pieticīgi.",
        "Patstāvīgi atrada risinājumu arī nestandarta situācijā; prasmes ir augstākas, "
        "nekā pats uzskata.",
    ),
}
SELF_NOTES = {
    "1.1": "Praksē meklēju attēlus un informāciju vairākās datubāzēs.",
    "1.3": "Sakārtoju klientu iekārtu sarakstu koplietojamā tabulā.",
    "2.1": "Sazinājos ar klientiem e-pastā un tērzēšanā angļu valodā.",
    "2.4": "Ar kolēģiem strādājām kopīgā projektu dēlī un dokumentos.",
    "3.1": "Veidoju īsus video uzņēmuma sociālajiem tīkliem.",
    "3.2": "Pārveidoju esošos materiālus jaunai kampaņai.",
    "3.3": "Uzzināju, kā pārbaudīt attēla licenci pirms publicēšanas.",
    "3.4": "Uzrakstīju savu pirmo skriptu datoru uzstādīšanai.",
    "4.1": "Iestatīju ugunsmūri un atjauninājumus klientu datoros.",
    "4.2": "Anonimizēju klientu fotoattēlus pirms publicēšanas.",
    "5.1": "Atradu un novērsu tīkla kļūmi birojā.",
    "5.2": "Ieteicu klientam piemērotāku programmatūru.",
}


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo created, for the caller to show."""

    school: str
    users: int
    learners: int
    groups: int
    mobilities: int
    cases_by_stage: dict[str, int]  # every stage of validation.STAGES, also when 0
    self_assessments: int
    evidence_items: int
    certificates: int  # issued and valid
    revoked_certificates: int
    users_created: tuple[DemoUser, ...]  # in the order they were created
    password: str = PASSWORD

    @property
    def usernames(self) -> tuple[str, ...]:
        return tuple(user.username for user in self.users_created)


@dataclass(slots=True)
class Person:
    """A demo learner: the record, the signed-in learner, the group."""

    learner_id: int
    given_names: str
    surname: str
    actor: Actor
    group: str

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}"
