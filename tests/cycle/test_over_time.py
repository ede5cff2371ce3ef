"""Measurement over time, read from releases: a flag's run charts at a unit (its pool's for a pooled unit), phases
confirmed from an action's start, a group's p-charts, a funnel plot of one release, and the whole model as a page
and an A4 PDF. The attacker is an analyst who can read every page and the database: no chart may show a figure
that a release hides. Staff read English here (Accept-Language)."""
from __future__ import annotations

import base64
import datetime as dt
import html
import re
import subprocess

import pytest
import sqlalchemy as sa

from survey.analysis import releases
from survey.cycle import measurement, series, store
from survey.db import db
from survey.db.models import (
    Action,
    Answer,
    Area,
    ChartPhase,
    Organisation,
    Pool,
    Release,
    ReleaseCell,
    Response,
    Round,
    Unit,
)
from tests.helpers import login, make_account, migrated_app

ROUNDS = 10
# Users answering per round and how many say yes to both questions of the flag "Staff are ABLE to"; Stor improves
# from round 6 (index 5) on. Liten has too few answers in its last rounds; Eken and Linden are pooled.
USERS = {"stor": [(10, y) for y in (3, 4, 3, 4, 3, 9, 9, 8, 9, 9)],
         "liten": [(6, 3)] * 6 + [(3, 1)] * 4,
         "eken": [(3, 2)] * ROUNDS, "linden": [(3, 1)] * ROUNDS}
STAFF = 6  # staff at Stor answering in the last two rounds, 4 of them "agree fully"
STAFF_ROUNDS = 2
FLAG = "staff_able"


def _round_dates(number: int) -> tuple[dt.date, dt.date]:
    first = dt.date.today() - dt.timedelta(days=40 * (ROUNDS - number) + 20)
    return first, first + dt.timedelta(days=30)


def _respond(survey_round: Round, unit: Unit, answers: dict[str, str]) -> None:
    response = Response(unit_id=unit.id, round_id=survey_round.id, questionnaire_id=survey_round.questionnaire_id,
                        questionnaire_version=1, language="sv", channel="qr", completed=True)
    db.session.add(response)
    db.session.flush()
    db.session.add_all(Answer(response_id=response.id, question_key=k, option=v) for k, v in answers.items())


def build_history(app) -> dict[str, str]:
    """Area Norr with Stor, Liten and the pool Hemmen (Eken, Linden): ten released rounds of the user questionnaire
    and the last two of the staff questionnaire (Stor only); return unit slug -> id."""
    with app.app_context(), app.test_request_context():
        org = Organisation(name="Testkommunen")
        db.session.add(org)
        db.session.flush()
        area = Area(organisation_id=org.id, name="Norr")
        pool = Pool(organisation_id=org.id, name="Hemmen", service_type="housing")
        db.session.add_all([area, pool])
        db.session.flush()
        units = {slug: Unit(organisation_id=org.id, area_id=area.id, name=slug.capitalize(), slug=slug,
                            service_type="housing", pool_id=pool.id if slug in ("eken", "linden") else None)
                 for slug in USERS}
        db.session.add_all(units.values())
        db.session.flush()
        for questionnaire in ("user", "staff"):
            for number in range(ROUNDS - STAFF_ROUNDS if questionnaire == "staff" else 0, ROUNDS):
                first, last = _round_dates(number)
                members = list(units.values()) if questionnaire == "user" else [units["stor"]]
                survey_round = Round(name=f"Period {number + 1}", questionnaire_id=questionnaire, units=members,
                                     opens_on=first, closes_on=last)
                db.session.add(survey_round)
                db.session.flush()
                if questionnaire == "user":
                    for slug, counts in USERS.items():
                        people, yes = counts[number]
                        for i in range(people):
                            answer = "yes" if i < yes else "no"
                            _respond(survey_round, units[slug], {"decide_important": answer,
                                                                 "decide_support": answer})
                else:
                    for i in range(STAFF):
                        _respond(survey_round, units["stor"],
                                 {"enough_knowledge": "agree_fully" if i < 4 else "neither"})
                db.session.commit()
                releases.make(survey_round, dt.date.today())
        return {slug: unit.id for slug, unit in units.items()}


@pytest.fixture(scope="module")
def app(pg_schema_url, tmp_path_factory):
    """One app and history for the module (twelve releases take a while): tests that change it undo the change."""
    folder = tmp_path_factory.mktemp("over-time")
    app = migrated_app(pg_schema_url or f"sqlite:///{folder / 'survey.sqlite'}", SPEECH_DIR=str(folder / "speech"))
    app.config["history"] = build_history(app)
    app.config["account"] = make_account(app, "quality_developer")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def history(app, client):
    login(client, app.config["account"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return app.config["history"]


def subject_of(app, slug: str) -> series.Subject:
    with app.app_context():
        return series.subject_for_unit(db.session.scalar(sa.select(Unit).where(Unit.slug == slug)))


def own_cells(app, level: str, group_id: str, item: str = FLAG, kind: str = "flag") -> list[tuple]:
    """Return (hidden, share) of a group's overall cell in every user release, oldest first."""
    with app.app_context():
        return db.session.execute(
            sa.select(ReleaseCell.hidden, ReleaseCell.share).join(Release, Release.id == ReleaseCell.release_id)
            .join(Round, Round.id == Release.round_id)
            .where(Release.questionnaire_id == "user", ReleaseCell.level == level, ReleaseCell.group_id == group_id,
                   ReleaseCell.periods == 1, ReleaseCell.kind == kind, ReleaseCell.item == item,
                   ReleaseCell.dimension == "all", ReleaseCell.category == "all")
            .order_by(Round.opens_on)).all()


def markers(page: str, gid: str = "points") -> list[int]:
    """Return how many points each chart of the page draws in its group `gid` (one SVG per chart)."""
    counts = []
    for encoded in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page):
        svg = base64.b64decode(encoded).decode()
        group = re.search(rf'<g id="{gid}">(.*?)</g>\s*</g>', svg, re.S)
        counts.append(len(re.findall(r"<use ", group.group(1))) if group else 0)
    return counts


def test_a_units_series_has_a_point_per_release_and_a_gap_where_its_release_hides_the_figure(app, history):
    cells = own_cells(app, "unit", history["liten"])
    with app.app_context():
        found = series.series("user", subject_of(app, "liten"), "flag", FLAG)
    assert len(found.points) == ROUNDS and found.left_out == sum(hidden for hidden, _ in cells) >= 4
    assert found.values == [None if hidden else share for hidden, share in cells]


def test_no_chart_table_or_model_shows_a_figure_its_release_hides(app, client, history):
    """The attacker reads the database too: give every hidden cell a figure (n = 987) it must never show."""
    with app.app_context():
        kept = db.session.execute(sa.select(ReleaseCell.id, ReleaseCell.n, ReleaseCell.valid, ReleaseCell.positive,
                                            ReleaseCell.share).where(ReleaseCell.hidden.is_(True))).all()
    try:
        look_for_hidden_figures(app, client, history)
    finally:
        with app.app_context():
            db.session.execute(sa.update(ReleaseCell), [dict(row._mapping) for row in kept])
            db.session.commit()


def look_for_hidden_figures(app, client, history):
    with app.app_context():
        db.session.execute(sa.update(ReleaseCell).where(ReleaseCell.hidden.is_(True))
                           .values(n=987, valid=9870, positive=9869, share=0.9999))
        db.session.commit()
        for subject in (subject_of(app, "liten"), subject_of(app, "eken"), subject_of(app, "stor"),
                        series.Subject("area", db.session.scalar(sa.select(Area.id)), "Norr")):
            for kind, item in (("flag", FLAG), ("question", "decide_important")):
                found = series.series("user", subject, kind, item)
                shown = {share for hidden, share in own_cells(app, subject.level, subject.group_id, item, kind)
                         if not hidden}
                assert {v for v in found.values if v is not None} <= shown and 0.9999 not in found.values
    pages = [f"/cycle/unit/{history[slug]}/flag/{FLAG}" for slug in ("liten", "eken")]
    pages += [f"/cycle/unit/{history['liten']}/flag/{FLAG}/questions", f"/cycle/funnel/{FLAG}",
              f"/cycle/model/unit/{history['liten']}", "/cycle/model/organisation/all",
              f"/cycle/group/organisation/all/flag/{FLAG}"]
    for url in pages:
        page = re.sub(r'src="data:[^"]+"', "", client.get(url).get_data(as_text=True))
        page = re.sub(r"[0-9a-f]{32}", "", page)  # ids are random hex: one may hold "987"
        assert "987" not in page, url
        assert "funnel" in url or "group" in url or "100 %" not in page, url  # (limits may reach 100 %)
    page = client.get(f"/cycle/unit/{history['liten']}/flag/{FLAG}").get_data(as_text=True)
    hidden = sum(hidden for hidden, _ in own_cells(app, "unit", history["liten"]))
    user_table = page.split("the figures of the chart", 1)[1].split("</table>")[0]
    assert user_table.count("left out (too few answers)") == hidden
    assert markers(page)[0] == ROUNDS - hidden  # a hidden period is a gap, not a point


def test_a_pooled_units_charts_are_its_pools_series_only(app, client, history):
    page = client.get(f"/cycle/unit/{history['eken']}/flag/{FLAG}").get_data(as_text=True)
    assert "This unit is in the pool Hemmen" in page
    with app.app_context(), app.test_request_context():
        unit = db.session.get(Unit, history["eken"])
        shown = measurement.flag_measurement(unit, FLAG, "Staff are ABLE to", "en")["charts"]
        pool_id = unit.pool_id
    assert [m.series.subject.level for m in shown] == ["pool"]  # the staff questionnaire was not asked at Eken
    pooled = own_cells(app, "pool", pool_id)
    assert shown[0].series.values == [None if hidden else share for hidden, share in pooled]
    assert markers(page)[0] == sum(not hidden for hidden, _ in pooled)


def test_the_flag_page_shows_both_questionnaires_run_charts_with_rules_limits_and_plain_words(app, client, history):
    page = client.get(f"/cycle/unit/{history['stor']}/flag/{FLAG}").get_data(as_text=True)
    over_time = page.split('id="over-time"')[1].split("<h2>")[0]
    assert over_time.count("<section>") == 2 and "Staff questionnaire" in over_time
    assert "judged by the Anhøj rules (qicharts2 0.7 runs.analysis)" in over_time
    # Ten useful points: a run longer than round(log2(10)) + 3 = 6, or fewer than qbinom(0.05, 9, 0.5) = 2 crossings
    assert "useful points (not on the centre line): 10; a signal needs at least 6 of them, and then a run longer " \
           "than 6 points or fewer than 2 crossings." in over_time
    assert "Crossings of the median: 1. Fewer than 2 would rarely happen by chance." in over_time
    assert "Points shown: 10 of 10 releases" in over_time
    assert f'href="/cycle/unit/{history["stor"]}/flag/{FLAG}/questions"' in page
    questions = client.get(f"/cycle/unit/{history['stor']}/flag/{FLAG}/questions").get_data(as_text=True)
    assert questions.count("<section>") == 2 + 1  # two user questions; of the staff ones, only one was answered


def test_an_actions_start_is_offered_as_a_phase_and_only_a_person_confirms_it(app, client, history):
    with app.app_context():
        starts_on = db.session.scalar(sa.select(Round.opens_on).where(Round.name == "Period 6",
                                                                      Round.questionnaire_id == "user"))
        action_id = store.add_action(store.NewAction(history["stor"], [FLAG], "Välja själv", "enhetschef",
                                                     starts_on=starts_on), {FLAG}).id
    url = f"/cycle/unit/{history['stor']}/flag/{FLAG}"
    page = client.get(url).get_data(as_text=True)
    assert "Does a new phase start there?" in page and "Phase 2" not in page  # offered, not applied
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        confirm_a_phase(app, client, history, url, action_id, starts_on)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
        with app.app_context():
            db.session.execute(sa.delete(ChartPhase))
            db.session.execute(sa.delete(Action))
            db.session.commit()


def confirm_a_phase(app, client, history, url, action_id, starts_on):
    refused = client.post(f"{url}/phases", data={"phase-action_id": action_id, "phase-confirmed_by": " ",
                                                 "phase-baseline": "5"})
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChartPhase)) == 0
    client.post(f"{url}/phases", data={"phase-action_id": action_id, "phase-confirmed_by": "kvalitetsutvecklare",
                                       "phase-baseline": "5"})
    with app.app_context():
        phase = db.session.scalar(sa.select(ChartPhase))
        assert (phase.unit_id, phase.starts_on, phase.confirmed_by, phase.baseline) == \
               (history["stor"], starts_on, "kvalitetsutvecklare", 5)
    page = client.get(url).get_data(as_text=True)
    user = page.split('id="over-time"')[1].split("</section>")[0]
    assert "Phase 2:" in user and "Does a new phase start there?" not in page
    # Against phase 1's frozen median (30 %): phase 1's two points above it and all five of phase 2, 7 in a row
    assert "Phase 2 against the frozen centre line of the phase before it" in user
    assert "7 points in a row above the median: more than 6 would rarely happen by chance." in user


def test_a_groups_flag_is_a_p_chart_and_a_release_a_funnel_plot_without_hidden_units(app, client, history):
    with app.app_context():
        area_id = db.session.scalar(sa.select(Area.id))
    page = client.get(f"/cycle/group/area/{area_id}/flag/{FLAG}").get_data(as_text=True)
    assert "Control chart for proportions (p)" in page and "Lower limit" in page
    assert "p-chart: control limits from the binomial distribution." in page
    with app.app_context():
        last = db.session.scalar(sa.select(Round.id).where(Round.name == f"Period {ROUNDS}",
                                                           Round.questionnaire_id == "user"))
    funnel = client.get(f"/cycle/funnel/{FLAG}?questionnaire=user&round={last}").get_data(as_text=True)
    table = funnel.split("<tbody>")[1].split("</tbody>")[0]
    rows = table.split("<tr>")[1:]
    assert [re.search(r'<th scope="row">([^<]+)', row).group(1).strip() for row in rows] == \
           ["Hemmen (pool)", "Liten", "Stor"]  # the pool once, never Eken or Linden
    liten = rows[1]
    assert "left out (too few answers)" in liten and "%" not in liten
    shown = [row for row in rows if "left out (too few answers)" not in row]
    assert markers(funnel, "units")[0] + markers(funnel, "outside")[0] == len(shown) >= 1  # hidden: no point


def test_the_whole_model_is_a_page_and_an_a4_landscape_pdf(app, client, history):
    with app.app_context():
        model = analysis_model()
    page = html.unescape(client.get(f"/cycle/model/unit/{history['stor']}").get_data(as_text=True))
    for area in model.areas:
        assert area.name["en"] in page
        assert all(flag.name["en"] in page for flag in area.flags)
    row = page.split("Staff are ABLE to</a>")[1].split("</tr>")[0]
    user, staff = row.split("<td>")[2:]
    assert "90 % (n = " in user and "signal: rising" in user  # 30 %, 40 %, ... then 90 %: one crossing
    assert "67 % (n = 6)" in staff and "too few points for a signal" in staff
    pdf = client.get(f"/cycle/model/unit/{history['stor']}/model.pdf")
    assert pdf.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True,
                          check=True).stdout.decode()
    assert "The whole model: Stor" in text and "signal: rising" in text
    assert all(area.name["en"] in text for area in model.areas)
    size = subprocess.run(["pdfinfo", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert width > height and round(width) == 842  # A4 landscape, in points


def analysis_model():
    from survey.analysis import service
    return service.quality_model()


def test_an_actions_page_shows_its_flags_before_the_start_and_in_every_release_since(app, client, history):
    with app.app_context():
        starts_on = db.session.scalar(sa.select(Round.opens_on).where(Round.name == "Period 6",
                                                                      Round.questionnaire_id == "user"))
        actions = {slug: store.add_action(store.NewAction(history[slug], [FLAG], "Välja själv", "enhetschef",
                                                          starts_on=starts_on), {FLAG}).id
                   for slug in ("stor", "liten")}
    try:
        pages = {slug: client.get(f"/cycle/unit/{history[slug]}/actions/{action_id}").get_data(as_text=True)
                 for slug, action_id in actions.items()}
    finally:
        with app.app_context():
            db.session.execute(sa.delete(Action))
            db.session.commit()
    rows = {slug: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("Measured before and after the start")[2]
                                                            .split("</table>")[0])) for slug, page in pages.items()}
    stor_user = rows["stor"].split("Since")[1]
    assert re.search(r"Period 5: 30 % \(n = \d+\) Period 6: 90 %", stor_user), stor_user  # Stor improved
    assert "Period 4" not in stor_user and "Period 10: 90 %" in stor_user
    liten = rows["liten"].split("Since")[1]
    assert "Period 5: 50 % (n = 6) Period 6: 50 % (n = 6); Period 7: too few answers" in liten, liten  # hidden: hidden
    assert liten.count("too few answers") == 4
