"""Stay interviews: what keeps people who still work here, and what would make them leave.

The same privacy rules as exit interviews: individual answers are for HR only.

- HR lists, records, opens, edits, exports and deletes stay interviews, and tags their themes
  (suggested from the answers, never imposed).
- A manager (role owner) records a stay interview held with someone in their team and gets a
  confirmation; they never see the list nor any answers, their own included once saved, and tag
  no themes (HR reviews them).
- Leadership has nothing here: stay figures reach them released and suppressed, like exit figures.

rules.py    the stay questions and their labels, `ANSWER_FIELDS`, the checks (`check_stay_answers`, also used
            by the online stay survey in surveys/) and the theme suggestions
queries.py  `STAY_INTERVIEWS` (where they are kept, for the list, reads and audited saves shared with
            interviews.queries) and the list
The pages are interviews/pages.py's (`STAY`), with the templates of interviews/ worded by
`interviews.kinds.STAY_WORDS`.
"""
