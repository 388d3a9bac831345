"""The public "What we changed" page, its feeds and its embed: published actions, in plain words, anonymity-safe.

words.py     how a change reads: status, scope, evidence and effect in words, never a hidden figure
queries.py   the reads: the filters, the listing (which changes a page shows), then the shown ones whole
feed.py      the Atom feed and the JSON Feed of the newest changes
embed.py     the embed's style from its query and its framing headers (origins HR lists)
cache.py     validators (ETag, 304) and the new-visitor replay middleware (app.py); pieces kept in caching.Memo
pages.py     the routes of /changes, /changes.atom, /changes.json and /changes/embed (templates/changes/)
"""

from __future__ import annotations
