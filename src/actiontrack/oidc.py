"""Single sign-on with OpenID Connect: authorization code flow with PKCE, state and nonce.

The browser is sent to the provider (Microsoft Entra ID, Google Workspace, Keycloak...) and comes back
with a code, which is exchanged for an ID token; its signature is checked with the keys the provider
publishes (JWKS, found through its discovery document) and its claims with joserfc, Authlib's JOSE
library. The flow's state, nonce and PKCE verifier travel in the encrypted session cookie, never in
worker memory, so whichever worker receives the provider's answer can finish the sign-in.

People are matched on their verified email address; a deactivated account stays out whatever the
provider says. A provider that keeps to the standard's defaults (panva's oidc-provider, Keycloak with
some settings) gives the email at its userinfo endpoint rather than in the ID token: it is read there
with the access token, for the same subject only. Failures are audited with a reason, never with a code
or a token.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.auth.sessions import start_session
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import Role, User, column_limit
from actiontrack.params import normalise_email, safe_next
from actiontrack.settings import Settings

logger = logging.getLogger(__name__)

SESSION_KEY = "sso"
# A sign-in at the provider that takes longer than this starts again.
FLOW_SECONDS = 10 * 60
# Clocks of the provider and of this server may differ a little.
LEEWAY_SECONDS = 60
DISCOVERY_SECONDS = 3600
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
HTTP_TIMEOUT = httpx.Timeout(10)


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in; `reason` goes to the audit log."""

    def __init__(self, reason: str, *, email: str | None = None, user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email
        self.user = user


@dataclass(frozen=True)
class Provider:
    """What the discovery document says about the provider."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    algorithms: tuple[str, ...]
    secret_in_body: bool


class Discovery:
    """The provider's discovery document as this worker last read it, and when (one per app)."""

    def __init__(self) -> None:
        self.found: tuple[float, Provider] | None = None


def callback_url(request: Request, settings: Settings) -> str:
    """Where the provider sends the browser back: registered with the provider, hence the configured base URL."""
    return settings.base_url + request.app.route_reverse("login.sso.callback")


async def provider(discovery: Discovery, settings: Settings) -> Provider:
    """The provider's discovery document, read at most once an hour per worker (it is not flow state)."""
    cached = discovery.found
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    issuer = settings.oidc_issuer.rstrip("/")
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
            response = await client.get(f"{issuer}/.well-known/openid-configuration")
            response.raise_for_status()
            document = response.json()
        # The issuer the document names is the one ID tokens must carry (OpenID Connect Discovery 4.3).
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise SignInRefused("discovery_issuer_mismatch")
        algorithms = tuple(
            alg for alg in document.get("id_token_signing_alg_values_supported", ["RS256"]) if alg in SIGNING_ALGORITHMS
        )
        methods = document.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
        found = Provider(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint") or None,
            algorithms=algorithms or ("RS256",),
            secret_in_body="client_secret_basic" not in methods and "client_secret_post" in methods,
        )
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        logger.warning("OpenID Connect discovery failed: %s", type(error).__name__)
        raise SignInRefused("discovery_failed") from None
    discovery.found = (time.monotonic(), found)
    return found


def _enabled(settings: Settings) -> None:
    if not settings.single_sign_on:
        raise NotFoundException()


def _refused_page(settings: Settings, reason: str, *, email: str | None, status_code: int = 400) -> Template:
    """The sign-in page again, saying in the reader's language why single sign-on did not sign them in."""
    name = settings.oidc_provider_name
    messages = {
        "flow": _("This sign-in took too long or was started in another window. Please try again."),
        "cancelled": _("Sign-in with %(provider)s was cancelled.") % {"provider": name},
        "unverified_email": _("%(provider)s did not confirm your email address, so we cannot match it to an account.")
        % {"provider": name},
        "no_email": _("%(provider)s did not give us your email address, so we cannot match it to an account.")
        % {"provider": name},
        "domain": _("Accounts of %(domain)s cannot sign in here.") % {"domain": (email or "").rpartition("@")[2]},
        "no_account": _("There is no account for %(email)s. Ask HR to invite you.") % {"email": email},
        "deactivated": _("Your account has been deactivated. Ask HR if you need access again."),
    }
    failed = _("Sign-in with %(provider)s did not work. Please try again, or ask HR if it keeps failing.")
    error = messages.get(reason) or failed % {"provider": name}
    return Template("auth/login.html", context={"email": "", "next": "/", "error": error}, status_code=status_code)


@get("/login/sso", name="login.sso")
async def sso_start(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    oidc_discovery: NamedDependency[Discovery], next: FromQuery[str] = "/"  # noqa: A002 (?next=)
) -> Template | Redirect:
    """Send the browser to the provider, with a fresh state, nonce and PKCE verifier kept in the session cookie."""
    _enabled(settings)
    if request.user is not None:
        return Redirect(safe_next(next))
    try:
        found = await provider(oidc_discovery, settings)
    except SignInRefused as refused:
        audit.record(db, actor=None, verb="sign_in_failed", entity="user", entity_id=None,
                     changes={"method": "oidc", "reason": refused.reason}, request=request)
        return _refused_page(settings, refused.reason, email=None, status_code=502)
    flow = {"state": generate_token(32), "nonce": generate_token(32), "verifier": generate_token(64),
            "next": safe_next(next), "at": int(time.time())}
    request.set_session({SESSION_KEY: flow})
    query = urlencode({
        "response_type": "code",
        "client_id": settings.oidc_client_id,
        "redirect_uri": callback_url(request, settings),
        "scope": "openid email profile",
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": create_s256_code_challenge(flow["verifier"]),
        "code_challenge_method": "S256",
    })
    separator = "&" if "?" in found.authorization_endpoint else "?"
    return Redirect(f"{found.authorization_endpoint}{separator}{query}", status_code=303)


@dataclass(frozen=True)
class Tokens:
    """The token endpoint's answer, once checked."""

    claims: dict  # the ID token's, checked
    access_token: str | None


async def _tokens(
    request: Request, settings: Settings, found: Provider, *, code: str, verifier: str, nonce: str
) -> Tokens:
    """Exchange the code for an ID token (and an access token) and return its claims once signature,
    issuer, audience, expiry and nonce all check out."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback_url(request, settings),
            "code_verifier": verifier}
    auth = None
    if found.secret_in_body:
        form |= {"client_id": settings.oidc_client_id, "client_secret": settings.oidc_client_secret}
    else:
        # RFC 6749 2.3.1: the id and secret are form-encoded before they go into the Basic header.
        auth = httpx.BasicAuth(quote(settings.oidc_client_id, safe=""), quote(settings.oidc_client_secret, safe=""))
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
            response = await client.post(found.token_endpoint, data=form, auth=auth,
                                         headers={"Accept": "application/json"})
            if response.status_code != 200:
                raise SignInRefused("token_endpoint_refused")
            answer = response.json()
            id_token, access_token = answer.get("id_token"), answer.get("access_token")
            keys = (await client.get(found.jwks_uri)).raise_for_status().json()
    except (httpx.HTTPError, ValueError, AttributeError):
        raise SignInRefused("token_endpoint_failed") from None
    if not isinstance(id_token, str):
        raise SignInRefused("no_id_token")
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(keys), algorithms=list(found.algorithms))
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": found.issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except ExpiredTokenError:
        raise SignInRefused("id_token_expired") from None
    except JoseError as error:
        # The error names the claim at fault ("aud", "nonce"...), never the token's content.
        raise SignInRefused(f"id_token_invalid:{getattr(error, 'claim', None) or error.error}") from None
    except ValueError:
        raise SignInRefused("id_token_invalid") from None
    claims = token.claims
    # With several audiences, the token must have been issued to this app (OpenID Connect Core 3.1.3.7).
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and claims.get("azp") != settings.oidc_client_id:
        raise SignInRefused("id_token_invalid:azp")
    return Tokens(claims=claims, access_token=access_token if isinstance(access_token, str) else None)


async def _person_claims(found: Provider, tokens: Tokens) -> dict:
    """What the provider says about the person: the ID token's claims, completed with the email from the
    userinfo endpoint when the token has none (OpenID Connect Core 5.4: the `email` scope's claims are
    returned there). The userinfo answer counts only for the ID token's subject (Core 5.3.2)."""
    claims = tokens.claims
    if claims.get("email"):
        return claims
    if not found.userinfo_endpoint or not tokens.access_token:
        raise SignInRefused("no_email")
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
            response = await client.get(found.userinfo_endpoint, headers={
                "Authorization": f"Bearer {tokens.access_token}", "Accept": "application/json"})
            response.raise_for_status()
            userinfo = response.json()
    except (httpx.HTTPError, ValueError):
        raise SignInRefused("userinfo_failed") from None
    if not isinstance(userinfo, dict):
        raise SignInRefused("userinfo_failed")
    if userinfo.get("sub") != claims["sub"]:
        raise SignInRefused("userinfo_sub_mismatch")
    # The email and whether it is verified come together from one source; the name may come from either.
    person = {**claims, "email": userinfo.get("email"), "email_verified": userinfo.get("email_verified")}
    if "xms_edov" in userinfo:
        person["xms_edov"] = userinfo["xms_edov"]
    if not person.get("name") and userinfo.get("name"):
        person["name"] = userinfo["name"]
    return person


def verified_email(claims: dict) -> str | None:
    """The email the provider vouches for, or None.

    `email_verified` is the standard claim (Google, Keycloak); Microsoft Entra ID sends `xms_edov`
    ("email domain owner verified") instead when that optional claim is configured.
    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    if claims.get("email_verified") is True or claims.get("xms_edov") is True:
        return normalise_email(email)[:column_limit(User, "email")]
    return None


async def signed_in_user(db: AsyncSession, settings: Settings, claims: dict, request: Request) -> User:
    """The account these claims sign in, created as an action owner when the settings allow it."""
    if not isinstance(claims.get("email"), str) or "@" not in claims["email"]:
        raise SignInRefused("no_email")
    email = verified_email(claims)
    if email is None:
        raise SignInRefused("unverified_email")
    domain = email.rpartition("@")[2]
    if settings.oidc_domains and domain not in settings.oidc_domains:
        raise SignInRefused("domain", email=email)
    user = (await db.execute(select(User).where(User.email == email))).scalar_one_or_none()
    if user is not None:
        if not user.active:
            raise SignInRefused("deactivated", email=email, user=user)
        return user
    if not settings.oidc_create_owners:
        raise SignInRefused("no_account", email=email)
    name = (" ".join(str(claims.get("name") or "").split())[:column_limit(User, "display_name")]
            or email.partition("@")[0])
    user = User(email=email, display_name=name, role=Role.OWNER.value, language=current_language())
    db.add(user)
    await db.flush()
    audit.record(db, actor=user, verb="create", entity="user", entity_id=user.id,
                 changes={"email": email, "role": user.role, "via": "oidc"}, request=request)
    return user


@get("/login/sso/callback", name="login.sso.callback")
async def sso_callback(
    request: Request, settings: NamedDependency[Settings], db: NamedDependency[AsyncSession],
    oidc_discovery: NamedDependency[Discovery],
) -> Template | Redirect:
    """Where the provider sends the browser back: finish the flow this browser started."""
    _enabled(settings)
    session = request.session if isinstance(request.session, dict) else {}
    flow = session.get(SESSION_KEY)
    # The flow is used once, whatever happens next.
    request.set_session({key: value for key, value in session.items() if key != SESSION_KEY})
    params = request.query_params
    try:
        if not isinstance(flow, dict) or time.time() - flow.get("at", 0) > FLOW_SECONDS:
            raise SignInRefused("flow")
        if params.get("error"):
            # Checked before the state (some providers leave it out of error answers): an error signs no one in.
            raise SignInRefused("cancelled" if params.get("error") == "access_denied" else "provider_error")
        if params.get("state") != flow["state"]:
            raise SignInRefused("flow")
        code = params.get("code")
        if not code:
            raise SignInRefused("no_code")
        found = await provider(oidc_discovery, settings)
        tokens = await _tokens(request, settings, found, code=code, verifier=flow["verifier"], nonce=flow["nonce"])
        user = await signed_in_user(db, settings, await _person_claims(found, tokens), request)
    except SignInRefused as refused:
        changes = {"method": "oidc", "reason": refused.reason}
        if refused.email:
            changes["email"] = refused.email
        audit.record(db, actor=None, verb="sign_in_failed", entity="user",
                     entity_id=refused.user.id if refused.user else None, changes=changes, request=request)
        logger.info("single sign-on refused: %s", refused.reason)
        return _refused_page(settings, refused.reason, email=refused.email)
    audit.record(db, actor=user, verb="sign_in", entity="user", entity_id=user.id,
                 changes={"method": "oidc"}, request=request)
    start_session(request, user)
    return Redirect(flow["next"], status_code=303)


routes = [sso_start, sso_callback]
