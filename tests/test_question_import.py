"""The interviews spreadsheet import carries HR's extra questions: a column can be mapped to one, its cells are
checked by the question's kind (a score 1-5; yes/no in nl, fr or en; an option of the list; free text), and a
bad cell is a problem of its row like any other."""

from __future__ import annotations

from typing import Any

from test_import import committed, form_of, groups, upload, value_field  # noqa: F401 (groups: a fixture)
from test_questions import add_question

from actiontrack.models import ExitInterview, ExtraQuestion, QuestionAnswer

from conftest import Persona, count, rows

HEADER = ("Dept;Job family;Tenure;Leaving date;Reason for leaving;Pay a factor?;Tasks matched (1-5);"
          "Manager support (1-5);Training (1-5);Recognition (1-5);Come back?;Recommend (0-10);"
          "Did your role match the job description?;Enough time to learn?;What slowed you most?;Anything else?")


def line(department: str, reason: str, score: str, yes_no: str, choice: str, text: str = "") -> str:
    return f"{department};IT developer;2-5;2026-03-10;{reason};No;4;4;3;3;Yes;8;{score};{yes_no};{choice};{text}"


def sheet(*lines: str) -> bytes:
    return "\n".join((HEADER, *lines)).encode()


def questions(hr: Persona, database_url: str, it: int) -> dict[str, ExtraQuestion]:
    return {
        "fit": add_question(hr, database_url, department_ids=[str(it)]),
        "learn": add_question(hr, database_url, kind="yes_no", text_en="Enough time to learn?",
                              text_nl="Genoeg tijd om bij te leren?", text_fr="Assez de temps pour vous former\u00a0?"),
        "slowed": add_question(hr, database_url, kind="choice", text_en="What slowed you most?", text_nl="", text_fr="",
                               options_en="Outdated tools\nMeetings\nUnclear priorities",
                               options_nl="Verouderde tools\nVergaderingen\nOnduidelijke prioriteiten",
                               options_fr=""),
        "else": add_question(hr, database_url, kind="text", text_en="Anything else?", text_nl="", text_fr=""),
    }


def test_extra_question_columns_are_mapped_checked_per_row_and_imported(
    hr: Persona, groups: dict[str, int], database_url: str,  # noqa: F811
) -> None:
    asked = questions(hr, database_url, groups["IT"])
    content = sheet(
        line("IT", "A job closer to home.", "4", "Ja", "Meetings", "Fewer meetings, please."),
        line("IT", "Better pay elsewhere.", "Helemaal mee eens", "non", "Vergaderingen"),
        line("IT", "Moving abroad.", "7", "maybe", "Coffee"),
        line("IT", "Burn-out.", "", "", ""),
        line("Logistics", "New challenge.", "3", "yes", "Outdated tools"),
    )
    response = upload(hr, "questions.csv", content)
    assert response.status_code == 303, response.text
    address = response.headers["location"]
    html = hr.client.get(address).text
    fields = form_of(html)
    # The columns are guessed from the question's wording, in any of its languages.
    assert fields["column-12"] == f"question_{asked['fit'].id}"
    assert fields["column-13"] == f"question_{asked['learn'].id}"
    assert fields["column-14"] == f"question_{asked['slowed'].id}"
    assert fields["column-15"] == f"question_{asked['else'].id}"
    # Values as people write them: yes/no in three languages, an option in any language, agreement words.
    assert fields[value_field(html, "Ja")] == "yes" and fields[value_field(html, "non")] == "no"
    assert fields[value_field(html, "Vergaderingen")] == "1"
    assert fields[value_field(html, "Helemaal mee eens")] == "5"
    # Bad cells are problems of their row, with the question's words.
    assert "3 rows will be imported." in html and "2 rows have problems." in html
    assert "Did your role match the job description?: Choose a score from 1 to 5. (“7”)" in html
    assert "Enough time to learn?: “maybe” is not one of the answers" in html
    assert "What slowed you most?: “Coffee” is not one of the answers" in html
    assert ("Did your role match the job description?: This question is not asked of this department or job "
            "family.") in html
    refused = hr.post(f"{address}/commit", fields, follow_redirects=False)
    assert refused.status_code == 400 and count(database_url, QuestionAnswer) == 0  # nothing half-saved

    # HR maps the values by hand; the row whose group is not asked the question is skipped.
    fields[value_field(html, "7")] = "5"
    fields[value_field(html, "maybe")] = "no"
    fields[value_field(html, "Coffee")] = "2"
    preview = hr.post(address, fields)
    assert "4 rows will be imported." in preview.text and "1 row has a problem." in preview.text
    committed(hr, address, {**form_of(preview.text), "skip_problems": "1"})
    interviews = {item.reason_for_leaving: item.id for item in rows(database_url, ExitInterview)}
    assert len(interviews) == 4
    answers = {(answer.interview_id, answer.question_id): (answer.value, answer.text)
               for answer in rows(database_url, QuestionAnswer)}
    first, second, third = (interviews[reason] for reason in ("A job closer to home.", "Better pay elsewhere.",
                                                              "Moving abroad."))
    fit, learn, slowed, other = (asked[name].id for name in ("fit", "learn", "slowed", "else"))
    assert answers == {
        (first, fit): (4, ""), (first, learn): (1, ""), (first, slowed): (1, ""),
        (first, other): (None, "Fewer meetings, please."),
        (second, fit): (5, ""), (second, learn): (0, ""), (second, slowed): (1, ""),
        (third, fit): (5, ""), (third, learn): (0, ""), (third, slowed): (2, ""),
    }
    # HR sees an imported answer on the interview.
    page = hr.client.get(f"/interviews/{first}").text
    assert "Enough time to learn?" in page and "Fewer meetings, please." in page


def test_a_retired_question_is_not_offered_for_a_column(hr: Persona, groups: dict[str, int],  # noqa: F811
                                                        database_url: str) -> None:
    asked = questions(hr, database_url, groups["IT"])
    assert hr.post(f"/questions/{asked['learn'].id}/retire", {}, follow_redirects=False).status_code == 303
    response = upload(hr, "questions.csv", sheet(line("IT", "A job closer to home.", "4", "Ja", "Meetings")))
    html = hr.client.get(response.headers["location"]).text
    assert f'value="question_{asked["learn"].id}"' not in html
    assert form_of(html)["column-13"] == "ignore"
    assert f'value="question_{asked["fit"].id}"' in html


def test_yes_and_no_are_read_in_three_languages() -> None:
    from actiontrack.imports.mapping import guess_value
    from actiontrack.interviews.rules import FormOptions

    question = ExtraQuestion(id=9, kind="yes_no", text_en="Enough time?")
    options = FormOptions(departments=[], job_families=[], themes=[])
    read: dict[str, Any] = {raw: guess_value("question_9", raw, options, [question])
                            for raw in ("Ja", "nee", "Oui", "NON", "yes", "No", "peut-être")}
    assert read == {"Ja": "yes", "nee": "no", "Oui": "yes", "NON": "no", "yes": "yes", "No": "no", "peut-être": ""}
