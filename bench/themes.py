"""How good the theme suggestions are: precision, recall and F1 on the hand-tagged answers of
tests/samples/theme_answers.tsv, per language, per theme, dev and held-out, then on the fresh held-out corpus
tests/samples/theme_answers_heldout.tsv (never tuned on) apart, then on the blind corpus
tests/samples/theme_answers_blind.tsv (written without reading the rules) apart, and the slowest suggestion.

The themes and their keywords are those of a freshly migrated database (what HR finds before editing).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from sqlalchemy import select

from actiontrack.db import alembic_config, make_engine, make_sessionmaker
from actiontrack.models import Theme
from actiontrack.themes import rules
from actiontrack.themes.rules import suggest_themes

# 5,000 characters (the forms' limit) without a full stop, a theme's word every few words: the worst case
# for reading negation and praise around each of them.
LONG_ANSWERS = {
    "nl": ("mijn baas gaf nooit feedback en het loon was niet slecht maar de sfeer " * 80)[:5000],
    "fr": ("mon chef ne donnait jamais de feedback et le salaire était correct mais l'ambiance " * 80)[:5000],
    "en": ("my manager never gave feedback and the pay was fine but the team " * 80)[:5000],
}
ROUNDS = 5  # per answer; the median is reported, as single rounds on a shared machine catch other processes
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "samples" / "theme_answers.tsv"
# Written afresh for issue 26 before the rules were tuned against it, and never tuned on: reported apart.
FRESH_CORPUS = CORPUS.with_name("theme_answers_heldout.tsv")
# Written and tagged by someone who had read neither the rules nor the other corpora: reported apart, and its
# misses are never listed, so that nobody tunes on it by accident.
BLIND_CORPUS = CORPUS.with_name("theme_answers_blind.tsv")


@dataclass(frozen=True)
class Answer:
    """One hand-tagged answer of the corpus."""

    id: int
    language: str
    split: str
    themes: frozenset[str]
    text: str
    corpus: str = ""  # the file's name: ids are only unique within a corpus

    @property
    def key(self) -> tuple[str, int]:
        return self.corpus, self.id


def read_corpus(path: Path = CORPUS) -> list[Answer]:
    """The corpus's answers (lines starting with # are its description)."""
    answers = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, language, split, themes, text = line.split("\t")
        answers.append(Answer(int(number), language, split, frozenset(filter(None, themes.split(","))), text,
                              path.name))
    return answers


@dataclass
class Score:
    """Counts of right, wrong and missed themes over some answers."""

    hits: int = 0
    false_hints: int = 0
    misses: int = 0
    exact: int = 0
    answers: int = 0

    def add(self, found: frozenset[str], expected: frozenset[str]) -> None:
        self.hits += len(found & expected)
        self.false_hints += len(found - expected)
        self.misses += len(expected - found)
        self.exact += found == expected
        self.answers += 1

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.false_hints) if self.hits + self.false_hints else 1.0

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.hits + self.false_hints + self.misses
        return 2 * self.hits / total if total else 1.0


@dataclass
class Result:
    """What the suggestions found for each answer, and how long each took."""

    found: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)  # by Answer.key
    milliseconds: dict[tuple[str, int], float] = field(default_factory=dict)
    setup_ms: float = 0.0
    worst_ms: float = 0.0
    worst_cpu_ms: float = 0.0  # the slowest round in this thread's CPU time: without the waits of a busy machine


def suggest_all(themes: Sequence[Theme], answers: Iterable[Answer]) -> Result:
    """The suggested theme codes of every answer, timed one by one (each answer read for the first time)."""
    by_id = {theme.id: theme.code for theme in themes}
    result = Result()
    # The process's first call per language prepares the keywords and grammar once; timed apart.
    start = time.perf_counter()
    for language in ("nl", "fr", "en"):
        suggest_themes(themes, texts=["-"], language=language)
    result.setup_ms = (time.perf_counter() - start) * 1000
    for answer in answers:
        rounds = []
        for _round in range(ROUNDS):
            rules._read.cache_clear()  # each round reads the answer afresh, as a form would
            start, start_cpu = time.perf_counter(), time.thread_time()
            suggestions = suggest_themes(themes, texts=[answer.text], language=answer.language)
            rounds.append((time.perf_counter() - start) * 1000)
            result.worst_cpu_ms = max(result.worst_cpu_ms, (time.thread_time() - start_cpu) * 1000)
        result.milliseconds[answer.key] = statistics.median(rounds)
        result.worst_ms = max(result.worst_ms, *rounds)
        result.found[answer.key] = frozenset(by_id[theme_id] for theme_id in suggestions)
    return result


def seeded_themes() -> list[Theme]:
    """The themes of a freshly migrated throwaway SQLite database."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'themes.db'}"
        config = alembic_config(url)
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")

        async def load() -> list[Theme]:
            engine = make_engine(url)
            try:
                async with make_sessionmaker(engine)() as session:
                    found = await session.execute(select(Theme).order_by(Theme.position, Theme.id))
                    return list(found.scalars())
            finally:
                await engine.dispose()

        return asyncio.run(load())


def _line(label: str, score: Score) -> str:
    return (f"{label:<28}{score.answers:>8}{score.precision:>11.2f}{score.recall:>8.2f}{score.f1:>6.2f}"
            f"{score.exact:>7}/{score.answers:<4}")


def _report_corpus(path: Path, themes: Sequence[Theme], answers: Sequence[Answer], result: Result) -> None:
    print(f"corpus: {len(answers)} answers ({path.name}), themes: {len(themes)}")
    print(f"{'':<28}{'answers':>8}{'precision':>11}{'recall':>8}{'F1':>6}{'exact':>12}")
    groups: dict[str, Score] = {}
    per_theme: dict[str, Score] = {}
    for answer in answers:
        found, expected = result.found[answer.key], answer.themes
        for key in ("overall", f"{answer.split}", f"{answer.language}", f"{answer.language} {answer.split}"):
            groups.setdefault(key, Score()).add(found, expected)
        for theme in themes:
            if theme.code in found or theme.code in expected:
                per_theme.setdefault(theme.code, Score()).add(
                    frozenset({theme.code}) & found, frozenset({theme.code}) & expected)
    splits = {answer.split for answer in answers}
    keys = ["overall", "dev", "heldout", "nl", "fr", "en"]
    if len(splits) > 1:
        keys += ["nl dev", "nl heldout", "fr dev", "fr heldout", "en dev", "en heldout"]
    for key in keys:
        if key in groups:
            print(_line(key, groups[key]))
    print("per theme (answers that have or get it):")
    for theme in themes:
        if theme.code in per_theme:
            print(_line(f"  {theme.code}", per_theme[theme.code]))


def report_themes(*, show_misses: str | None = None) -> None:
    """Print the figures of the three corpora; `show_misses` ("dev" or "all") also lists the answers not exactly
    right ("dev": only the dev answers of the first corpus, the ones that may be read while tuning; "all": those of
    the first two corpora, never the blind one's)."""
    themes = seeded_themes()
    corpora = [(path, read_corpus(path)) for path in (CORPUS, FRESH_CORPUS, BLIND_CORPUS)]
    everything = [answer for _path, answers in corpora for answer in answers]
    # The suggestions are kept by id: an id in two corpora would score one corpus with the other's answers.
    clashing = sorted(number for number, count in Counter(answer.id for answer in everything).items() if count > 1)
    if clashing:
        raise SystemExit(f"answer ids in more than one corpus: {clashing[:10]}")
    result = suggest_all(themes, everything)
    for number, (path, answers) in enumerate(corpora):
        if number:
            print()
        _report_corpus(path, themes, answers, result)
    print()
    slowest = max(result.milliseconds, key=result.milliseconds.__getitem__)
    print(f"suggestion time per answer (median of {ROUNDS} rounds): typical "
          f"{statistics.median(result.milliseconds.values()):.3f} ms, "
          f"slowest answer {result.milliseconds[slowest]:.3f} ms "
          f"(answer {slowest[1]} of {slowest[0]}); slowest single round {result.worst_ms:.3f} ms on the clock, "
          f"{result.worst_cpu_ms:.3f} ms in CPU time; once per process, preparing the "
          f"keywords and grammar of three languages: {result.setup_ms:.1f} ms")
    for language, long_answer in LONG_ANSWERS.items():
        start = time.perf_counter()
        suggest_themes(themes, texts=[long_answer], language=language)
        print(f"the longest answer the forms take ({len(long_answer):,} characters, {language}, one run-on clause "
              f"full of theme words): {(time.perf_counter() - start) * 1000:.0f} ms")
    if show_misses:
        shown = corpora[0][1] if show_misses == "dev" else [*corpora[0][1], *corpora[1][1]]
        for answer in shown:
            found = result.found[answer.key]
            if found != answer.themes and (show_misses == "all" or answer.split == "dev"):
                extra, missing = sorted(found - answer.themes), sorted(answer.themes - found)
                print(f"  {answer.id:>3} {answer.language} +{','.join(extra) or '-'} -{','.join(missing) or '-'}  "
                      f"{answer.text}")
