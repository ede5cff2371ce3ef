"""Staff accounts, roles, and which units each account may see (enforced here, in the data access)."""
from __future__ import annotations

from sqlalchemy import Select, select
from werkzeug.security import check_password_hash, generate_password_hash

from survey.db import db
from survey.db.models import Account, Unit

ADMINISTRATOR, UNIT_STAFF, ANALYST, COUNCIL = "administrator", "unit_staff", "analyst", "council"
QUALITY_DEVELOPER = "quality_developer"  # works the quality cycle of every unit: valuations, actions
ROLES = (ADMINISTRATOR, UNIT_STAFF, ANALYST, COUNCIL, QUALITY_DEVELOPER)
MIN_PASSWORD = 12
# Checked when no account matches, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A staff-facing problem with account data; the message says what is wrong."""


def create_account(email: str, name: str, password: str, role: str, units: list[Unit] | None = None) -> Account:
    """Add an account with a strongly hashed password (the caller commits)."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}' (one of {', '.join(ROLES)})")
    if db.session.scalar(select(Account).where(Account.email == email)):
        raise AccountError(f"an account with the e-mail {email} already exists")
    account = Account(email=email, name=name.strip() or email, role=role, units=list(units or []))
    set_password(account, password)
    db.session.add(account)
    return account


def set_password(account: Account, password: str) -> None:
    """Replace the password hash (scrypt, salted)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    account.password_hash = generate_password_hash(password)
    end_sessions(account)


def end_sessions(account: Account) -> None:
    """End every session of this account, on every instance: the sessions' generation no longer matches."""
    account.session_generation = (account.session_generation or 0) + 1


def authenticate(email: str, password: str) -> Account | None:
    """Return the active account with this e-mail and password, or None."""
    account = db.session.scalar(select(Account).where(Account.email == email.strip().lower()))
    if account is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(account.password_hash, password) or not account.active:
        return None
    return account


def visible_units(account: Account) -> Select:
    """Return a query of the units this account may see: all for administrators, analysts and quality
    developers, own for staff."""
    query = select(Unit).order_by(Unit.name)
    if account.role in (ADMINISTRATOR, ANALYST, QUALITY_DEVELOPER):
        return query
    if account.role == UNIT_STAFF:
        return query.where(Unit.id.in_([u.id for u in account.units]))
    return query.where(False)


def unit_for(account: Account, unit_id: str) -> Unit | None:
    """Return one unit if this account may see it; None otherwise, as if it did not exist."""
    return db.session.scalar(visible_units(account).where(Unit.id == unit_id))


def save_account(found: Account | None, email: str, name: str, role: str, units: list[Unit], password: str,
                 active: bool) -> Account:
    """Create an account, or change one's e-mail, name, role, units, active state and (if given) password."""
    if found is None:
        found = create_account(email, name, password, role, units)
    else:
        email = email.strip().lower()
        clash = db.session.scalar(select(Account).where(Account.email == email, Account.id != found.id))
        if clash is not None:
            raise AccountError(f"an account with the e-mail {email} already exists")
        if role not in ROLES:
            raise AccountError(f"unknown role '{role}' (one of {', '.join(ROLES)})")
        found.email, found.name, found.role, found.units = email, name, role, units
        if password:
            set_password(found, password)
    if found.active and not active:
        end_sessions(found)
    found.active = active
    return found
