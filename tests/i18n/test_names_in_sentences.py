"""Latvian sentences never need a declined name.

A person's name is shown as it is stored: in the nominative ("Ērika Balode"). Latvian puts a
noun after a dative, genitive or accusative noun in the same case ("izglītojamajam Ērikai
Balodei"), so a name placed there reads wrong ("izglītojamajam Ērika Balode"). Messages put the
name in a field position instead: "Lieta Nr. 5 atvērta. Izglītojamais: {name}." or
"{name}: dati saglabāti."

The rules below catch the three shapes such sentences take:

1. a person noun in the dative, genitive or accusative directly before a name
   ("izglītojamajam {name}", "lietotāja {user} parole");
2. an infinitive directly before a name, which makes the name its accusative object
   ("Pārcelt {name} uz citu grupu");
3. a name directly before the noun it owns, which needs the genitive ("{name} dati",
   "{name} piekrišanas").
"""

from __future__ import annotations

import re

import pytest

from tests.i18n.test_catalogs import read_catalog

#: placeholders that stand for a person's name (or a list of names, or a user name)
PERSON = r"\{(?:name|names|learner|holder|teacher|user|username|who|giver)\}"

#: person nouns in a case other than the nominative (dative, genitive, accusative; singular and
#: plural). "skolotāja" is also the feminine nominative, but the catalogue uses the masculine
#: "skolotājs" for the role, so here it is the genitive.
DECLINED_PERSON_NOUNS = (
    r"izglītojam(?:ajam|ajai|ajiem|ajām|ā|o|ās)",
    r"skolotāj(?:am|ai|iem|ām|a|u|as)",
    r"lietotāj(?:am|ai|iem|ām|a|u|as)",
    r"koordinator(?:am|iem|a|u)",
    r"administrator(?:am|iem|a|u)",
    r"vērtētāj(?:am|iem|a|u)",
    r"turētāj(?:am|iem|a|u)",
    r"saņēmēj(?:am|iem|a|u)",
    r"mentor(?:am|iem|a|u)",
    r"dalībniek(?:am|iem|a|u)",
    r"personai|personas|personu",
)

#: nouns a name would own ("{name} dati" needs "Ērikas Balodes dati")
OWNED_NOUNS = (
    r"dati|datus|piekrišanas|profils|profilu|lomas|konts|kontu|parole|paroli|"
    r"pašnovērtējums|pašnovērtējumu|lieta|lietas|apliecinājums|apliecinājumi|rezultāti"
)

RULES = {
    "a declined person noun before a name": re.compile(
        r"(?<!\w)(?:" + "|".join(DECLINED_PERSON_NOUNS) + r")\s+" + PERSON, re.IGNORECASE
    ),
    "an infinitive making a name its object": re.compile(
        r"(?<!\w)\w{3,}t\s+" + PERSON, re.IGNORECASE
    ),
    "a name owning the noun after it": re.compile(
        PERSON + r"\s+(?:" + OWNED_NOUNS + r")(?!\w)", re.IGNORECASE
    ),
}


def problems(text: str) -> list[str]:
    return [rule for rule, pattern in RULES.items() if pattern.search(text)]


@pytest.mark.parametrize(
    "wrong",
    [
        "Lieta Nr. {id} atvērta izglītojamajam {name}; tā sākas ar identificēšanas posmu.",
        "Apliecinājums {serial} izsniegts izglītojamajam {holder}.",
        "Dzēst izglītojamā {name} datus",
        "Lietotāja {user} parole: ",
        "Piešķirt lietotājam {name} ({user}) jaunu vienreizējo paroli?",
        "Tiek dzēsts viss, kas identificē izglītojamo {name}.",
        "Pārcelt {name} uz citu grupu.",
        "Deaktivizēt {names}?",
        "{name} dati saglabāti.",
        "{name} piekrišanas",
    ],
)
def test_the_rules_catch_names_in_a_declined_position(wrong):
    assert problems(wrong)


@pytest.mark.parametrize(
    "right",
    [
        "Lieta Nr. {id} atvērta; tā sākas ar identificēšanas posmu. Izglītojamais: {name}.",
        "Izglītojamais {name} pievienots.",
        "Piesakieties kā {user} ar paroli.",
        "Pārcelt uz citu grupu: {name}.",
        "{name}: dati saglabāti.",
        "Dzēst: {name}; aizgāja {date}",
        "Arhivēt grupu {name}?",
        "Izglītojamā numurs {number} jau piešķirts citam izglītojamajam: {name}.",
        "{name} – profils, izdrukas datums: {date}",
    ],
)
def test_the_rules_let_field_positions_pass(right):
    assert not problems(right)


def test_no_latvian_message_puts_a_name_where_latvian_declines_it():
    found = []
    for message in read_catalog("lv"):
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for text in forms:
            for rule in problems(text or ""):
                found.append(f"{rule}: {text!r}")
    assert not found, "\n".join(found)
