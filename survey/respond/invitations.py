"""Single-use invitation codes: made for printing, stored only as keyed hashes, used at most once."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import bindparam, select, update

from survey.db import db
from survey.db.models import Invitation, Round, Unit
from survey.respond.store import SurveyError
from survey.staff import series

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


def seal(invitation_hash: str, used: bool, secret: str) -> str:
    """Seal a code's state with a fresh random nonce: only the app's secret can tell used from unused."""
    nonce = secrets.token_hex(16)
    return f"{nonce}:{_tag(invitation_hash, used, nonce, secret)}"


def _tag(invitation_hash: str, used: bool, nonce: str, secret: str) -> str:
    message = f"invitation-state:{invitation_hash}:{int(used)}:{nonce}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_used(invitation_hash: str, sealed: str, secret: str) -> bool:
    """Tell whether a sealed code is used; a seal that does not verify counts as used (never reopen a code)."""
    if sealed in LEGACY:
        return LEGACY[sealed]
    nonce, _, tag = sealed.partition(":")
    return not hmac.compare_digest(tag, _tag(invitation_hash, False, nonce, secret))


# Codes stored before seals (migration 0005) say their state plainly until their round's next code use.
LEGACY = {"legacy-unused": False, "legacy-used": True}


def issue(unit: Unit, survey_round: Round, count: int, secret: str) -> list[str]:
    """Create `count` fresh codes for a unit and round; return them in clear text, for printing only."""
    if not 1 <= count <= 2000:
        raise ValueError("between 1 and 2000 cards at a time")
    codes = [new_code() for _ in range(count)]
    hashes = [code_hash(normalise(c), secret) for c in codes]
    db.session.add_all(Invitation(code_hash=h, unit_id=unit.id, round_id=survey_round.id,
                                  seal=seal(h, False, secret)) for h in hashes)
    db.session.commit()
    return codes


def resolve(typed: str, secret: str, today: dt.date) -> tuple[Unit, Round, str]:
    """Return the unit, round and code hash a typed or scanned code opens; raise if it opens nothing."""
    invitation = find(typed, secret)
    if invitation is None:
        raise SurveyError("code_invalid")
    survey_round = db.session.get(Round, invitation.round_id)
    if not survey_round.is_open(today):  # a card of a continuous survey opens the period open now
        survey_round = series.open_period(survey_round.id, invitation.unit_id, today)
    if survey_round is None:
        raise SurveyError("round_closed")
    return db.session.get(Unit, invitation.unit_id), survey_round, invitation.code_hash


def find(typed: str, secret: str) -> Invitation | None:
    """Return the unused invitation for a typed or scanned code, or None."""
    code = normalise(typed)
    if code is None:
        return None
    invitation = db.session.get(Invitation, code_hash(code, secret))
    if invitation is None or is_used(invitation.code_hash, invitation.seal, secret):
        return None
    return invitation


_RESEAL = (update(Invitation.__table__).where(Invitation.__table__.c.code_hash == bindparam("h"))
           .values(seal=bindparam("s")))


def use(invitation_hash: str, survey_round: Round, unit: Unit, secret: str) -> bool:
    """Mark a code used, atomically: of two simultaneous uses exactly one gets True (the caller commits).

    Every code of the unit's round (the one the code was printed for, also when it opens a later period of its
    continuous survey) is sealed anew in the same transaction, each with a fresh nonce: the rows, the database's log
    (SQLite's journal, PostgreSQL's WAL) and old row versions show every code changed, never which one was used.
    The state is swapped in only where its seal is still the one read (compare and swap); a use of another code in
    between re-seals the round, so the read is tried again.
    """
    issued_for = db.session.scalar(select(Invitation.round_id).where(Invitation.code_hash == invitation_hash))
    if issued_for is None or not series.same_series(issued_for, survey_round.id):
        return False
    in_round = (Invitation.unit_id == unit.id, Invitation.round_id == issued_for)
    for _attempt in range(5):
        rows = db.session.execute(select(Invitation.code_hash, Invitation.seal).where(*in_round)
                                  .order_by(Invitation.code_hash).with_for_update()).all()
        sealed = dict(rows)
        if invitation_hash not in sealed or is_used(invitation_hash, sealed[invitation_hash], secret):
            return False
        swapped = db.session.execute(update(Invitation).where(
            Invitation.code_hash == invitation_hash, Invitation.seal == sealed[invitation_hash]).values(
            seal=seal(invitation_hash, True, secret)))
        if swapped.rowcount == 1:
            others = [{"h": h, "s": seal(h, is_used(h, s, secret), secret)} for h, s in rows if h != invitation_hash]
            if others:
                db.session.execute(_RESEAL, others)
            return True
    return False


def issued_and_used(unit_id: str, round_id: str, secret: str) -> tuple[int, int]:
    """Return how many codes were issued for a unit and round, and how many were used."""
    rows = db.session.execute(select(Invitation.code_hash, Invitation.seal)
                              .where(Invitation.unit_id == unit_id, Invitation.round_id == round_id)).all()
    return len(rows), sum(is_used(h, s, secret) for h, s in rows)
