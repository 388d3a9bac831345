"""What HR writes about an action: the checked values (`ActionDetails`) and the form as typed (`ActionForm`).

A new text of an action is a column in `models.py` (its `max_length` is the form's and the check's limit),
a field of both classes here (a text written once also goes in FREE_TEXTS; one per language is only its
name in LANGUAGE_TEXTS, which gives both classes a field per language, and a column per language), its line in
`templates/actions/_fields.html`, and where it shows (`detail.html`); the service saves, audits and checks
every field of ActionDetails without naming it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import field

from litestar.datastructures import FormMultiDict

from actiontrack.i18n import N_, current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem, Scope
from actiontrack.params import parse_id, text_fields
from actiontrack.settings import LANGUAGES
from actiontrack.texts import localized

# Texts written in each language, a column per language (`title_nl`, ...): readers see theirs, else another.
LANGUAGE_TEXTS = ("title", "description", "success_measure", "public_summary")
# Texts written once, in whatever language HR writes (none at the moment).
FREE_TEXTS: tuple[str, ...] = ()


@text_fields(per_language=LANGUAGE_TEXTS, frozen=True)
class ActionDetails:
    """What HR writes about an action (owner, deadline and publication have their own changes).

    The title, description, success measure and public summary come in nl, fr and en (at least one
    title); see texts.localized.
    """

    scope: str = Scope.COMPANY.value
    department_id: int | None = None
    job_family_id: int | None = None
    target_share: float | None = None
    theme_ids: tuple[int, ...] = ()

    def normalised(self) -> ActionDetails:
        """Whitespace tidied, and only the group that the scope uses kept."""
        return dataclasses.replace(
            self,
            **{f"title_{language}": " ".join(getattr(self, f"title_{language}").split()) for language in LANGUAGES},
            **{name: getattr(self, name).strip() for name in LONG_TEXT_NAMES},
            **{name: getattr(self, name).strip() for name in FREE_TEXTS},
            department_id=self.department_id if self.scope == Scope.DEPARTMENT else None,
            job_family_id=self.job_family_id if self.scope == Scope.JOB_FAMILY else None,
            theme_ids=tuple(dict.fromkeys(self.theme_ids)),
        )

    def titles(self) -> dict[str, str]:
        return {language: getattr(self, f"title_{language}") for language in LANGUAGES}

    def public_summaries(self) -> dict[str, str]:
        return {language: getattr(self, f"public_summary_{language}") for language in LANGUAGES}

    @classmethod
    def of(cls, action: ActionItem, theme_ids: Sequence[int]) -> ActionDetails:
        return cls(**{name: getattr(action, name) for name in DETAIL_COLUMNS}, theme_ids=tuple(theme_ids))


# The columns of ActionItem that ActionDetails carries (all its fields but the themes).
DETAIL_COLUMNS = [f.name for f in dataclasses.fields(ActionDetails) if f.name != "theme_ids"]


TEXT_NAMES = tuple(f"{text}_{language}" for text in LANGUAGE_TEXTS for language in LANGUAGES)
# The texts of several lines, per language (the title is one line).
LONG_TEXT_NAMES = tuple(name for name in TEXT_NAMES if not name.startswith("title_"))
# What HR reads under a language the action lacks: where staff reading it will be sent instead.
MISSING_HINTS = {
    ("nl", "fr"): N_("Missing in Dutch: staff reading Dutch will see the French text."),
    ("nl", "en"): N_("Missing in Dutch: staff reading Dutch will see the English text."),
    ("fr", "nl"): N_("Missing in French: staff reading French will see the Dutch text."),
    ("fr", "en"): N_("Missing in French: staff reading French will see the English text."),
    ("en", "nl"): N_("Missing in English: staff reading English will see the Dutch text."),
    ("en", "fr"): N_("Missing in English: staff reading English will see the French text."),
}


def _texts_of(form: FormMultiDict) -> dict[str, str]:
    """The per-language texts of a form. A text sent once (`title`, `description`, ...), as older pages and
    scripts post it, is read as written in the language of the person posting it."""
    texts = {name: form.get(name, "") for name in TEXT_NAMES}
    for text in LANGUAGE_TEXTS:
        if text in form and not any(f"{text}_{language}" in form for language in LANGUAGES):
            texts[f"{text}_{current_language()}"] = form.get(text, "")
    return texts


def details_from_form(form: FormMultiDict) -> tuple[ActionDetails, dict[str, str]]:
    """The details typed into an action form, and a message for each value that is not a value."""
    errors: dict[str, str] = {}
    target_share = None
    raw_target = form.get("target_percent", "").strip().replace(",", ".").rstrip("%").strip()
    if raw_target:
        try:
            target_share = float(raw_target) / 100
        except ValueError:
            errors["target_share"] = _("Enter the target as a percentage, for example 15.")
    theme_ids = [parse_id(value) for value in form.getall("themes", [])]
    if None in theme_ids:
        errors["themes"] = _("Choose themes from the list.")
    details = ActionDetails(
        **_texts_of(form),
        **{name: form.get(name, "") for name in FREE_TEXTS},
        scope=form.get("scope", Scope.COMPANY.value),
        department_id=parse_id(form.get("department_id", "")),
        job_family_id=parse_id(form.get("job_family_id", "")),
        target_share=target_share,
        theme_ids=tuple(theme_id for theme_id in theme_ids if theme_id is not None),
    )
    return details, errors


@text_fields(per_language=LANGUAGE_TEXTS)
class ActionForm:
    """What an action form shows: the values as typed (strings), so nothing typed is lost on errors."""

    scope: str = Scope.COMPANY.value
    department_id: str = ""
    job_family_id: str = ""
    target_percent: str = ""
    theme_ids: list[str] = field(default_factory=list)
    owner_id: str = ""
    deadline: str = ""
    published: bool = False
    evidence_theme: str = ""
    evidence_start: str = ""
    evidence_end: str = ""
    evidence_source: str = ""

    @classmethod
    def from_form(cls, form: FormMultiDict) -> ActionForm:
        names = [name for name in cls.__dataclass_fields__
                 if name not in {"theme_ids", "published", *TEXT_NAMES}]
        return cls(**{name: form.get(name, "") for name in names}, **_texts_of(form),
                   theme_ids=form.getall("themes", []), published=form.get("published") == "on")

    @classmethod
    def from_details(cls, details: ActionDetails) -> ActionForm:
        share = details.target_share
        return cls(
            **{name: getattr(details, name) for name in (*TEXT_NAMES, *FREE_TEXTS)},
            scope=details.scope, department_id=str(details.department_id or ""),
            job_family_id=str(details.job_family_id or ""),
            target_percent="" if share is None else f"{share * 100:g}",
            theme_ids=[str(theme_id) for theme_id in details.theme_ids],
        )

    def texts_in(self, language: str) -> tuple[str, str]:
        """The title and public summary typed for one language."""
        return getattr(self, f"title_{language}"), getattr(self, f"public_summary_{language}")

    def missing_hint(self, language: str) -> str | None:
        """What staff reading `language` will see instead, when the form has no title in it but another."""
        titles = {other: getattr(self, f"title_{other}").strip() for other in LANGUAGES}
        shown = localized(titles, language)
        if titles[language] or shown.lang is None:
            return None
        return _(MISSING_HINTS[(language, shown.lang)])
