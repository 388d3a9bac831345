"""Exit interviews: the standard questions, capture and checks, the list, editing, export and deletion (HR only).

rules.py    the questions and their labels, `INTERVIEW_FIELDS`, `MAX_ANSWER`, and the checks of a submitted
            form (`check_answers`, `check_interview`), shared with the survey, stay interviews, API and import
queries.py  the form's options, the filtered list, one interview and its export, and the audited saves,
            for either kind of interview (`InterviewKind`: exit here, stay in stay_interviews/)
kinds.py    the words and route names of each kind (`EXIT_WORDS`, `STAY_WORDS`) for the templates both share
views.py    what the pages of both kinds do, given a `PageKind`
pages.py    the HTML routes of both kinds (`EXIT`, `STAY`: one set of routes each, templates/interviews/);
            api.py records interviews from HR systems
"""
