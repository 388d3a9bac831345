"""Exit interviews: the standard questions, capture and checks, the list, editing, export and deletion (HR only).

rules.py    the questions and their labels, `INTERVIEW_FIELDS`, `MAX_ANSWER`, and the checks of a submitted
            form (`check_answers`, `check_interview`), shared with the survey, stay interviews, API and import
queries.py  the form's options, the filtered list, one interview and its export, and the audited saves
pages.py    the HTML routes (templates/interviews/); api.py records interviews from HR systems
"""

from __future__ import annotations

# The questions' vocabulary, for the modules that name an interview's fields without checking a form.
from actiontrack.interviews.rules import EARLIEST_EXIT_DATE, INTERVIEW_FIELDS, MAX_ANSWER, QUESTION_LABELS, parse_date

__all__ = ["EARLIEST_EXIT_DATE", "INTERVIEW_FIELDS", "MAX_ANSWER", "QUESTION_LABELS", "parse_date"]
