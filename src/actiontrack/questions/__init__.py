"""Extra questions per group: HR's own questions beside the standard set, for some departments or job families.

rules.py    what a question is (kinds, who it applies to, its options) and the checks of HR's question form
            and of a leaver's answers
library.py  a starting library of questions per sector, in nl, fr and en (data)
queries.py  the list with its summary, the questions of a group, answers read and saved (audited)
pages.py    HR's routes (templates/questions/); the exit interview form asks them (interviews/pages.py)
"""
