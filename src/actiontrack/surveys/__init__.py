"""The confidential online surveys: one-time links that HR sends, and the public page people answer on.

A link is of one kind (`SurveyInvitation.kind`): the exit survey, answered by a leaver, becomes an
exit interview; the stay survey, answered by someone who still works here, becomes a stay
interview (channel "survey"). Both kinds follow the same rules below.

A link carries a random token; only its SHA-256 hash is stored. The invitation keeps no name and
no link to the interview it produces, so answers cannot be traced back through the database:

- When a link is used (`queries.claim`), it forgets its department, job family and maker, and keeps
  only the day of use (midnight UTC) and its language (for the "already used" page in the leaver's
  language; the interview records the language the leaver answered in). HR's list still counts and
  shows used links, without their group. The link's creation in the audit trail loses its details
  (department, job family, language, expiry) at the same time.
- The interview the survey makes carries no invitation id; its created_at and updated_at are the
  day (midnight UTC), as is the time of its audit entry, which has no actor and no address.
- The token never reaches the server's access log (`rules.HideSurveyTokens`, like calendar feed
  tokens), nor the client's address on those lines, nor another site (`Referrer-Policy: no-referrer`).

What is left is the day: on a day when one leaver of a group answered, the day and group of the
answers are the day and group HR sent a link for. Record ids are sequential, so the order of
records within a day shows too; no stored time finer than the day belongs to a survey answer.

rules.py    a link's kinds and states (`link_status` and its SQL twin), the day kept of an answer, the
            checks of HR's link form and of a survey's answers, and the access log's filter
queries.py  `create_invitation`, `find_invitation`, `claim`, HR's list of links, and the saved answers
pages.py    the HTML routes: HR's links (templates/surveys/index.html) and the public survey pages
"""
