"""Exit and stay interviews: the standard questions, capture and checks, the list, editing, export and deletion
(HR only; managers record stay interviews too). One package for both kinds, given the kind, exit or stay.

rules.py    the questions and their labels, `INTERVIEW_FIELDS`, `MAX_ANSWER`, and the checks of a submitted
            form (`check_answers`, `check_interview`), shared with the survey, API and import; the stay
            interview's as `STAY_...` (`STAY_ANSWER_FIELDS`, `stay_labels`, `check_stay_answers`); theme
            suggestions for either kind (`suggestions_for(..., kind=)`)
queries.py  the form's options, the filtered list, one interview and its export, and the audited saves,
            for either kind of interview (`InterviewKind`: `EXIT_INTERVIEWS`, `STAY_INTERVIEWS`)
kinds.py    the words and route names of each kind (`EXIT_WORDS`, `STAY_WORDS`) for the templates both share
views.py    what the pages of both kinds do, given a `PageKind`
pages.py    the HTML routes of both kinds (`EXIT`, `STAY`: one set of routes each, templates/interviews/);
            api.py records interviews from HR systems
"""
