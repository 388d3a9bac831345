"""Importing the organisation from CSV/XLSX: departments with headcount, job families, people as invitations.

rules.py     what a file's rows mean: columns guessed from nl/fr/en headers, each row's outcome (new,
             changed, unchanged, problem; for people: invite, already has an account, problem)
carried.py   the uploaded table carried between the steps in one signed form field
store.py     the existing names and emails to compare with, and the writes of a committed import
pages.py     the HTML routes (templates/org_import/): upload, mapping and preview, commit
"""

from __future__ import annotations
