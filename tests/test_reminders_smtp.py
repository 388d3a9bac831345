"""Reminder mail over STARTTLS, implicit TLS and SMTP AUTH, against a real aiosmtpd server.

The server's certificate is issued in the test by a private CA (as on an intranet), and the app
trusts that CA through ACTIONTRACK_SMTP_CA_FILE; certificates are always verified.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from test_reminders import BASE_URL, actiontrack, deliveries, of_kind, people, remind  # noqa: F401 (people: fixture)

from actiontrack import clock
from actiontrack.models import User, Webhook
from actiontrack.settings import Settings

from conftest import HookReceiver, Inbox, SmtpServer, free_port

USERNAME, PASSWORD = "actiontrack", "s3cret-Relay-pw"


# --- a private CA and the server's certificates ------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Authority:
    """A CA made for the test, and where its certificate is written (the app's ACTIONTRACK_SMTP_CA_FILE)."""

    directory: Path
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    certificate: x509.Certificate = field(init=False)
    ca_file: Path = field(init=False)

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        public = self.key.public_key()
        self.certificate = (
            x509.CertificateBuilder().subject_name(_name("Intranet test CA")).issuer_name(_name("Intranet test CA"))
            .public_key(public).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.ca_file = self.directory / "ca.pem"
        self.ca_file.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def server_context(self, *names: str) -> ssl.SSLContext:
        """The server side of TLS, with a certificate for `names` (host names or IP addresses) signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        alternatives = [x509.IPAddress(ip_address(name)) if name[0].isdigit() else x509.DNSName(name) for name in names]
        certificate = (
            x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(self.certificate.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        stem = "-".join(names)
        cert_file, key_file = self.directory / f"{stem}.pem", self.directory / f"{stem}.key"
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        return context


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return Authority(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def loopback_tls(authority: Authority) -> ssl.SSLContext:
    return authority.server_context("127.0.0.1", "localhost")


# --- aiosmtpd servers that also record what went over TLS and who signed in -------------------------


class TlsInbox(Inbox):
    """The conftest Inbox, also noting for each MAIL command whether the connection was encrypted."""

    def __init__(self) -> None:
        super().__init__()
        self.mail_encrypted: list[bool] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 (aiosmtpd's hook names)
        self.mail_encrypted.append(server.transport.get_extra_info("cipher") is not None)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"


class Accounts:
    """An aiosmtpd authenticator accepting one user; it notes every attempt (user, accepted) and its connection."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.attempts: list[tuple[str, bool]] = []
        self.connections: set[int] = set()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        login = auth_data.login.decode()
        accepted = (login, auth_data.password.decode()) == (self.user, self.password)
        self.attempts.append((login, accepted))
        self.connections.add(id(session))
        return AuthResult(success=accepted, handled=False)  # handled=False: aiosmtpd answers 535 itself


@dataclass
class TlsServer(SmtpServer):
    inbox: TlsInbox


@pytest.fixture
def start_smtp() -> Iterator[Callable[..., TlsServer]]:
    """Starts a variant of conftest's smtp_server: same Inbox, with aiosmtpd's TLS and AUTH options."""
    controllers: list[Controller] = []

    def start(**options: Any) -> TlsServer:
        inbox = TlsInbox()
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return TlsServer(port=port, inbox=inbox)

    yield start
    for controller in controllers:
        controller.stop()


def mail_settings(settings: Settings, server: SmtpServer, **values: Any) -> Settings:
    return settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": server.port, "mail_from": "actiontrack@example.com",
        "base_url": BASE_URL, "webhook_retries": 0, "smtp_timeout_seconds": 5, **values,
    })


def email_results(report: Any) -> list[tuple[str, str]]:
    return [(line.result, line.error) for line in report.lines if line.channel == "email"]


# --- encrypted delivery ---------------------------------------------------------------------------------


@pytest.mark.parametrize("security, server_options", [
    ("starttls", "require_starttls"),
    ("tls", "implicit"),
])
def test_mail_goes_out_encrypted_to_a_server_with_a_certificate_from_the_internal_ca(
    settings: Settings, start_smtp: Callable[..., TlsServer], authority: Authority, loopback_tls: ssl.SSLContext,
    people: dict[str, User], make_action: Callable[..., Any], database_url: str, security: str,  # noqa: F811 (fixtures imported from test_reminders)
    server_options: str,
) -> None:
    if server_options == "implicit":
        server = start_smtp(ssl_context=loopback_tls)
    else:  # the server refuses MAIL before STARTTLS
        server = start_smtp(tls_context=loopback_tls, require_starttls=True)
    today = clock.today()
    make_action(owner=people["owner"], created_by=people["hr"], title="Shorter onboarding",
                deadline=today + timedelta(days=7))
    report = remind(mail_settings(settings, server, smtp_security=security, smtp_ca_file=authority.ca_file),
                    today=today)

    assert email_results(report) and {result for result, _ in email_results(report)} == {"sent"}
    [due] = of_kind(server.inbox, "charlie.owner@example.com", "due_soon")
    assert "Shorter onboarding" in due["Subject"]
    assert len(server.inbox.messages) == len(email_results(report))
    assert server.inbox.mail_encrypted == [True] * len(server.inbox.messages)
    assert {delivery.status for delivery, _ in deliveries(database_url)} == {"sent"}


@pytest.mark.parametrize("security", ["starttls", "tls"])
@pytest.mark.parametrize("trust, names", [
    ("system", ("127.0.0.1", "localhost")),   # the internal CA is not trusted without ACTIONTRACK_SMTP_CA_FILE
    ("internal", ("mail.internal",)),         # trusted CA, but the certificate is for another host
])
def test_a_certificate_that_does_not_verify_fails_the_delivery_and_nothing_is_sent(
    settings: Settings, start_smtp: Callable[..., TlsServer], authority: Authority, people: dict[str, User],  # noqa: F811 (fixtures imported from test_reminders)
    make_action: Callable[..., Any], database_url: str, security: str, trust: str, names: tuple[str, ...],
) -> None:
    context = authority.server_context(*names)
    server = start_smtp(ssl_context=context) if security == "tls" else start_smtp(tls_context=context)
    make_action(owner=people["owner"], created_by=people["hr"], deadline=clock.today() + timedelta(days=1))
    ca_file = authority.ca_file if trust == "internal" else None
    report = remind(mail_settings(settings, server, smtp_security=security, smtp_ca_file=ca_file),
                    today=clock.today())

    results = email_results(report)
    assert results and {result for result, _ in results} == {"failed"}
    assert all(error.startswith(f"cannot reach SMTP server 127.0.0.1:{server.port}: ") for _, error in results)
    assert all("CERTIFICATE_VERIFY_FAILED" in error for _, error in results)
    assert server.inbox.messages == [] and server.inbox.mail_encrypted == []
    stored = [delivery for delivery, _ in deliveries(database_url)]
    assert {delivery.status for delivery in stored} == {"failed"}
    assert all("CERTIFICATE_VERIFY_FAILED" in delivery.error for delivery in stored)


# --- SMTP AUTH --------------------------------------------------------------------------------------------


@pytest.fixture
def auth_server(start_smtp: Callable[..., TlsServer], loopback_tls: ssl.SSLContext) -> tuple[TlsServer, Accounts]:
    """STARTTLS required, sign-in required and only over TLS, one account."""
    accounts = Accounts(USERNAME, PASSWORD)
    server = start_smtp(tls_context=loopback_tls, require_starttls=True, auth_require_tls=True, auth_required=True,
                        authenticator=accounts)
    return server, accounts


def test_signed_in_over_starttls_the_mail_arrives_with_one_sign_in_per_run(
    settings: Settings, auth_server: tuple[TlsServer, Accounts], authority: Authority, people: dict[str, User],  # noqa: F811 (fixtures imported from test_reminders)
    make_action: Callable[..., Any], database_url: str,
) -> None:
    server, accounts = auth_server
    today = clock.today()
    make_action(owner=people["owner"], created_by=people["hr"], title="Exit survey", deadline=today + timedelta(days=7))
    make_action(owner=people["other"], created_by=people["hr"], title="Buddy system",
                deadline=today + timedelta(days=1))
    report = remind(mail_settings(settings, server, smtp_security="starttls", smtp_ca_file=authority.ca_file,
                                  smtp_username=USERNAME, smtp_password=PASSWORD), today=today)

    assert {result for result, _ in email_results(report)} == {"sent"}
    assert [mail["Subject"] for mail in of_kind(server.inbox, "dana.owner@example.com", "due_soon")] == [
        "Due in 1 day: Buddy system"]
    assert len(server.inbox.messages) == len(email_results(report)) >= 4
    assert server.inbox.mail_encrypted == [True] * len(server.inbox.messages)
    assert accounts.attempts == [(USERNAME, True)]  # one connection, one sign-in, for every message
    assert {delivery.status for delivery, _ in deliveries(database_url)} == {"sent"}


def test_a_wrong_password_fails_the_mail_clearly_without_showing_it_and_webhooks_still_go_out(
    settings: Settings, auth_server: tuple[TlsServer, Accounts], authority: Authority, people: dict[str, User],  # noqa: F811 (fixtures imported from test_reminders)
    make_action: Callable[..., Any], webhook_receiver: HookReceiver, add_webhook: Callable[..., Webhook],
    database_url: str, caplog: pytest.LogCaptureFixture,
) -> None:
    server, accounts = auth_server
    wrong = "Wrong-pw-" + PASSWORD
    today = clock.today()
    add_webhook(created_by=people["hr"], url=f"{webhook_receiver.url}/chat")
    make_action(owner=people["owner"], created_by=people["hr"], deadline=today + timedelta(days=1))
    make_action(owner=people["other"], created_by=people["hr"], deadline=today + timedelta(days=7))
    report = remind(mail_settings(settings, server, smtp_security="starttls", smtp_ca_file=authority.ca_file,
                                  smtp_username=USERNAME, smtp_password=wrong), today=today)

    results = email_results(report)
    assert len(results) >= 4 and {result for result, _ in results} == {"failed"}
    expected = f"sign-in refused by SMTP server 127.0.0.1:{server.port}: SMTP 535"
    assert all(error.startswith(expected) for _, error in results), results
    # One connection tried to sign in (aiosmtplib tries each mechanism the server offers), not one per
    # message: no account lock-out from a run with many reminders.
    assert set(accounts.attempts) == {(USERNAME, False)} and len(accounts.connections) == 1
    assert server.inbox.messages == []
    # Other channels carry on.
    hooks = [line.result for line in report.lines if line.channel == "webhook"]
    assert hooks and set(hooks) == {"sent"} and len(webhook_receiver.posts) == len(hooks)
    stored = {delivery.channel: delivery for delivery, _ in deliveries(database_url)}
    assert (stored["email"].status, stored["webhook"].status) == ("failed", "sent")
    assert all(delivery.error.startswith(expected) for delivery, _ in deliveries(database_url)
               if delivery.channel == "email")
    # The password is nowhere: not in the report, the deliveries or the log.
    shown = " ".join(str(line) for line in report.lines) + " ".join(
        delivery.error for delivery, _ in deliveries(database_url)) + caplog.text
    assert "sign-in refused" in caplog.text
    assert wrong not in shown and PASSWORD not in shown


def test_a_server_without_starttls_fails_the_mail_and_nothing_goes_out_in_clear_text(
    settings: Settings, start_smtp: Callable[..., TlsServer], authority: Authority, people: dict[str, User],  # noqa: F811 (fixtures imported from test_reminders)
    make_action: Callable[..., Any], database_url: str,
) -> None:
    # A careless relay: no STARTTLS, but it would take a password and mail in clear text.
    accounts = Accounts(USERNAME, PASSWORD)
    server = start_smtp(auth_require_tls=False, authenticator=accounts)
    make_action(owner=people["owner"], created_by=people["hr"], deadline=clock.today() + timedelta(days=1))
    report = remind(mail_settings(settings, server, smtp_security="starttls", smtp_ca_file=authority.ca_file,
                                  smtp_username=USERNAME, smtp_password=PASSWORD), today=clock.today())

    results = email_results(report)
    assert results and {result for result, _ in results} == {"failed"}
    assert all(error == f"cannot reach SMTP server 127.0.0.1:{server.port}: "
                        "SMTPException: SMTP STARTTLS extension not supported by server." for _, error in results)
    assert server.inbox.connections == 1  # it did connect (once per run), then stopped
    assert accounts.attempts == []        # no password sent
    assert server.inbox.mail_encrypted == [] and server.inbox.messages == []  # no MAIL command, no message
    assert {delivery.status for delivery, _ in deliveries(database_url)} == {"failed"}


# --- the command line, configured through the environment ---------------------------------------------------


def test_remind_command_uses_the_ca_file_and_credentials_from_the_environment(
    auth_server: tuple[TlsServer, Accounts], authority: Authority, people: dict[str, User],  # noqa: F811 (fixtures imported from test_reminders)
    make_action: Callable[..., Any], database_url: str,
) -> None:
    server, accounts = auth_server
    make_action(owner=people["other"], created_by=people["hr"], title="Buddy system",
                deadline=clock.today() + timedelta(days=7))
    result = actiontrack("remind", "--date", clock.today().isoformat(), url=database_url, extra_env={
        "ACTIONTRACK_SMTP_HOST": "127.0.0.1", "ACTIONTRACK_SMTP_PORT": str(server.port),
        "ACTIONTRACK_SMTP_SECURITY": "starttls", "ACTIONTRACK_SMTP_CA_FILE": str(authority.ca_file),
        "ACTIONTRACK_SMTP_USERNAME": USERNAME, "ACTIONTRACK_SMTP_PASSWORD": PASSWORD,
        "ACTIONTRACK_BASE_URL": BASE_URL,
    })
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stdout.strip().splitlines()[-1]
    assert [mail["Subject"] for mail in of_kind(server.inbox, "dana.owner@example.com", "due_soon")] == [
        "Due in 7 days: Buddy system"]
    assert accounts.attempts == [(USERNAME, True)]
    assert PASSWORD not in result.stdout + result.stderr


def test_smtp_ca_file_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings(secret_key="x" * 32).smtp_ca_file is None  # default: the system's trusted CAs
    monkeypatch.setenv("ACTIONTRACK_SMTP_CA_FILE", str(tmp_path / "ca.pem"))
    assert Settings(secret_key="x" * 32).smtp_ca_file == tmp_path / "ca.pem"
