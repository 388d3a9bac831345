"""What themes mean for the answers: suggestions from free text and low scores, and a valid theme.

A theme's keywords (HR keeps them per language) point at it where a word starts with one. Each such
word is then read in its clause with the grammar of lexicon.py: a theme denied ("het loon was niet het
probleem"), praised ("pay was fine") or thanked for ("merci pour tout") is no reason to leave, a lack is
("no training", "geen thuiswerk"), and phrases give a word its sense ("closer to family" is moving).
Words that only name people ("the team", "my manager") point at their theme when the words around them
complain, not when they are named beside another reason ("my manager did her best, but there was no training").
Suggestions are only offered, with the words that triggered them: HR decides whether a theme applies.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.i18n import gettext as _
from actiontrack.models import Theme, column_limit
from actiontrack.params import text_fields
from actiontrack.settings import LANGUAGES
from actiontrack.themes import lexicon

# --- suggestions from the answers ------------------------------------------------------------

_WORD = re.compile(r"\w+")
# A score at or below this on the 1-5 questions points at the theme the question is about.
LOW_SCORE = 2
# Which theme a low score suggests (the question's field on ExitInterview -> the theme's code).
LOW_SCORE_THEMES = {
    "manager_support_score": "management",
    "training_score": "training_onboarding",
    "recognition_score": "recognition",
    "tasks_match_score": "role_mismatch",
}
# The same for the stay interview's questions (StayInterview's score fields).
STAY_LOW_SCORE_THEMES = {
    "growth_score": "growth_career",
    "recognition_score": "recognition",
    "manager_support_score": "management",
    "workload_score": "workload_autonomy",
}
PAY_THEME = "pay_benefits"
MAX_WORDS_SHOWN = 6


def fold(text: str) -> str:
    """Lower case without accents, so that "Salarié" and "salarie" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def parse_keywords(raw: str) -> list[str]:
    """The comma-separated keywords of a theme, trimmed, without empties or duplicates."""
    keywords: list[str] = []
    seen: set[str] = set()
    for part in raw.split(","):
        keyword = " ".join(part.split())
        if keyword and fold(keyword) not in seen:
            seen.add(fold(keyword))
            keywords.append(keyword)
    return keywords


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """A keyword as folded word stems: "Voiture de société" -> ("voiture", "de", "societe")."""
    return tuple(fold(word) for word in _WORD.findall(unicodedata.normalize("NFC", keyword)))


@dataclass(frozen=True)
class Signal:
    """An answer that is not free text but still points at a theme (a low score, pay named as a reason)."""

    question: str  # the field of ExitInterview
    value: int | str


@dataclass
class Suggestion:
    """A theme the answers point at, with what pointed at it; HR decides whether it applies."""

    theme_id: int
    words: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)


@lru_cache(maxsize=256)
def _stems_of(raw_keywords: str) -> tuple[tuple[str, ...], ...]:
    """A theme's keywords in one language as stems; cached, as an import suggests themes for thousands of rows."""
    return tuple(stem for keyword in parse_keywords(raw_keywords) if (stem := keyword_stems(keyword)))


# A word, or "n't" read as "not" ("wasn't" -> "was", "not").
_TOKEN = re.compile(r"n['’]t\b|\w+?(?=n['’]t\b)|\w+")
_SENTENCE_END = re.compile(r"[.!?;…\n]")
_CLAUSE_END = re.compile(r"[,:()\[\]–—/]| - ")
_PRAISE_WINDOW = 7  # words after a theme's word in which its praise may come ("the pay I got was fine")
_LIST_ITEM = 6  # words at most in an item of a list without a verb ("mijn collega's en mijn loon")
# A Dutch compound ends with a keyword of at least _TAIL_STEM letters, after at least _TAIL_HEAD
# letters, followed by at most _TAIL_ENDING letters of inflection ("angstcultuur", "ploegbazen").
_TAIL_STEM, _TAIL_HEAD, _TAIL_ENDING = 4, 3, 3
_START = 3  # letters by which stems are looked up
_SCOPE = 12  # words before and after a theme's word that its negation, praise or thanks may be in
_SENSE_WEIGHT = 1000  # a phrase of lexicon.SENSES wins over any keyword it overlaps (plus its length)


# Phrases by their first word, longest first: finding the phrase at a word is one dictionary look-up.
_Phrases = Mapping[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class _Grammar:
    """The words of lexicon.py for one language (or for all, when the answer's language is unknown)."""

    contrasts: _Phrases
    negations: frozenset[str]
    negation_phrases: _Phrases
    denied_reasons: tuple[re.Pattern[str], ...]
    denials: tuple[re.Pattern[str], ...]
    denied_after: tuple[re.Pattern[str], ...]
    problems: frozenset[str]
    only: frozenset[str]
    cleared_by: tuple[re.Pattern[str], ...]
    praise: frozenset[str]
    praise_phrases: _Phrases
    praise_after_noun: frozenset[str]
    links_before: frozenset[str]
    links: _Phrases
    degrees: _Phrases
    praised_after: _Phrases
    past: _Phrases
    resumptions: _Phrases
    thanks: _Phrases
    senses: tuple[tuple[re.Pattern[str], str | None], ...]
    compounding: bool
    gaps: frozenset[str]
    weak: frozenset[str]
    leaders: frozenset[str]
    reported: frozenset[str]
    agents: frozenset[str]
    complaints: frozenset[str]
    complaint_phrases: _Phrases


@lru_cache(maxsize=8)
def _grammar(language: str | None) -> _Grammar:
    languages = [language] if language in LANGUAGES else list(LANGUAGES)

    def phrases(table: Mapping[str, Iterable[str]], *, shortest: int = 1) -> _Phrases:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted({tuple(fold(entry).split()) for lang in languages for entry in table[lang]},
                             key=len, reverse=True):
            if len(phrase) >= shortest:
                index.setdefault(phrase[0], []).append(phrase)
        return {first: tuple(found) for first, found in index.items()}

    def words(table: Mapping[str, Iterable[str]]) -> frozenset[str]:
        return frozenset(fold(entry) for lang in languages for entry in table[lang] if " " not in entry)

    return _Grammar(
        contrasts=phrases(lexicon.CONTRASTS),
        negations=words(lexicon.NEGATIONS),
        negation_phrases=phrases(lexicon.NEGATIONS, shortest=2),
        denied_reasons=tuple(re.compile(pattern) for lang in languages for pattern in lexicon.DENIED_REASONS[lang]),
        denials=tuple(re.compile(pattern) for lang in languages for pattern in lexicon.DENIALS[lang]),
        denied_after=tuple(re.compile(pattern) for lang in languages for pattern in lexicon.DENIED_AFTER[lang]),
        problems=words(lexicon.PROBLEMS),
        only=words(lexicon.ONLY),
        cleared_by=tuple(re.compile(pattern) for lang in languages for pattern in lexicon.CLEARED_BY[lang]),
        praise=words(lexicon.PRAISE) | words(lexicon.PRAISE_AFTER_NOUN),
        praise_phrases=phrases(lexicon.PRAISE, shortest=2),
        praise_after_noun=words(lexicon.PRAISE_AFTER_NOUN),
        links_before=words(lexicon.LINKS_BEFORE),
        links=phrases(lexicon.LINKS),
        degrees=phrases(lexicon.DEGREES),
        praised_after=phrases(lexicon.PRAISED_AFTER),
        past=phrases(lexicon.PAST),
        resumptions=phrases(lexicon.RESUMPTIONS),
        thanks=phrases(lexicon.THANKS),
        senses=tuple((re.compile(pattern), theme) for lang in languages for pattern, theme in lexicon.SENSES[lang]),
        compounding=any(lang in lexicon.COMPOUNDING for lang in languages),
        gaps=words(lexicon.GAPS),
        weak=words(lexicon.WEAK),
        leaders=frozenset(" ".join(fold(entry).split()) for lang in languages for entry in lexicon.LEADERS[lang]),
        agents=words(lexicon.AGENTS),
        reported=words(lexicon.REPORTED),
        complaints=words(lexicon.COMPLAINTS),
        complaint_phrases=phrases(lexicon.COMPLAINTS, shortest=2),
    )


@dataclass(frozen=True)
class _Reading:
    """An answer's words (folded, with their places in the text) and the clauses they fall in.

    A sentence ends at . ! ? ; : ; a clause also at a comma or a contrast ("but", "maar", "mais");
    a segment is a sentence cut at contrasts only (a list "my manager, the team or the pay" stays whole).
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...]
    clause: tuple[int, ...]  # the index of the first word of each word's clause
    clause_end: tuple[int, ...]  # the index after the last word of each word's clause
    segment: tuple[int, ...]
    segment_end: tuple[int, ...]
    joined: str  # the folded words joined by single spaces
    offsets: tuple[int, ...]  # where each word starts in `joined`

    def between(self, start: int, end: int) -> str:
        """The folded words from index start to end (excluded), joined by spaces."""
        if start >= end:
            return ""
        return self.joined[self.offsets[start]:self.offsets[end - 1] + len(self.words[end - 1])]

    def word_at(self, position: int) -> int:
        """The index of the word that starts at `position` in `joined` (or the next one)."""
        return bisect_left(self.offsets, position)

    def starts_with(self, index: int, phrase: tuple[str, ...], end: int) -> bool:
        return index + len(phrase) <= end and self.words[index:index + len(phrase)] == phrase


@lru_cache(maxsize=256)
def _read(text: str, language: str | None) -> _Reading:
    """An (NFC) text cut into words, clauses and segments; cached while every theme reads the same answer."""
    grammar = _grammar(language)
    spans: list[tuple[int, int]] = []
    words: list[str] = []
    for match in _TOKEN.finditer(text):
        word = fold(match.group())
        spans.append((match.start(), match.end()))
        words.append("not" if word in {"n't", "n’t"} else word)
    clause_starts, segment_starts = [0] * len(words), [0] * len(words)
    clause, segment = 0, 0
    for index in range(1, len(words)):
        gap = text[spans[index - 1][1]:spans[index][0]]
        if _SENTENCE_END.search(gap) or any(words[index:index + len(phrase)] == list(phrase)
                                             for phrase in grammar.contrasts.get(words[index], ())):
            clause = segment = index
        elif _CLAUSE_END.search(gap):
            clause = index
        clause_starts[index], segment_starts[index] = clause, segment
    offsets, position = [], 0
    for word in words:
        offsets.append(position)
        position += len(word) + 1

    def ends(starts: list[int]) -> tuple[int, ...]:
        result, end = [0] * len(starts), len(starts)
        for index in range(len(starts) - 1, -1, -1):
            result[index] = end
            if starts[index] == index:
                end = index
        return tuple(result)

    return _Reading(text, tuple(spans), tuple(words), tuple(clause_starts), ends(clause_starts),
                    tuple(segment_starts), ends(segment_starts), " ".join(words), tuple(offsets))


@dataclass(frozen=True)
class _Hit:
    """Words of an answer that point at a theme: the words from `start` to `end` (excluded)."""

    theme_id: int | None  # None: a phrase in which a keyword means no theme
    start: int
    end: int
    weight: int  # letters of the keyword (or phrase): where themes overlap, the longer one wins
    alongside: bool = False  # a phrase that adds its theme without taking the words from other themes


@dataclass(frozen=True)
class _Keywords:
    """The themes' keyword stems, indexed for reading many answers."""

    by_start: Mapping[str, tuple[tuple[int, tuple[str, ...]], ...]]  # stems by their first (up to 3) letters
    tails: re.Pattern[str] | None  # one-word stems of four letters or more, longest first
    tail_themes: Mapping[str, tuple[int, ...]]


@lru_cache(maxsize=32)
def _keywords(themes: tuple[tuple[int, tuple[str, ...]], ...]) -> _Keywords:
    """The index of each theme's stems, from (theme id, its raw keywords in the languages read); cached
    while the themes and their keywords stay the same."""
    by_start: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    tail_themes: dict[str, list[int]] = {}
    for theme_id, raw in themes:
        for stem in (stem for keywords in raw for stem in _stems_of(keywords)):
            by_start.setdefault(stem[0][:_START], []).append((theme_id, stem))
            if len(stem) == 1 and len(stem[0]) >= _TAIL_STEM:
                tail_themes.setdefault(stem[0], []).append(theme_id)
    tails = re.compile("|".join(map(re.escape, sorted(tail_themes, key=len, reverse=True)))) if tail_themes else None
    return _Keywords({start: tuple(found) for start, found in by_start.items()}, tails,
                     {stem: tuple(ids) for stem, ids in tail_themes.items()})


def _stem_end(words: tuple[str, ...], index: int, stem: tuple[str, ...], gaps: frozenset[str]) -> int:
    """Where the words of `stem` end if they start the words from `index` on, in order, with at most one word of
    lexicon.GAPS between two of them ("zelf niets beslissen" for "zelf beslissen"); 0 if they do not."""
    place, gapped = index, False
    for number, part in enumerate(stem):
        if place < len(words) and words[place].startswith(part):
            place += 1
        elif (number and not gapped and place + 1 < len(words) and words[place] in gaps
              and words[place + 1].startswith(part)):
            place, gapped = place + 2, True
        else:
            return 0
    return place


def _keyword_hits(reading: _Reading, keywords: _Keywords, compounding: bool,
                  gaps: frozenset[str]) -> list[_Hit]:
    """Where the keywords' stems start words (all words of a multi-word keyword, in order, one word of
    lexicon.GAPS at most between them).

    In a compounding language (Dutch), a keyword may also end a word that no keyword starts
    ("angstcultuur", "ploegbaas"), if it has four letters or more and at most three follow it.
    """
    words = reading.words
    hits: list[_Hit] = []
    started: set[int] = set()
    for index, word in enumerate(words):
        for theme_id, stem in (found for length in range(1, _START + 1)
                               for found in keywords.by_start.get(word[:length], ()) if len(word) >= length):
            end = _stem_end(words, index, stem, gaps)
            if end:
                hits.append(_Hit(theme_id, index, end, sum(map(len, stem))))
                started.add(index)
    if compounding and keywords.tails:
        for index, word in enumerate(words):
            if index in started or len(word) < _TAIL_STEM + _TAIL_HEAD:
                continue
            for place in range(_TAIL_HEAD, len(word) - _TAIL_STEM + 1):
                match = keywords.tails.match(word, place)
                if match and len(word) - match.end() <= _TAIL_ENDING:
                    hits.extend(_Hit(theme_id, index, index + 1, len(match.group()))
                                for theme_id in keywords.tail_themes[match.group()])
                    break
    return hits


def _sense_hits(reading: _Reading, grammar: _Grammar, theme_ids: Mapping[str, int]) -> list[_Hit]:
    """Phrases in which a keyword has another sense, as hits of the theme they point at (or of none)."""
    hits = []
    for pattern, code in grammar.senses:
        for match in pattern.finditer(reading.joined):
            group = "word" if "word" in pattern.groupindex else 0
            start = reading.word_at(match.start(group))
            end = reading.word_at(match.end(group))
            alongside = bool(code and code.startswith("+"))
            code = code[1:] if code and alongside else code
            if code is None or code in theme_ids:
                # Of two phrases that overlap, the longer says more ("wanted more responsibility").
                hits.append(_Hit(theme_ids.get(code or ""), start, end, _SENSE_WEIGHT + match.end() - match.start(),
                                 alongside))
    return hits


def _kept_over_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Where hits of different themes share words, only the longest keyword (or a sense phrase) counts."""
    kept = []
    for hit in hits:
        rivals = [other for other in hits if other.theme_id != hit.theme_id and not other.alongside
                  and other.start < hit.end and hit.start < other.end]
        if hit.alongside:  # only a phrase that gives the words no theme at all takes them from it
            rivals = [other for other in rivals if other.theme_id is None]
        if all(other.weight <= hit.weight for other in rivals):
            kept.append(hit)
    return [hit for hit in kept if hit.theme_id is not None]


def _negated_before(reading: _Reading, grammar: _Grammar, index: int, start: int, reach: int = 3) -> bool:
    """Whether a negation stands in the `reach` words before `index` (not before `start`)."""
    for before in range(max(start, index - reach), index):
        if reading.words[before] in grammar.negations:
            return True
        if _phrase_at(reading, before, grammar.negation_phrases, index):
            return True
    return False


def _phrase_at(reading: _Reading, index: int, phrases: _Phrases, end: int) -> int:
    """The length of the longest of `phrases` that starts at `index` (0 if none)."""
    for phrase in phrases.get(reading.words[index], ()) if index < end else ():
        if reading.starts_with(index, phrase, end):
            return len(phrase)
    return 0


def _listed(reading: _Reading, grammar: _Grammar, start: int, end: int) -> bool:
    """Whether the words from start to end are a short item without a verb ("Mijn baas", "mijn loon")."""
    return end - start <= _LIST_ITEM and not any(
        _phrase_at(reading, index, grammar.links, end) or reading.words[index] in grammar.negations
        for index in range(start, end))


def _praise_after(reading: _Reading, grammar: _Grammar, index: int, end: int, *, linked: bool,
                  adjacent: bool) -> bool:
    """Whether praise follows from `index` (within the window, before `end`): "was fine", "ça allait"."""
    words = reading.words
    start = index
    while index < min(end, start + _PRAISE_WINDOW):
        after = _phrase_at(reading, index, grammar.praised_after, end)
        if after:  # "ça va", but not "ça va pas"
            return index + after >= end or words[index + after] not in grammar.negations
        if _phrase_at(reading, index, grammar.praise_phrases, end):  # "not bad", "niet slecht", "pas mal"
            return linked
        if words[index] in grammar.negations:  # "was not good", "n'était pas bien"
            return False
        if words[index] in grammar.praise and (
                linked or (adjacent and index == start and words[index] in grammar.praise_after_noun)):
            return True
        link = _phrase_at(reading, index, grammar.links, end)
        if link:
            linked = True
            index += link
            continue
        index += _phrase_at(reading, index, grammar.degrees, end) or 1
    return False


def _praised(reading: _Reading, grammar: _Grammar, hit: _Hit) -> bool:
    """Whether the clause praises the hit's words: "was fine" after them, "great" just before them."""
    clause = max(reading.clause[hit.start], hit.start - _SCOPE)
    end = min(reading.clause_end[hit.start], hit.end + _SCOPE)
    words = reading.words
    if any(_phrase_at(reading, place, grammar.past, end) for place in range(clause, end)):
        return False
    # "Ik vond de sfeer leuk": the link comes before the theme's words.
    linked = any(word in grammar.links_before for word in words[clause:hit.start])
    if _praise_after(reading, grammar, hit.end, end, linked=linked, adjacent=True):
        return True
    # Short items without a verb ("Le télétravail, ...", "Mijn baas, mijn collega's en mijn loon: ...") are
    # commented on by a later clause of the sentence that takes them up ("ça allait", "allemaal in orde").
    scan = clause
    while _listed(reading, grammar, scan, reading.clause_end[scan]):
        scan = reading.clause_end[scan]
        if scan >= len(words) or reading.segment[scan] != reading.segment[hit.start] or scan - hit.end > _SCOPE:
            break
        scan_end = reading.clause_end[scan]
        resumed = _phrase_at(reading, scan, grammar.resumptions, scan_end)
        if resumed:
            # The comment starts with its verb or praise ("ça allait", "allemaal in orde", "that was fine");
            # "het werk zelf was prima" is about something else.
            comment = scan + resumed
            if not _phrase_at(reading, scan, grammar.praised_after, scan_end) and not (
                    comment < scan_end and (words[comment] in grammar.praise
                                            or any(_phrase_at(reading, comment, table, scan_end) for table in (
                                                grammar.links, grammar.degrees, grammar.praise_phrases,
                                                grammar.praised_after)))):
                break
            if not any(_phrase_at(reading, place, grammar.past, scan_end) for place in range(scan, scan_end)) \
                    and _praise_after(reading, grammar, scan, scan_end, linked=True, adjacent=False):
                return True
            break
    # "great colleagues", "toffe collega's", "une super équipe": praise just before the words.
    for reach in (1, 2):
        before = hit.start - reach
        if before < clause:
            break
        if words[before] in grammar.praise and (reach == 1 or _phrase_at(reading, before + 1, grammar.degrees,
                                                                          hit.start)):
            return not _negated_before(reading, grammar, before, clause, reach=2)
    return False


def _ends_with(pattern: re.Pattern[str], before: str) -> bool:
    """Whether `pattern` (ending in " $") matches the end of `before`, or did so at an earlier word's end
    of the same words (the denial's reach: "not the pay or the hours")."""
    return any(pattern.search(before[:cut + 1]) for cut in _word_ends(before))


def _word_ends(before: str) -> list[int]:
    return [index for index, char in enumerate(before) if char == " "]


def _denied_after(reading: _Reading, grammar: _Grammar, hit: _Hit) -> bool:
    """Whether words after the hit's clear it ("aan mijn baas lag het niet", "had nothing to do with it"): read
    from each word after the hit up to the first verb or negation of the sentence, as a list may come between
    ("my manager, the team and the pay had nothing to do with it") but another clause may not ("my manager was
    rude and the team had nothing to do with it" clears the team only)."""
    end = min(reading.segment_end[hit.start], hit.end + _SCOPE)
    words = reading.words
    for index in range(hit.end, end):
        after = reading.between(index, end)
        if any(pattern.match(after) for pattern in grammar.denied_after):
            return True
        if words[index] in grammar.negations or _phrase_at(reading, index, grammar.links, end):
            return False
    return False


def _denied(reading: _Reading, grammar: _Grammar, hit: _Hit) -> bool:
    """Whether the answer says the hit's theme was no reason: denied, praised, cleared or thanked for."""
    # Negation, praise and thanks reach a few words, not the whole of a long run-on answer (which would
    # also take time in proportion to its length for every theme's word in it).
    clause = max(reading.clause[hit.start], hit.start - _SCOPE)
    segment = max(reading.segment[hit.start], hit.start - 2 * _SCOPE)
    clause_end = min(reading.clause_end[hit.start], hit.end + _SCOPE)
    words = reading.words
    # "it wasn't the pay", "niet om het geld": the denial reaches to the end of the clause; a reason
    # denied also reaches over the items of a list ("not because of my manager, the team or the pay"),
    # up to a clause with a verb of its own ("..., it was the lack of training").
    in_clause = reading.between(clause, hit.start) + " "
    reach = clause
    while reach > segment and not any(_phrase_at(reading, index, grammar.links, hit.start)
                                      for index in range(reach, hit.start)):
        reach = max(reading.clause[reach - 1], segment)
    in_segment = reading.between(reach, hit.start) + " "
    if any(_ends_with(pattern, in_clause) for pattern in grammar.denials) or any(
            _ends_with(pattern, in_segment) for pattern in grammar.denied_reasons):
        return True
    if _denied_after(reading, grammar, hit):
        return True
    for index in range(clause, clause_end):
        # "X was not the problem", "geen klachten over X", "aucun reproche à X".
        if words[index] in grammar.problems and _negated_before(reading, grammar, index, clause) and not any(
                words[between] in grammar.only for between in range(max(clause, index - 3), index)):
            return True
        # "Thanks to the whole team", "merci pour tout" (but not "nobody ever said thank you").
        # (A phrase of thanks wished for, "a thank-you from management", is not thanks given.)
        inside_phrase = hit.weight >= _SENSE_WEIGHT and hit.start <= index < hit.end
        if not inside_phrase and _phrase_at(reading, index, grammar.thanks, clause_end) and not _negated_before(
                reading, grammar, index, clause, reach=index - clause):
            return True
    # "I liked the team", "j'ai apprécié l'ambiance" (also when the verb is itself a theme's word).
    before = reading.between(clause, hit.end)
    for pattern in grammar.cleared_by:
        last = next(reversed(list(pattern.finditer(before))), None)
        if last and not _negated_before(reading, grammar, reading.word_at(last.start()), clause, reach=2):
            return True
    return _praised(reading, grammar, hit)


def _complains(reading: _Reading, grammar: _Grammar, start: int, end: int, skip: int) -> bool:
    """Whether the words from start to end (but the one at `skip`) hold a negation or a complaint."""
    for index in range(start, end):
        if index != skip and (reading.words[index] in grammar.complaints or reading.words[index] in grammar.negations
                              or _phrase_at(reading, index, grammar.complaint_phrases, end)
                              or _phrase_at(reading, index, grammar.negation_phrases, end)):
            return True
    return False


def _unsupported(reading: _Reading, grammar: _Grammar, hit: _Hit, others: list[_Hit]) -> bool:
    """Whether the hit only names people in words that complain about nothing: "the team", "mes collègues"
    in a sentence without a negation or a word of lexicon.COMPLAINTS; "my manager", "de directie" in a
    clause without them, unless named as the ones who did it ("by my boss") or with another of the theme's
    words in the clause ("my manager never gave feedback")."""
    if hit.weight >= _SENSE_WEIGHT:
        return False
    words = reading.words
    if hit.end - hit.start == 1 and (words[hit.start] in grammar.weak or words[hit.start].rstrip("s") in grammar.weak):
        start, end = max(reading.segment[hit.start], hit.start - _SCOPE), min(reading.segment_end[hit.start],
                                                                              hit.end + _SCOPE)
        return not _complains(reading, grammar, start, end, hit.start)
    if reading.between(hit.start, hit.end) in grammar.leaders or words[hit.end - 1] in grammar.leaders:
        start, end = max(reading.clause[hit.start], hit.start - _SCOPE), min(reading.clause_end[hit.start],
                                                                             hit.end + _SCOPE)
        # Alone in the answer, a leader named is what the answer is about ("De directie.", "my boss").
        if not any(other.theme_id not in (hit.theme_id, None) for other in others):
            return False
        if any(words[before] in grammar.agents for before in range(max(start, hit.start - 2), hit.start)):
            return False
        # "my manager admitted that the workload...": what follows "that" is not said of the leader.
        for index in range(hit.end + 1, end):
            if words[index] in grammar.reported and words[index - 1] not in grammar.leaders:
                end = index
                break
        if any(other.theme_id == hit.theme_id and other is not hit and start <= other.start < end
               and reading.between(other.start, other.end) not in grammar.leaders
               and words[other.end - 1] not in grammar.leaders for other in others):
            return False
        return not _complains(reading, grammar, start, end, hit.start)
    return False


def _suggesting_words(text: str, language: str | None, keywords: _Keywords,
                      theme_ids: Mapping[str, int]) -> list[tuple[int, str]]:
    """The themes an answer gives as reasons, each with the words of the text that say so, in order."""
    grammar = _grammar(language)
    reading = _read(unicodedata.normalize("NFC", text), language)
    hits = (_keyword_hits(reading, keywords, grammar.compounding, grammar.gaps)
            + _sense_hits(reading, grammar, theme_ids))
    found = [hit for hit in _kept_over_overlaps(hits) if not _denied(reading, grammar, hit)]
    kept = sorted((hit for hit in found if not _unsupported(reading, grammar, hit, found)),
                  key=lambda hit: (hit.start, -hit.end))
    return [(hit.theme_id, reading.text[reading.spans[hit.start][0]:reading.spans[hit.end - 1][1]])
            for hit in kept if hit.theme_id is not None]


def suggest_themes(
    themes: Iterable[Theme],
    *,
    texts: Iterable[str],
    language: str | None = None,
    scores: Mapping[str, int | None] | None = None,
    pay_factor: str | None = None,
    low_score_themes: Mapping[str, str] = LOW_SCORE_THEMES,
) -> dict[int, Suggestion]:
    """Themes suggested by the free-text answers (keyword stems) and by low scores, per theme id.

    The keywords of the answers' language are used; without a language, those of every language.
    Retired themes are never suggested. `low_score_themes` says which theme a low score on each
    question points at (the exit questions unless told otherwise).
    """
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    texts = [text for text in texts if text]
    by_code: dict[str, Theme] = {}
    for theme in themes:
        if theme.active:
            by_code[theme.code] = theme
    keywords = _keywords(tuple((theme.id, tuple(getattr(theme, f"keywords_{lang}") for lang in languages))
                               for theme in by_code.values()))
    theme_ids = {code: theme.id for code, theme in by_code.items()}
    words: dict[int, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    for text in texts:
        for theme_id, shown in _suggesting_words(text, language if language in LANGUAGES else None, keywords,
                                                 theme_ids):
            if (theme_id, fold(shown)) not in seen:
                seen.add((theme_id, fold(shown)))
                words.setdefault(theme_id, []).append(shown)
    suggestions: dict[int, Suggestion] = {
        theme.id: Suggestion(theme.id, words=words[theme.id][:MAX_WORDS_SHOWN])
        for theme in by_code.values() if theme.id in words
    }

    def add_signal(code: str, signal: Signal) -> None:
        theme = by_code.get(code)
        if theme is not None:
            suggestions.setdefault(theme.id, Suggestion(theme.id)).signals.append(signal)

    for question, code in low_score_themes.items():
        score = (scores or {}).get(question)
        if score is not None and score <= LOW_SCORE:
            add_signal(code, Signal(question, score))
    if pay_factor == "yes":
        add_signal(PAY_THEME, Signal("pay_factor", pay_factor))
    return suggestions


# --- a valid theme ----------------------------------------------------------------------------

MAX_NAME = column_limit(Theme, "name_en")
MAX_DESCRIPTION = column_limit(Theme, "description_en")
MAX_KEYWORD = 60
MIN_KEYWORD = 3
MAX_KEYWORDS = 100
MAX_CODE = column_limit(Theme, "code")


@text_fields(per_language=("name", "description", "keywords"))
class ThemeForm:
    """A theme as HR types it on the themes page (and `active`)."""

    active: str = ""

    @classmethod
    def of(cls, theme: Theme) -> ThemeForm:
        values = {name: getattr(theme, name) for name in cls.__dataclass_fields__ if name != "active"}
        return cls(**values, active="on" if theme.active else "")


@dataclass(frozen=True)
class Validated:
    """A theme form's tidied values and a message per field that breaks a rule."""

    values: dict[str, object]
    errors: dict[str, str]


def _clean_text(value: str) -> str:
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()


async def validate_theme(session: AsyncSession, *, form: ThemeForm, current_id: int | None = None) -> Validated:
    """Check a theme form: a name in every language (unique per language), sensible keywords."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    others = select(Theme.id, Theme.name_nl, Theme.name_fr, Theme.name_en)
    if current_id is not None:
        others = others.where(Theme.id != current_id)
    taken = {lang: set() for lang in LANGUAGES}
    for _id, *names in (await session.execute(others)).all():
        for lang, name in zip(LANGUAGES, names, strict=True):
            taken[lang].add(fold(name))
    for lang in LANGUAGES:
        name = " ".join(getattr(form, f"name_{lang}").split())
        if not name:
            errors[f"name_{lang}"] = _("Enter a name.")
        elif len(name) > MAX_NAME:
            errors[f"name_{lang}"] = _("Use at most %(max)d characters.") % {"max": MAX_NAME}
        elif fold(name) in taken[lang]:
            errors[f"name_{lang}"] = _("Another theme already has this name.")
        values[f"name_{lang}"] = name

        description = _clean_text(getattr(form, f"description_{lang}"))
        if len(description) > MAX_DESCRIPTION:
            errors[f"description_{lang}"] = _("Use at most %(max)d characters.") % {"max": MAX_DESCRIPTION}
        values[f"description_{lang}"] = description

        keywords = parse_keywords(getattr(form, f"keywords_{lang}"))
        problem = _keyword_problem(keywords)
        if problem:
            errors[f"keywords_{lang}"] = problem
        values[f"keywords_{lang}"] = ",".join(keywords)
    return Validated(values, errors)


def _keyword_problem(keywords: list[str]) -> str | None:
    if len(keywords) > MAX_KEYWORDS:
        return _("Use at most %(max)d keywords.") % {"max": MAX_KEYWORDS}
    for keyword in keywords:
        stems = keyword_stems(keyword)
        if len(keyword) > MAX_KEYWORD:
            return _("Keep each keyword under %(max)d characters: %(keyword)s") % {
                "max": MAX_KEYWORD, "keyword": keyword[:MAX_KEYWORD] + "…",
            }
        # A stem of one or two letters would match almost any answer.
        if not stems or len("".join(stems)) < MIN_KEYWORD:
            return _("Each keyword needs at least %(min)d letters: %(keyword)s") % {
                "min": MIN_KEYWORD, "keyword": keyword}
    return None
