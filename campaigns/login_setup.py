"""The login configuration (`.streamlit/secrets.toml`), read strictly, and where the app may listen.

Login fails closed. A secrets file that cannot be read, a section the app does not know (`[Auth]`,
`[oauth]`: a misspelling would otherwise be silently ignored and give local mode, where everyone is
coordinator), a key it does not know, a blank secret, a `cookie_secret` that could be guessed
(the cookie that says who is logged in is signed with it, so a weak one lets anyone forge a
coordinator's cookie), or a role for a municipality that is in no region: each is a located problem
and the app stops every page. Local mode (no login at all) is for one person on this computer: it
may only be served on a loopback address.

Pure (no Streamlit): the app (`app_pages.auth`) and `make serve` (`deploy/serve.py`) use it alike.
"""

from __future__ import annotations

import ipaddress
import math
import re
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from common.catalogue import ListOf, Raw
from common.errors import Problem, problem

from .access import Actor

__all__ = ["AUTH_KEYS", "MIN_SECRET_LENGTH", "LoginSetup", "is_loopback", "read_login_setup",
           "region_municipalities", "serving_refusal", "weak_secret"]

AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
OPTIONAL_KEYS = ("client_kwargs", "expose_tokens")  # Streamlit's other st.login settings
SECTIONS = ("auth", "roles")
LOGIN_ROLES = ("coordinator", "officer")
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128.0  # length × Shannon entropy per character (secrets.token_urlsafe(32) ≈ 200)


@dataclass(frozen=True)
class LoginSetup:
    mode: Literal["local", "login", "broken"]
    roles: dict[str, Actor] = field(default_factory=dict)  # by e-mail, lower case
    problems: tuple[Problem, ...] = ()


def weak_secret(secret: str) -> bool:
    """Whether a cookie secret could be guessed: shorter than 32 characters, spaces around it, a
    short pattern repeated, fewer than 10 different characters, or under 128 bits by its own
    character counts (length × Shannon entropy). Random hex or token_urlsafe output passes."""
    s = secret.strip()
    if len(s) < MIN_SECRET_LENGTH or s != secret:
        return True
    if s in (s + s)[1:-1]:  # a repeated pattern: "abab…", "0123456789abcdef0123456789abcdef"
        return True
    counts = Counter(s)
    if len(counts) < 10:
        return True
    bits = -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values()) * len(s)
    return bits < MIN_SECRET_BITS


def is_loopback(address: str | None) -> bool:
    """Whether a listening or client address is this computer only (no address: every interface)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def serving_refusal(setup: LoginSetup, addresses: Sequence[str | None]) -> str | None:
    """Why a server listening on `addresses` (its own, and any proxy's in front) must not start with
    this login setup, in English for the operator's console; None when it may. Never a secret."""
    if setup.mode == "broken":
        return "the login configuration is not usable:\n" + "\n".join(f"- {p.text('en')}" for p in setup.problems)
    exposed = [a or "0.0.0.0" for a in addresses if not is_loopback(a)]
    if setup.mode == "local" and exposed:
        return (f"refusing to serve on {exposed[0]} without login: local mode (everyone coordinator) is for this "
                "computer only. Configure login in .streamlit/secrets.toml (docs/working-together.md) or listen "
                "on 127.0.0.1")
    return None


def region_municipalities(folder: str | Path) -> dict[str, tuple[str, str]]:
    """Every member of every region file in `folder`: name (case-folded) -> (name, kommunkod)."""
    from .campaign_files import load_region

    out: dict[str, tuple[str, str]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        for m in load_region(path).municipalities:
            out[m.name.casefold()] = (m.name, m.code)
    return out


def _auth_problems(auth: Any, where: str) -> list[Problem]:
    at = f"{where}, [auth]"
    if not isinstance(auth, dict):
        return [problem("login.missing_keys", where=at, keys=ListOf(("[auth]",)))]
    problems: list[Problem] = []
    providers = {k: v for k, v in auth.items() if isinstance(v, dict)}
    known = (*AUTH_KEYS, *PROVIDER_KEYS, *OPTIONAL_KEYS)
    for table, keys, place in [(auth, known, at)] + [(p, (*PROVIDER_KEYS, *OPTIONAL_KEYS, "redirect_uri"),
                                                      f"{where}, [auth.{name}]") for name, p in providers.items()]:
        for key, value in table.items():
            if isinstance(value, dict) and table is auth:
                continue  # a provider's own section, checked in its turn
            if key not in keys:
                problems.append(problem("login.unknown_key", where=place, key=Raw(str(key)[:40]),
                                        known=ListOf(tuple(keys), "or")))
            elif isinstance(value, str) and not value.strip() and key != "cookie_secret":
                problems.append(problem("login.blank_value", where=place, key=Raw(key)))
    missing = [k for k in AUTH_KEYS if k not in auth]
    if not any(all(k in p for k in PROVIDER_KEYS) for p in [auth, *providers.values()]):
        missing += [k for k in PROVIDER_KEYS if k not in auth]
    if missing:
        problems.append(problem("login.missing_keys", where=at, keys=ListOf(tuple(missing))))
    secret = auth.get("cookie_secret")
    if "cookie_secret" in auth and (not isinstance(secret, str) or weak_secret(secret)):
        problems.append(problem("login.weak_cookie_secret", where=at, n=MIN_SECRET_LENGTH))
    return problems


def _roles(table: Any, where: str, members: Mapping[str, tuple[str, str]] | None
           ) -> tuple[dict[str, Actor], list[Problem]]:
    roles: dict[str, Actor] = {}
    problems: list[Problem] = []
    if not isinstance(table, dict) or not table:
        return roles, [problem("login.no_roles", where=where)]
    for email, entry in table.items():
        at = f'{where}, [roles."{email}"]'
        entry = entry if isinstance(entry, dict) else {}
        role, municipality = entry.get("role"), entry.get("municipality")
        unknown = sorted(set(entry) - {"role", "municipality"})
        if unknown:
            problems.append(problem("login.unknown_key", where=at, key=Raw(str(unknown[0])[:40]),
                                    known=ListOf(("role", "municipality"), "or")))
        elif "@" not in str(email):
            problems.append(problem("login.bad_email", where=at))
        elif role not in LOGIN_ROLES:
            problems.append(problem("login.bad_role", where=at, role=Raw(str(role)[:40]),
                                    known=ListOf(LOGIN_ROLES, "or")))
        elif role == "officer" and not (isinstance(municipality, str) and municipality.strip()):
            problems.append(problem("login.officer_without_municipality", where=at))
        elif role == "officer" and members is not None and str(municipality).strip().casefold() not in members:
            problems.append(problem("login.unknown_municipality", where=at))  # never echoed: could be anything
        else:
            name, code = (None, None)
            if role == "officer":
                name, code = (members or {}).get(str(municipality).strip().casefold(), (str(municipality), None))
            roles[str(email).strip().lower()] = Actor(str(email), role, name, code)
    return roles, problems


def read_login_setup(paths: Sequence[str | Path],
                     members: Mapping[str, tuple[str, str]] | None = None) -> LoginSetup:
    """Local mode when no secrets file configures anything; login when they configure it completely
    and safely; otherwise broken, with a located problem for each thing that is wrong (never the
    secret values). `members` (name -> (name, kommunkod), `region_municipalities`) is what an
    officer's municipality must be one of."""
    merged: dict[str, Any] = {}
    where = ""
    for path in (Path(p) for p in paths):
        if not path.exists():
            continue
        where = str(path)
        try:
            with path.open("rb") as fh:
                merged.update(tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            text = str(exc)
            line = re.search(r"\(at line (\d+)", text)
            return LoginSetup("broken", problems=(problem(
                "login.unreadable", where=f"{where}:{line.group(1)}" if line else where,
                detail=Raw(text.split(" (at ")[0])),))
        except (OSError, UnicodeDecodeError) as exc:
            return LoginSetup("broken", problems=(problem("login.unreadable", where=where,
                                                          detail=Raw(type(exc).__name__)),))
    # A table the app does not know is an error (a misspelt [Auth] must not mean "no login"); plain
    # top-level values (DATABASE_URL = "...") are other settings and stay allowed.
    unknown = [k for k, v in merged.items() if (isinstance(v, dict) and k not in SECTIONS)
               or (not isinstance(v, dict) and k.casefold() in SECTIONS)]
    problems = [problem("login.unknown_section", where=f"{where}, [{str(k)[:40]}]", section=Raw(str(k)[:40]),
                        known=ListOf(tuple(f"[{s}]" for s in SECTIONS), "or")) for k in unknown]
    if "auth" not in merged and "roles" not in merged:
        return LoginSetup("broken", problems=tuple(problems)) if problems else LoginSetup("local")
    if "auth" not in merged:
        return LoginSetup("broken", problems=(*problems, problem("login.roles_without_auth", where=where)))
    problems += _auth_problems(merged["auth"], where)
    roles, role_problems = _roles(merged.get("roles"), where, members)
    problems += role_problems
    return LoginSetup("broken", problems=tuple(problems)) if problems else LoginSetup("login", roles)
