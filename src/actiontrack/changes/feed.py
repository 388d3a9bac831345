"""The feeds of /changes: the newest changes, one entry each, as Atom (valid XML whatever the text holds)
and as JSON Feed 1.1 (for a careers site's own page), with the same entries in the same words."""

from __future__ import annotations

import json
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
    ordered = _newest(changes)
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
    ET.SubElement(entry, f"{{{ns}}}content", {"type": "text"}).text = _content_text(change)
    ET.tostring(entry)  # anything else that cannot be serialised fails here, for this entry alone
    return entry


def _content_text(change: PublicChange) -> str:
    """The whole change as plain text: summary, status, scope, and why and whether it worked when shown."""
    lines = [change.summary.text, f"{_('Status')}: {change.status}", f"{_('Scope')}: {change.scope}"]
    lines += [words for words in (change.evidence, change.effect) if words]
    return clean_text("\n\n".join(lines))


def _newest(changes: list[PublicChange]) -> list[PublicChange]:
    return sorted(changes, key=lambda change: (change.updated, change.id), reverse=True)[:FEED_ENTRIES]


def json_feed(*, changes: list[PublicChange], feed_url: str, page_url: str, language: str,
              filters: ChangeFilters) -> bytes:
    """The Atom feed's entries as JSON Feed 1.1 (https://jsonfeed.org/version/1.1); URLs are absolute."""
    query = filters.query_string(lang=language)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _("What we changed"),
        "home_page_url": f"{page_url}?{query}",
        "feed_url": f"{feed_url}?{query}",
        "language": language,
        "authors": [{"name": "actiontrack"}],
        "items": [_json_item(change, page_url=page_url, language=language) for change in _newest(changes)],
    }
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def _json_item(change: PublicChange, *, page_url: str, language: str) -> dict[str, object]:
    item: dict[str, object] = {
        "id": f"{page_url}#change-{change.id}",
        "url": f"{page_url}?lang={language}#change-{change.id}",
        "title": one_line(change.title.text),
        "content_text": _content_text(change),
        "date_published": (change.published or change.updated).isoformat(),
        "date_modified": change.updated.isoformat(),
        "tags": [one_line(name) for name in change.themes],
    }
    if change.summary.text:
        item["summary"] = clean_text(change.summary.text)
    if change.title.differs_from(language):  # a fallback: the title (and likely the text) is in another language
        item["language"] = change.title.lang
    return item
