"""Dashboard accounts in the pipeline store: create, list, change password, remove, sign in.

Roles: a `manager` sees every lead; a `rep` sees the leads owned by its `reps` row (created
with `leadbot reps add`). Like the store's functions, these flush but never commit: the
caller owns the transaction.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.errors import StoreError
from bot.store.schema import ACCOUNT_ROLES, Account, Rep, as_id
from web.passwords import DUMMY_HASH, hash_password, needs_rehash, token_hash, verify_password
from web.sessions import end_all_sessions
from web.settings import DashboardSettings

API_TOKEN_PREFIX = "lbt_"


class AccountError(StoreError, ValueError):
    """An account that cannot be created or changed as asked."""


class AccountNotFound(StoreError, LookupError):
    """No account with that e-mail or id."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt; `account` is set only when it succeeded. A failure
    says nothing more (wrong password, unknown e-mail and locked account look the same)."""

    account: Account | None


def _email(email: str) -> str:
    value = email.strip().lower()
    if "@" not in value or len(value) > 320:
        raise AccountError(f"{email!r} is not an e-mail address")
    return value


def get_account(session: Session, email_or_id: str | int) -> Account:
    key = str(email_or_id).strip()
    row_id = as_id(key)
    account = (session.get(Account, row_id) if row_id is not None else None) if key.isdigit() else \
        session.scalars(select(Account).where(Account.email == key.lower())).first()
    if account is None:
        raise AccountNotFound(f"no dashboard account {key!r}; `leadbot users list` shows them")
    return account


def add_account(session: Session, email: str, password: str, *, role: str, now: datetime,
                name: str | None = None) -> Account:
    """A new account. A rep account is linked to the rep with the same e-mail."""
    email = _email(email)
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"role must be one of {', '.join(ACCOUNT_ROLES)}, not {role!r}")
    if session.scalars(select(Account).where(Account.email == email)).first():
        raise AccountError(f"an account for {email} already exists; `leadbot users passwd {email}` changes its password")
    rep = session.scalars(select(Rep).where(Rep.email == email)).first()
    if role == "rep" and rep is None:
        raise AccountError(f"no rep with e-mail {email}: `leadbot reps add NAME {email}` first "
                           "(a rep account sees the leads that rep owns)")
    display = (name or (rep.name if rep else "") or email.split("@")[0]).strip()
    account = Account(email=email, name=display, role=role, rep_id=rep.id if rep and role == "rep" else None,
                      password_hash=hash_password(password), active=True, failed_logins=0,
                      created_at=now, updated_at=now)
    session.add(account)
    session.flush()
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.role, Account.email)))


def set_password(session: Session, account: Account, password: str, *, now: datetime) -> None:
    """A new password; ends the account's sessions, revokes its API token (a password is
    changed because it may be known to someone else, who may have made a token with it)
    and lifts a lockout."""
    account.password_hash = hash_password(password)
    account.api_token_hash = None
    account.failed_logins, account.locked_until, account.updated_at = 0, None, now
    end_all_sessions(session, account)
    session.flush()


def remove_account(session: Session, account: Account) -> None:
    """Delete the account and (by cascade) its sessions. The rep and its leads stay."""
    session.delete(account)
    session.flush()


def issue_api_token(session: Session, account: Account, *, now: datetime) -> str:
    """A new bearer token for the JSON API (replaces the previous one). Shown once: only
    its SHA-256 is stored."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    account.api_token_hash = token_hash(token)
    account.updated_at = now
    session.flush()
    return token


def account_for_api_token(session: Session, token: str) -> Account | None:
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    account = session.scalars(select(Account).where(Account.api_token_hash == token_hash(token))).first()
    return account if account is not None and account.active else None


def authenticate(session: Session, email: str, password: str, *, now: datetime,
                 settings: DashboardSettings) -> SignIn:
    """Check e-mail and password. After `max_failed_logins` wrong passwords in a row the
    account refuses every password for `lockout_minutes`. Unknown e-mails cost as much
    time as known ones (a dummy hash is verified)."""
    try:
        account = session.scalars(select(Account).where(Account.email == _email(email))).first()
    except AccountError:
        account = None
    if account is None or not account.active:
        verify_password(password, DUMMY_HASH)
        return SignIn(None)
    if account.locked_until is not None and account.locked_until > now:
        verify_password(password, DUMMY_HASH)
        return SignIn(None)
    if not verify_password(password, account.password_hash):
        account.failed_logins = (account.failed_logins or 0) + 1
        if account.failed_logins >= settings.max_failed_logins:
            account.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            account.failed_logins = 0
        session.flush()
        return SignIn(None)
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    session.flush()
    return SignIn(account)
