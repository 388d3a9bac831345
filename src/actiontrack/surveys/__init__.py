"""The confidential online surveys: one-time links that HR sends, and the public page people answer on.

A link is of one kind (`SurveyInvitation.kind`): the exit survey, answered by a leaver, becomes an
exit interview; the stay survey, answered by someone who still works here, becomes a stay
interview (channel "survey"). Both kinds follow the same rules below.

A link carries a random token; only its SHA-256 hash is stored. The invitation keeps no name and
no link to the interview it produces, and nothing in the database or the logs ties the two:

- Two transactions, in this order. The first (the leaver's request) claims the link and keeps the
  checked answers in `survey_answer`, a row that names no link (`queries.claim`, `queries.keep_answers`):
  both are saved or neither, so an answer is never lost and a link never used twice. The second
  (`queries.deliver_answers`), after the day is over (UTC), turns every answer of the day into an
  interview, in random order, and deletes the kept rows; a crash before it commits leaves the
  answers waiting for the next delivery. Claiming first and writing the interview later, rather than
  the other way round, is what keeps a crash from losing an answer or letting a link be used twice.
  The link and its interview therefore never share a transaction (PostgreSQL's `xmin`), and ids are
  given at delivery in random order: they place an answer at the delivery, which says nothing the day
  does not. Until its delivery (at most a day and an hour), a kept answer shares the claim's transaction.
- When a link is used it forgets its department, job family and maker, and keeps days only (made,
  expires, used: midnight UTC) and its language (for the "already used" page in the leaver's
  language). HR's list still counts and shows used links, without their group. The link's creation
  in the audit trail loses at the same time its details, its maker, its address and its moment (the day stays).
- The interview a survey makes carries no invitation id; its created_at and updated_at are the day
  (midnight UTC), as is the time of its audit entry, which has no actor and no address.
- No line a survey visit writes in the access log shows the client's address: neither the survey
  pages (`serving.ANONYMOUS_PREFIXES`) nor the static files they load; tokens are masked
  (`rules.HideSurveyTokens` for uvicorn's own log, like calendar feed tokens), and the pages send no
  referrer to another site (`Referrer-Policy: no-referrer`) and offer no form outside the survey.

What is left is the day: on a day when one leaver of a group answered, the day and group of the
answers are the day and group HR sent a link for.

rules.py    a link's kinds and states (`link_status` and its SQL twin), the day kept of an answer, the
            checks of HR's link form and of a survey's answers, and the access log's filter
queries.py  `create_invitation`, `find_invitation`, `claim`, HR's list of links, the kept answers and their
            delivery as interviews (`AnswerDelivery`: at a worker's start, then hourly at most)
pages.py    the HTML routes: HR's links (templates/surveys/index.html) and the public survey pages
"""
