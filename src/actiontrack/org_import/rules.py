"""What the rows of an organisation or people file mean: columns guessed from headers, each row's outcome.

Pure functions: the existing departments, job families and emails come in as arguments (read in one
query each by store.py), so a file of any length costs the same few queries.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from actiontrack.accounts.invitations import InviteForm, invitation_problems
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import Role
from actiontrack.organisation.rules import GroupForm, check_group
from actiontrack.params import normalise_email, parse_int

# What a file can hold: departments with their headcount, job families, or people to invite.
DEPARTMENT, JOB_FAMILY, PEOPLE = "department", "job_family", "people"
GROUP_KINDS = (DEPARTMENT, JOB_FAMILY)
MAX_ROWS = 2_000

CREATE, UPDATE, UNCHANGED, PROBLEM = "create", "update", "unchanged", "problem"
INVITE, EXISTS = "invite", "exists"
# In the order the preview counts them.
OUTCOME_LABELS = {
    CREATE: N_("New"), UPDATE: N_("Changed"), UNCHANGED: N_("Unchanged"), INVITE: N_("Invite"),
    EXISTS: N_("Already has an account"), PROBLEM: N_("Problem"),
}


@dataclass(frozen=True)
class Column:
    """A value the import needs, and the headers (in nl, fr and en) that usually hold it."""

    code: str
    label: str
    required: bool
    headers: tuple[str, ...]


_HEADCOUNT_HEADERS = ("aantalmedewerkers", "medewerkers", "aantalwerknemers", "werknemers", "personeelsbestand",
                      "aantal", "effectif", "effectifs", "nombredemployes", "nombredecollaborateurs", "headcount",
                      "employees", "numberofemployees", "staff")
_NAME_HEADERS = ("naam", "nom", "name", "benaming", "libelle", "omschrijving", "description")
COLUMNS: dict[str, tuple[Column, ...]] = {
    DEPARTMENT: (
        Column("name", N_("Department"), True,
               ("afdeling", "afdelingen", "afdelingsnaam", "departement", "departements", "department", "departments",
                "dienst", "service", "nomdudepartement", "departmentname", *_NAME_HEADERS)),
        Column("headcount", N_("Headcount"), True, _HEADCOUNT_HEADERS),
    ),
    JOB_FAMILY: (
        Column("name", N_("Job family"), True,
               ("functiefamilie", "functiefamilies", "familledefonctions", "famillesdefonctions",
                "famillefonctionnelle", "famillemetier", "jobfamily", "jobfamilies", *_NAME_HEADERS)),
        Column("headcount", N_("Headcount"), False, _HEADCOUNT_HEADERS),
    ),
    PEOPLE: (
        Column("email", N_("Email"), True,
               ("email", "emailadres", "emailaddress", "adresseemail", "courriel", "adressecourriel", "mail",
                "mailadres", "adresseelectronique")),
        Column("name", N_("Name"), True,
               ("naam", "nom", "name", "volledigenaam", "nomcomplet", "fullname", "displayname", "voornaamnaam",
                "prenomnom", "firstnamelastname")),
        Column("role", N_("Role"), False, ("rol", "role", "rollen", "roles", "toegang", "acces", "access")),
        Column("language", N_("Language"), False,
               ("taal", "langue", "language", "voertaal", "taalvoorkeur", "languepreferee", "preferredlanguage")),
    ),
}

# Words HR writes for a role, in nl, fr and en (compared as `header_key` makes them).
ROLE_WORDS = {
    Role.HR.value: ("hr", "rh", "hrm", "humanresources", "ressourceshumaines", "personeelsdienst", "po",
                    "personeelenorganisatie"),
    Role.LEADERSHIP.value: ("leadership", "directie", "direction", "leiding", "management", "directeur",
                            "directrice", "director", "leiderschap", "bestuur"),
    Role.OWNER.value: ("owner", "actionowner", "eigenaar", "actieeigenaar", "actiehouder", "manager",
                       "leidinggevende", "responsable", "responsabledaction", "proprietaire", "proprietairedaction"),
}
LANGUAGE_WORDS = {
    "nl": ("nl", "nederlands", "dutch", "neerlandais", "vlaams", "flemish", "nld", "nlbe"),
    "fr": ("fr", "francais", "french", "frans", "fra", "frbe"),
    "en": ("en", "english", "engels", "anglais", "eng", "engb", "enus"),
}


def header_key(text: str) -> str:
    """A header or word without case, accents, spaces or punctuation: "Rôle" and "ROLE" are one."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(char for char in plain.casefold() if char.isalnum() and not unicodedata.combining(char))


def name_key(name: str) -> str:
    """How names are matched: without case, and with runs of spaces as one."""
    return " ".join(name.split()).casefold()


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, int | None]:
    """For each column the import needs, the file's column whose header names it (or None)."""
    keys = [header_key(header) for header in headers]
    taken: set[int] = set()
    mapping: dict[str, int | None] = {}
    for column in COLUMNS[kind]:
        found = next((index for index, key in enumerate(keys) if key in column.headers and index not in taken), None)
        if found is None:  # "Aantal medewerkers op 1/1", "Nom du département (FR)"
            found = next((index for index, key in enumerate(keys) if index not in taken
                          and any(len(word) > 3 and word in key for word in column.headers)), None)
        if found is not None:
            taken.add(found)
        mapping[column.code] = found
    return mapping


def read_mapping(kind: str, chosen: Mapping[str, str], width: int) -> dict[str, int | None]:
    """The mapping HR chose in the form ("" is no column; anything else outside the file is none too)."""
    mapping: dict[str, int | None] = {}
    for column in COLUMNS[kind]:
        mapping[column.code] = parse_int(chosen.get(column.code) or "", minimum=0, maximum=width - 1)
    return mapping


def mapping_problems(kind: str, mapping: Mapping[str, int | None]) -> dict[str, str]:
    """What is wrong with a mapping: a needed value without a column, or one column used twice."""
    problems: dict[str, str] = {}
    seen: dict[int, str] = {}
    for column in COLUMNS[kind]:
        index = mapping.get(column.code)
        if index is None:
            if column.required:
                problems[column.code] = _("Choose the column that holds this.")
        elif index in seen:
            problems[column.code] = _("This column is already chosen for “%(other)s”.") % {"other": _(seen[index])}
        else:
            seen[index] = column.label
    return problems


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _whole_number(text: str) -> str:
    """A headcount as spreadsheets write it ("1 250", "250.0") as the organisation form reads it."""
    digits = re.sub(r"(?<=\d)[\s\u00a0\u202f'](?=\d{3}\b)", "", text)
    return re.sub(r"^(\d+)[.,]0+$", r"\1", digits)


@dataclass(frozen=True)
class ExistingGroup:
    id: int
    name: str
    headcount: int | None
    # A retired group named in a file gets its headcount, and stays retired: HR brings it back by hand.
    active: bool = True


@dataclass(frozen=True)
class GroupRow:
    """One row of a department or job family file and what importing it does."""

    line: int
    name: str
    headcount: str
    outcome: str
    problems: tuple[str, ...] = ()
    new_headcount: int | None = None
    existing: ExistingGroup | None = None


@dataclass(frozen=True)
class PersonRow:
    """One row of a people file and what importing it does."""

    line: int
    email: str
    name: str
    role: str
    language: str
    outcome: str
    problems: tuple[str, ...] = ()


@dataclass
class Plan:
    """Every row's outcome, the counts by outcome, and a digest that changes when any outcome does."""

    rows: list[GroupRow] | list[PersonRow]
    counts: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def changes(self) -> int:
        return self.counts.get(CREATE, 0) + self.counts.get(UPDATE, 0) + self.counts.get(INVITE, 0)


def _plan(rows: list) -> Plan:  # type: ignore[type-arg]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    described = [[row.line, row.outcome,
                  *(str(getattr(row, name, ""))
                    for name in ("name", "headcount", "new_headcount", "email", "role", "language")),
                  row.existing.id if getattr(row, "existing", None) else None] for row in rows]
    digest = hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()
    return Plan(rows=rows, counts=counts, digest=digest)


def _data_rows(rows: Sequence[Sequence[str]], numbers: Sequence[int]) -> list[tuple[int, Sequence[str]]]:
    """Rows with the number a spreadsheet shows them under (the reader's, else counted from 2); blank rows left out."""
    numbered = zip(list(numbers) + list(range(len(numbers) + 2, len(rows) + 2)), rows, strict=False)
    return [(number, row) for number, row in numbered if any(cell.strip() for cell in row)]


def plan_groups(*, kind: str, rows: Sequence[Sequence[str]], mapping: Mapping[str, int | None],
                existing: Mapping[str, ExistingGroup], numbers: Sequence[int] = ()) -> Plan:
    """Each row becomes a new group, a changed headcount, no change, or a problem; nothing is ever deleted."""
    planned: list[GroupRow] = []
    first_line: dict[str, int] = {}
    for line, row in _data_rows(rows, numbers):
        name = " ".join(_cell(row, mapping.get("name")).split())
        headcount = _cell(row, mapping.get("headcount"))
        checked = check_group(kind=kind, form=GroupForm(name=name, headcount=_whole_number(headcount)))
        problems = list(checked.errors.values())
        key = name_key(name)
        if key and key in first_line:
            problems.append(_("This name is also on row %(row)d.") % {"row": first_line[key]})
        elif key:
            first_line[key] = line
        new_headcount = checked.values.get("headcount")
        found = existing.get(key)
        if kind == JOB_FAMILY and not headcount and found is not None:
            new_headcount = found.headcount  # a job family's headcount is optional: a blank cell changes nothing
        if problems:
            outcome = PROBLEM
        elif found is None:
            outcome = CREATE
        elif found.headcount != new_headcount:
            outcome = UPDATE
        else:
            outcome = UNCHANGED
        planned.append(GroupRow(line=line, name=name, headcount=headcount, outcome=outcome, problems=tuple(problems),
                                new_headcount=new_headcount if isinstance(new_headcount, int) else None,
                                existing=found))
    return _plan(planned)


def read_role(text: str) -> str | None:
    """The role a word means ("Directie", "Responsable", "HR"), or None; an empty cell is an action owner."""
    key = header_key(text)
    if not key:
        return Role.OWNER.value
    return next((role for role, words in ROLE_WORDS.items() if key in words or key == role), None)


def read_language(text: str, *, default: str) -> str | None:
    """The language a word means ("Nederlands", "fr", "Anglais"), or None; an empty cell is `default`."""
    key = header_key(text)
    if not key:
        return default
    return next((code for code, words in LANGUAGE_WORDS.items() if key in words), None)


def plan_people(*, rows: Sequence[Sequence[str]], mapping: Mapping[str, int | None], existing_emails: set[str],
                default_language: str, numbers: Sequence[int] = ()) -> Plan:
    """Each row becomes an invitation, a person who already has an account (left as is), or a problem."""
    planned: list[PersonRow] = []
    first_line: dict[str, int] = {}
    for line, row in _data_rows(rows, numbers):
        email = normalise_email(_cell(row, mapping.get("email")))
        name = " ".join(_cell(row, mapping.get("name")).split())
        role_text, language_text = _cell(row, mapping.get("role")), _cell(row, mapping.get("language"))
        role = read_role(role_text)
        language = read_language(language_text, default=default_language)
        errors = invitation_problems(InviteForm(email=email, display_name=name, role=role or Role.OWNER.value,
                                                language=language or default_language))
        problems = list(errors.values())
        if role is None:
            problems.append(
                _("“%(value)s” is not a role: write HR, Leadership or Action owner.") % {"value": role_text})
        if language is None:
            problems.append(_("“%(value)s” is not a language: write nl, fr or en.") % {"value": language_text})
        if email in existing_emails:
            outcome, problems = EXISTS, []
        else:
            if "email" not in errors and email in first_line:
                problems.append(_("This email is also on row %(row)d.") % {"row": first_line[email]})
            elif "email" not in errors:
                first_line[email] = line
            outcome = PROBLEM if problems else INVITE
        planned.append(PersonRow(line=line, email=email, name=name, role=role or role_text, language=language or
                                 language_text, outcome=outcome, problems=tuple(problems)))
    return _plan(planned)
