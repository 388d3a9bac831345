"""The public "What we changed" page and its Atom feed: published actions, in plain words, anonymity-safe.

words.py     how a change reads: status, scope, evidence and effect in words, never a hidden figure
queries.py   the reads: the filters, the listing (which changes a page shows), then the shown ones whole
feed.py      the Atom feed of the newest changes
cache.py     validators (ETag, 304), the rendered-page cache and the new-visitor replay middleware (app.py)
pages.py     the /changes and /changes.atom routes (templates/changes/)
"""

from __future__ import annotations
