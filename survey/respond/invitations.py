"""Single-use invitation codes: made for printing, stored only as keyed hashes, used at most once."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import case, exists, func, select, update
from sqlalchemy.orm import aliased

from survey.db import db
from survey.db.models import Invitation, Round, Unit
from survey.respond.store import SurveyError

# No 0/O, 1/I/L, 5/S or 2/Z: nothing that can be mistaken for another character when typed.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8  # 27**8 ≈ 2.8e11 codes


def new_code() -> str:
    """Return a random code, grouped for reading: ABCD-EFGH."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(typed: str) -> str | None:
    """Return the code as stored (upper case, no spaces or dashes), or None if it cannot be a code."""
    code = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str, secret: str) -> str:
    """Hash a normalised code with the app's secret, so a database copy alone cannot reveal codes."""
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def issue(unit: Unit, survey_round: Round, count: int, secret: str) -> list[str]:
    """Create `count` fresh codes for a unit and round; return them in clear text, for printing only."""
    if not 1 <= count <= 2000:
        raise ValueError("between 1 and 2000 cards at a time")
    codes = [new_code() for _ in range(count)]
    db.session.add_all(Invitation(code_hash=code_hash(normalise(c), secret), unit_id=unit.id,
                                  round_id=survey_round.id) for c in codes)
    db.session.commit()
    return codes


def resolve(typed: str, secret: str, today: dt.date) -> tuple[Unit, Round, str]:
    """Return the unit, round and code hash a typed or scanned code opens; raise if it opens nothing."""
    invitation = find(typed, secret)
    if invitation is None:
        raise SurveyError("code_invalid")
    survey_round = db.session.get(Round, invitation.round_id)
    if not survey_round.is_open(today):
        raise SurveyError("round_closed")
    return db.session.get(Unit, invitation.unit_id), survey_round, invitation.code_hash


def find(typed: str, secret: str) -> Invitation | None:
    """Return the unused invitation for a typed or scanned code, or None."""
    code = normalise(typed)
    if code is None:
        return None
    invitation = db.session.get(Invitation, code_hash(code, secret))
    return invitation if invitation is not None and invitation.used_on is None else None


def use(invitation_hash: str, survey_round: Round, unit: Unit, today: dt.date) -> bool:
    """Mark a code used, atomically: of two simultaneous uses exactly one gets True (the caller commits).

    One statement rewrites every code of the round, so neither the row order nor (on PostgreSQL) the rows'
    transaction ids keep a trace of which code was used when. The round's rows are locked first, in one
    order, so uses in a round take turns (SQLite serialises the statement itself).
    """
    in_round = (Invitation.unit_id == unit.id, Invitation.round_id == survey_round.id)
    db.session.execute(select(Invitation.code_hash).where(*in_round).order_by(Invitation.code_hash)
                       .with_for_update())
    chosen = aliased(Invitation)
    unused = exists().where(chosen.code_hash == invitation_hash, chosen.used_on.is_(None),
                            chosen.unit_id == unit.id, chosen.round_id == survey_round.id)
    result = db.session.execute(update(Invitation).where(*in_round, unused).values(
        used_on=case((Invitation.code_hash == invitation_hash, today), else_=Invitation.used_on)))
    return result.rowcount > 0


def issued_and_used(unit_id: str, round_id: str) -> tuple[int, int]:
    """Return how many codes were issued for a unit and round, and how many were used."""
    row = db.session.execute(select(func.count(), func.count(Invitation.used_on))
                             .where(Invitation.unit_id == unit_id, Invitation.round_id == round_id)).one()
    return row[0], row[1]
