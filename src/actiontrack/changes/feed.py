"""The Atom feed of /changes: the newest changes, one entry each, valid XML whatever the text holds."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from actiontrack.changes.queries import FEED_ENTRIES, ChangeFilters, PublicChange
from actiontrack.i18n import gettext as _
from actiontrack.params import clean_text, one_line
from actiontrack.texts import Localized

logger = logging.getLogger("actiontrack.changes")


def atom_feed(*, changes: list[PublicChange], feed_url: str, page_url: str, language: str,
              filters: ChangeFilters) -> bytes:
    """Newest first by the later of publication and completion; `feed_url` and `page_url` are absolute."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    query = filters.query_string(lang=language)
    ET.SubElement(feed, f"{{{ns}}}title").text = _("What we changed")
    ET.SubElement(feed, f"{{{ns}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "self", "href": f"{feed_url}?{query}"})
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "alternate", "type": "text/html", "href": f"{page_url}?{query}"})
    ordered = sorted(changes, key=lambda change: (change.updated, change.id), reverse=True)[:FEED_ENTRIES]
    newest = ordered[0].updated if ordered else datetime(1970, 1, 1, tzinfo=UTC)
    ET.SubElement(feed, f"{{{ns}}}updated").text = newest.isoformat()
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = "actiontrack"
    for change in ordered:
        try:
            feed.append(_atom_entry(change, ns=ns, page_url=page_url, language=language))
        except Exception:  # one odd row must not break the feed for every subscriber
            logger.exception("changes feed: action %s skipped, it cannot be written as an entry", change.id)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _xml_lang(text: Localized, language: str) -> dict[str, str]:
    """xml:lang for an element whose text is not in the feed's language (a fallback)."""
    return {"{http://www.w3.org/XML/1998/namespace}lang": text.lang} if text.differs_from(language) else {}


def _atom_entry(change: PublicChange, *, ns: str, page_url: str, language: str) -> ET.Element:
    # XML 1.0 allows no control characters but tab and line ends: an entry with one is invalid for every reader.
    entry = ET.Element(f"{{{ns}}}entry")
    ET.SubElement(entry, f"{{{ns}}}title", _xml_lang(change.title, language)).text = one_line(change.title.text)
    ET.SubElement(entry, f"{{{ns}}}id").text = f"{page_url}#change-{change.id}"
    ET.SubElement(entry, f"{{{ns}}}link", {"href": f"{page_url}?lang={language}#change-{change.id}"})
    ET.SubElement(entry, f"{{{ns}}}updated").text = change.updated.isoformat()
    for name in change.themes:
        ET.SubElement(entry, f"{{{ns}}}category", {"term": one_line(name)})
    if change.summary.text:
        ET.SubElement(entry, f"{{{ns}}}summary", {"type": "text", **_xml_lang(change.summary, language)}).text = \
            clean_text(change.summary.text)
    lines = [change.summary.text, f"{_('Status')}: {change.status}", f"{_('Scope')}: {change.scope}"]
    lines += [words for words in (change.evidence, change.effect) if words]
    ET.SubElement(entry, f"{{{ns}}}content", {"type": "text"}).text = clean_text("\n\n".join(lines))
    ET.tostring(entry)  # anything else that cannot be serialised fails here, for this entry alone
    return entry
