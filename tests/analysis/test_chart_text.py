"""Names on charts are drawn as text: a unit or area named like matplotlib mathtext (`$\\cmd$`) gets its pages."""
import pytest
import sqlalchemy as sa

from survey.db import db
from survey.db.models import Area, Unit
from tests.conftest import build_org
from tests.helpers import login, make_account, release

NAMES = [r"Björken $\cmd$", r"$\frac{1}{0}$ och $x^{$", "Pris: $5 och $6"]


@pytest.mark.parametrize("name", NAMES)
def test_a_group_named_like_mathtext_gets_its_page_and_report(app, name):
    build_org(app, released=False)
    with app.app_context():
        db.session.execute(sa.update(Unit).where(Unit.slug == "bjorken").values(name=name))
        db.session.execute(sa.update(Area).values(name=name))
        db.session.commit()
        groups = [("unit", db.session.scalar(sa.select(Unit.id).where(Unit.slug == "bjorken"))),
                  ("area", db.session.scalar(sa.select(Area.id)))]
    release(app)
    client = app.test_client()
    login(client, make_account(app, "analyst"))
    for level, group_id in groups:
        page = client.get(f"/analysis/{level}/{group_id}")
        assert page.status_code == 200 and 'class="chart"' in page.get_data(as_text=True)
        assert client.get(f"/analysis/{level}/{group_id}/report.pdf").mimetype == "application/pdf"
