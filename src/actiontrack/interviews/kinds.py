"""The two kinds of interview, exit and stay, as their shared pages and templates need them: the route names,
the column that dates an interview, and the kind's words (marked for translation, translated when shown)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from actiontrack.i18n import N_, ngettext


@dataclass(frozen=True)
class InterviewWords:
    """What the shared templates say and link to for one kind; templates translate each text with `_()`."""

    name: str  # "exit" or "stay"
    route: str  # the list's route name; the others are "<route>.show", "<route>.edit", ...
    day: str  # the field that dates an interview
    model: str  # the model's name, for the length limits of its fields
    answers_template: str  # the kind's questions, shared by the interview form and the online survey
    one: str
    many: str
    heading: str  # "%(department)s, %(date)s"
    lead: str
    record: str
    edit: str
    save: str
    back: str
    who: str
    name_hint: str
    day_from: str
    day_until: str
    no_match: str
    none_yet: str
    export_hint: str
    delete: str
    survey: str
    survey_intro: str
    survey_confidential: str
    count: Callable[[int], str]  # "12 interviews", translated

    @property
    def routes(self) -> dict[str, str]:
        """The names of the kind's routes, by what they do (templates link with `url_for(words.routes.show, ...)`)."""
        return {"page": self.route, **{step: f"{self.route}.{step}" for step in ROUTE_STEPS}}


ROUTE_STEPS = ("new", "show", "edit", "export", "delete")


# Each kind's name, list route, dating field, model and questions' template (the first fields of InterviewWords).
PLACES = (
    ("exit", "interviews", "exit_date", "ExitInterview", "interviews/_answers.html"),
    ("stay", "stay_interviews", "held_on", "StayInterview", "stay_interviews/_answers.html"),
)
# Each of its words: (the exit interview's, the stay interview's), side by side to keep them alike.
WORDS = {
    "one": (N_("Exit interview"), N_("Stay interview")),
    "many": (N_("Exit interviews"), N_("Stay interviews")),
    "heading": (N_("Exit interview: %(department)s, %(date)s"), N_("Stay interview: %(department)s, %(date)s")),
    "record": (N_("Record an exit interview"), N_("Record a stay interview")),
    "edit": (N_("Edit exit interview"), N_("Edit stay interview")),
    "save": (N_("Save interview"), N_("Save stay interview")),
    "back": (N_("Back to the interview"), N_("Back to the stay interview")),
    "who": (N_("The leaver"), N_("The conversation")),
    "day_from": (N_("Left from"), N_("Held from")),
    "day_until": (N_("Left until"), N_("Held until")),
    "no_match": (N_("No interviews match these filters."), N_("No stay interviews match these filters.")),
    "none_yet": (N_("No exit interviews yet."), N_("No stay interviews yet.")),
    "delete": (N_("Delete this interview"), N_("Delete this stay interview")),
    "survey": (N_("Exit survey"), N_("Stay survey")),
    "lead": (
        N_("What leavers told us, in interviews and the online survey. Only HR sees individual answers."),
        N_("What people who still work here told us, in stay conversations and the online stay survey. Only "
           "HR sees individual answers."),
    ),
    "name_hint": (
        N_("Never write the leaver's name: answers are grouped by department and job family only."),
        N_("Never write the person's name: answers are grouped by department and job family only."),
    ),
    "export_hint": (
        N_("For a leaver's access request, export this interview as a JSON file."),
        N_("For an access request, export this stay interview as a JSON file."),
    ),
    "survey_intro": (
        N_("Thank you for taking a few minutes to tell us why you are leaving. We use the answers of all "
           "leavers together to decide what to improve."),
        N_("Thank you for taking a few minutes to tell us what keeps you here and what would make you leave. "
           "We use the answers of all colleagues together to decide what to improve."),
    ),
    "survey_confidential": (
        N_("Your answers are confidential: your name is not stored with them, and outside HR only totals for "
           "groups of several leavers are shown. The link works once."),
        N_("Your answers are confidential: your name is not stored with them, and outside HR only totals for "
           "groups of several people are shown. The link works once."),
    ),

}


def _exit_count(number: int) -> str:
    return ngettext("%(num)d interview", "%(num)d interviews", number) % {"num": number}


def _stay_count(number: int) -> str:
    return ngettext("%(num)d stay interview", "%(num)d stay interviews", number) % {"num": number}


EXIT_WORDS, STAY_WORDS = (
    InterviewWords(*places, count=count, **{name: pair[kind] for name, pair in WORDS.items()})
    for kind, (places, count) in enumerate(zip(PLACES, (_exit_count, _stay_count), strict=True)))
