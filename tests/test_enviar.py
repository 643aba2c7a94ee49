"""`poa-render enviar`: e-mail the report, against a real SMTP server on 127.0.0.1.

The server is aiosmtpd, started by each test on a free port, with STARTTLS (a
certificate made here, signed by a CA made here) and AUTH required. Most
tests replace the renderers with a fake returning fixed bytes, so they test
the e-mail and not the PDF; the end-to-end tests at the bottom use the real
renderers.
"""
from __future__ import annotations

import base64
import datetime as dt
import email
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import sys
import traceback
from dataclasses import dataclass
from email import policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:  # in case conftest did not put the working tree first
    sys.path.insert(0, str(ROOT))

from builders import DEFAULT_FIRMAS, DEFAULT_HEADER, Goal, Unit  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import poa_xlsx.render.reporte  # noqa: E402
from poa_xlsx.cli import cli  # noqa: E402
from poa_xlsx.cli import correo_opciones as cli_module  # noqa: E402
from poa_xlsx.correo import mensaje as mailer  # noqa: E402
from poa_xlsx.correo import smtp  # noqa: E402

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

USUARIO = "turismo@example.org"
PASSWORD = "Zq7-Correo-Secreto-91"
WORKBOOK_NAME = "Turismo_Año_2024.xlsx"
PDF_NAME = "Turismo_Año_2024_TMM-F004.pdf"
XLSX_NAME = "Turismo_Año_2024_TMM-F004.xlsx"
SUBJECT = (
    "TMM-F004 Avance físico programático, segundo trimestre 2023 – "
    "Ramo 59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"
)


# --- certificates ----------------------------------------------------------------------


@dataclass(frozen=True)
class TLSFiles:
    ca: Path  # what the client must trust (--ca-certificado)
    cert: Path  # the server's certificate chain
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def _make_with_cryptography(folder: Path) -> TLSFiles:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA de prueba de poa-xlsx")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files = TLSFiles(folder / "ca.pem", folder / "servidor.pem", folder / "servidor.key")
    files.ca.write_bytes(ca_cert.public_bytes(pem))
    files.cert.write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    files.key.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files


def _make_with_openssl(folder: Path) -> TLSFiles:
    # one self-signed certificate: it is its own CA
    cert, key = folder / "servidor.pem", folder / "servidor.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return TLSFiles(cert, cert, key)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> TLSFiles:
    folder = tmp_path_factory.mktemp("tls")
    try:
        import cryptography  # noqa: F401
    except ImportError:
        if shutil.which("openssl"):
            return _make_with_openssl(folder)
        if os.environ.get("CI"):
            pytest.fail("Para probar STARTTLS hace falta el paquete cryptography o el programa openssl.")
        pytest.skip("ni cryptography ni openssl disponibles para crear un certificado de prueba")
    return _make_with_cryptography(folder)


# --- the SMTP server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps every envelope; answers 550 for the addresses in ``reject``."""

    def __init__(self, reject: tuple[str, ...] = ()) -> None:
        self.envelopes: list = []
        self.reject = {a.lower() for a in reject}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 Buzon inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Mensaje aceptado"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content or e.content, policy=policy.default) for e in self.envelopes]


class Authenticator:
    def __init__(self, usuario: str, password: str) -> None:
        self.usuario = usuario.encode("utf-8")
        self.password = password.encode("utf-8")
        self.attempts = 0

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.attempts += 1
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.usuario
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    port: int
    handler: Recorder
    authenticator: Authenticator | None


@pytest.fixture
def smtp_server(tls_files):
    """Factory: start an aiosmtpd server on 127.0.0.1 and a free port; stopped after the test.

    ``mode``: "starttls" (STARTTLS and AUTH required), "implicito" (TLS from the
    first byte, AUTH required) or "abierto" (no TLS, no AUTH: a local relay).
    """
    controllers = []

    def start(mode: str = "starttls", reject: tuple[str, ...] = (), password: str = PASSWORD) -> Server:
        handler = Recorder(reject)
        authenticator = None
        kwargs: dict = {}
        if mode in ("starttls", "implicito"):
            authenticator = Authenticator(USUARIO, password)
            kwargs.update(auth_required=True, authenticator=authenticator, auth_require_tls=True)
        if mode == "starttls":
            kwargs.update(tls_context=tls_files.server_context(), require_starttls=True)
        if mode == "implicito":
            # aiosmtpd does not see implicit TLS as TLS for AUTH; the whole connection is encrypted anyway
            kwargs.update(ssl_context=tls_files.server_context(), auth_require_tls=False)
        port = free_port()
        controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return Server(port, handler, authenticator)

    yield start
    for controller in controllers:
        controller.stop()


# --- workbook, renderer, runner --------------------------------------------------------


def fake_render(reporte, formato, papel):
    """Deterministic stand-in for the renderers: different per format and report, binary."""
    return f"FAKE-{formato}-{papel}-{reporte.titulo}\n".encode("utf-8") + bytes(range(256)) * 3


@pytest.fixture
def fake_renderers(monkeypatch):
    monkeypatch.setattr(poa_xlsx.render.reporte, "render", fake_render)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("POA_SMTP_"):
            monkeypatch.delenv(name)


def _second_unit() -> Unit:
    header = [
        ("UNIDAD EJECUTORA", "101", "DIRECCIÓN") if label == "UNIDAD EJECUTORA" else (label, clave, desc)
        for label, clave, desc in DEFAULT_HEADER
    ]
    firmas = [("ELABORÓ", "C.P. FABIOLA LEÓN HUERTA", "JEFA DEL DEPARTAMENTO ADMINISTRATIVO", None), *DEFAULT_FIRMAS[1:]]
    return Unit(
        sheet="101 Dirección",
        header=header,
        goals=[
            Goal(numero="101", meta=40, p=(10, 10, 10, 10), a=(10, 10, None, None), obs=""),
            Goal(numero="102", meta=8, p=(2, 2, 2, 2), a=(5, 5, None, None), obs="Se atendieron solicitudes extraordinarias."),
        ],
        firmas=firmas,
    )


@pytest.fixture
def libro(make_workbook) -> Path:
    """Two units (no alcanzada; cumplida + rebasada), different ELABORÓ, an accented file name."""
    return make_workbook(name=WORKBOOK_NAME, units=[Unit(), _second_unit()])


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    runner = CliRunner()
    return runner.invoke(cli, ["enviar", *map(str, args)], env=env, input=input)


def smtp_args(server: Server, tls_files: TLSFiles, *extra: str) -> list[str]:
    return [
        "--servidor", "127.0.0.1", "--puerto", str(server.port),
        "--usuario", USUARIO, "--ca-certificado", str(tls_files.ca), *extra,
    ]


def assert_secret_absent(result, secret: str = PASSWORD) -> None:
    forms = smtp.secret_forms(USUARIO, secret)
    assert secret in forms
    for text in (result.stdout, result.stderr, result.output):
        for form in forms:
            assert form not in text
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        formatted = "".join(traceback.format_exception(result.exception))
        for form in forms:
            assert form not in formatted


def attachments(msg) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in msg.iter_attachments()}


# --- sending: the whole path ----------------------------------------------------------------


def test_sends_with_starttls_and_auth(libro, tmp_path, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    salida = tmp_path / "salida"
    result = run(
        libro, *smtp_args(server, tls_files), "--cc", "contraloria@example.org", "--adjuntar-xlsx", "-o", salida,
        env={"POA_SMTP_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert "Reporte enviado a tesoreria@example.org (CC: contraloria@example.org)." in result.stdout
    assert_secret_absent(result)
    assert server.authenticator.attempts == 1

    (envelope,) = server.handler.envelopes
    assert envelope.mail_from == USUARIO
    assert sorted(envelope.rcpt_tos) == ["contraloria@example.org", "tesoreria@example.org"]
    (msg,) = server.handler.messages()
    assert msg["To"] == "tesoreria@example.org"
    assert msg["Cc"] == "contraloria@example.org"
    assert msg["From"].addresses[0].addr_spec == USUARIO
    assert msg["Subject"] == SUBJECT
    assert msg["Date"] and msg["Message-ID"]
    assert msg["X-Unsent"] is None

    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    for expected in (
        "segundo trimestre (abril a junio de 2023)",
        "Ramo 59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI",
        "Unidades ejecutoras incluidas (2):",
        "59-201 DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL: 1 meta (1 no alcanzada)",
        "59-101 DIRECCIÓN: 2 metas (1 cumplida, 1 rebasada)",
        "  - 1 meta cumplida\n  - 1 meta rebasada\n  - 1 meta no alcanzada\n",
        f"  - {PDF_NAME} (",
        f"  - {XLSX_NAME} (",
        # different ELABORÓ per unit: each named, the first one signs
        "Elaboró: LIC. AARÓN ALEXIS ÁLVAREZ MARÍN",
        "Elaboró: C.P. FABIOLA LEÓN HUERTA",
        "Atentamente,\n\nLIC. AARÓN ALEXIS ÁLVAREZ MARÍN\nCOORDINADOR DE PROMOCIÓN\n",
    ):
        assert expected in body

    # attachments: accented names intact, bytes identical to the files written with -o
    received = attachments(msg)
    assert list(received) == [PDF_NAME, XLSX_NAME]
    assert sorted(p.name for p in salida.iterdir()) == [PDF_NAME, XLSX_NAME]
    for name, data in received.items():
        assert data == (salida / name).read_bytes()
    assert received[PDF_NAME].startswith(b"FAKE-pdf-carta-")
    assert received[XLSX_NAME].startswith(b"FAKE-xlsx-carta-")
    assert [part.get_content_type() for part in msg.iter_attachments()] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]


def test_accents_travel_encoded_in_the_raw_message(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    result = run(libro, *smtp_args(server, tls_files), env={"POA_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    raw = server.handler.envelopes[0].original_content
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # RFC 2047: any server can carry it
    assert b"filename*=utf-8''Turismo_A%C3%B1o_2024_TMM-F004.pdf" in raw  # RFC 2231
    assert raw.isascii()  # body quoted-printable, attachments base64


def test_settings_from_environment(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    env = {
        "POA_SMTP_HOST": "127.0.0.1",
        "POA_SMTP_PORT": str(server.port),
        "POA_SMTP_USUARIO": USUARIO,
        "POA_SMTP_REMITENTE": f"Dirección de Turismo <{USUARIO}>",
        "POA_SMTP_PASSWORD": PASSWORD,
        "POA_SMTP_CA": str(tls_files.ca),
    }
    result = run(libro, "--para", "finanzas@example.org; egresos@example.org", env=env)
    assert result.exit_code == 0, result.output
    assert_secret_absent(result)
    (envelope,) = server.handler.envelopes
    assert envelope.rcpt_tos == ["finanzas@example.org", "egresos@example.org"]  # --para replaces CORREO TESORERÍA
    (msg,) = server.handler.messages()
    assert msg["From"].addresses[0].display_name == "Dirección de Turismo"
    assert list(attachments(msg)) == [PDF_NAME]  # the XLSX only with --adjuntar-xlsx


def test_non_ascii_password(libro, smtp_server, tls_files, fake_renderers):
    password = "Contraseña-Año-ñandú"
    server = smtp_server(password=password)
    result = run(libro, *smtp_args(server, tls_files), env={"POA_SMTP_PASSWORD": password})
    assert result.exit_code == 0, result.output
    assert len(server.handler.envelopes) == 1
    assert_secret_absent(result, password)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server("implicito")
    result = run(libro, *smtp_args(server, tls_files, "--tls-implicito"), env={"POA_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "TLS implícito" in result.stderr
    assert len(server.handler.envelopes) == 1


def test_plain_local_relay_only_with_sin_tls(libro, smtp_server, fake_renderers):
    server = smtp_server("abierto")
    args = ["--servidor", "127.0.0.1", "--puerto", str(server.port), "--remitente", USUARIO]
    refused = run(libro, *args, "--timeout", "5")  # STARTTLS by default: the relay does not offer it
    assert refused.exit_code == 1
    assert "no ofrece cifrado STARTTLS" in refused.stderr
    assert "--sin-tls" in refused.stderr
    assert server.handler.envelopes == []

    result = run(libro, *args, "--sin-tls")
    assert result.exit_code == 0, result.output
    assert "sin cifrado" in result.stderr
    assert len(server.handler.envelopes) == 1


def test_password_prompted_on_a_terminal(libro, smtp_server, tls_files, fake_renderers, monkeypatch):
    monkeypatch.setattr(cli_module, "_stdin_is_interactive", lambda: True)
    server = smtp_server()
    result = run(libro, *smtp_args(server, tls_files), input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert f"Contraseña de correo de {USUARIO}" in result.stderr
    assert_secret_absent(result)
    assert len(server.handler.envelopes) == 1


# --- failures: each its message and exit code 1, and the password nowhere ---------------------


def test_wrong_password(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    wrong = "Otra-Clave-Equivocada-55"
    result = run(libro, *smtp_args(server, tls_files), env={"POA_SMTP_PASSWORD": wrong})
    assert result.exit_code == 1
    assert "rechazó el usuario «turismo@example.org» o su contraseña" in result.stderr
    assert "POA_SMTP_PASSWORD" in result.stderr
    assert "Traceback" not in result.output
    assert_secret_absent(result, wrong)
    assert server.handler.envelopes == []


def test_wrong_password_with_debug_traceback_has_no_password(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    wrong = "Otra-Clave-Equivocada-55"
    result = run(libro, *smtp_args(server, tls_files), "--debug", env={"POA_SMTP_PASSWORD": wrong})
    assert isinstance(result.exception, mailer.MailError)
    assert "contraseña" in str(result.exception)
    assert_secret_absent(result, wrong)


def test_closed_port(libro, tls_files, fake_renderers):
    port = free_port()  # nothing listens there
    result = run(
        libro, "--servidor", "127.0.0.1", "--puerto", port, "--usuario", USUARIO, "--ca-certificado", tls_files.ca,
        env={"POA_SMTP_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 1
    assert f"rechazó la conexión en el puerto {port}" in result.stderr
    assert "POA_SMTP_HOST" in result.stderr and "POA_SMTP_PORT" in result.stderr
    assert_secret_absent(result)


def test_rejected_recipient(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server(reject=("nadie@example.org",))
    result = run(libro, *smtp_args(server, tls_files), "--para", "nadie@example.org", env={"POA_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert "rechazó la dirección «nadie@example.org» (550 5.1.1 Buzon inexistente)" in result.stderr
    assert "No se envió el mensaje." in result.stderr
    assert_secret_absent(result)
    assert server.handler.envelopes == []


def test_one_of_two_recipients_rejected(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server(reject=("nadie@example.org",))
    result = run(
        libro, *smtp_args(server, tls_files), "--cc", "nadie@example.org", env={"POA_SMTP_PASSWORD": PASSWORD}
    )
    assert result.exit_code == 1
    assert "se envió a tesoreria@example.org, pero el servidor rechazó «nadie@example.org»" in result.stderr
    (envelope,) = server.handler.envelopes
    assert envelope.rcpt_tos == ["tesoreria@example.org"]


def test_untrusted_certificate(libro, smtp_server, fake_renderers):
    server = smtp_server()
    result = run(
        libro, "--servidor", "127.0.0.1", "--puerto", server.port, "--usuario", USUARIO,
        env={"POA_SMTP_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 1
    assert "No se pudo verificar el certificado de seguridad del servidor 127.0.0.1" in result.stderr
    assert "--ca-certificado" in result.stderr and "POA_SMTP_CA" in result.stderr
    assert server.authenticator.attempts == 0  # the password never left the machine
    assert server.handler.envelopes == []


def test_no_password_and_no_terminal(libro, smtp_server, tls_files, fake_renderers, monkeypatch):
    monkeypatch.setattr(cli_module, "_stdin_is_interactive", lambda: False)
    server = smtp_server()
    result = run(libro, *smtp_args(server, tls_files))
    assert result.exit_code == 1
    assert "Falta la contraseña del usuario «turismo@example.org»" in result.stderr
    assert "POA_SMTP_PASSWORD" in result.stderr
    assert "Generando" not in result.stderr  # checked before rendering
    assert server.handler.envelopes == []


def test_password_is_not_an_option(libro):
    result = run(libro, "--password", PASSWORD)
    assert result.exit_code == 2
    assert PASSWORD not in result.output


def test_refuses_a_workbook_with_errors(make_workbook, smtp_server, tls_files, fake_renderers):
    bad = make_workbook(units=[Unit(goals=[Goal(meta="tres")])])
    server = smtp_server()
    result = run(bad, *smtp_args(server, tls_files), env={"POA_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert "[numero-invalido]" in result.stderr
    assert "no se envió nada porque el libro tiene errores" in result.stderr
    assert server.handler.envelopes == []


def test_no_recipients(make_workbook, fake_renderers):
    general = {"AYUNTAMIENTO": "XXIV AYUNTAMIENTO DE MEXICALI", "EJERCICIO": 2023, "TRIMESTRE": 2}
    path = make_workbook(general=general)
    result = run(path, "--simular")
    assert result.exit_code == 1
    assert "No hay a quién enviar" in result.stderr
    assert "CORREO TESORERÍA" in result.stderr and "--para" in result.stderr


@pytest.mark.parametrize("option", ["--para", "--cc"])
def test_invalid_address_is_a_usage_error(libro, option):
    result = run(libro, option, "tesoreria(at)example.org", "--simular")
    assert result.exit_code == 2
    assert "«tesoreria(at)example.org» no es una dirección de correo válida" in result.stderr


def test_no_server_configured(libro, fake_renderers):
    result = run(libro)
    assert result.exit_code == 1
    assert "Falta el servidor de correo" in result.stderr
    assert "POA_SMTP_HOST" in result.stderr and "--borrador" in result.stderr


def test_conflicting_options(libro):
    assert run(libro, "--borrador", "x.eml", "--simular").exit_code == 2
    assert run(libro, "--sin-tls", "--tls-implicito", "--simular").exit_code == 2
    assert run(libro, "--formato", "xlsx", "--simular").exit_code == 2


# --- without sending: draft and simulation -----------------------------------------------------


def test_draft_parses_back_with_its_attachments(libro, tmp_path, fake_renderers):
    draft = tmp_path / "correo de tesorería.eml"
    salida = tmp_path / "salida"
    result = run(libro, "--borrador", draft, "--adjuntar-xlsx", "-o", salida)  # no SMTP settings at all
    assert result.exit_code == 0, result.output
    assert str(draft) in result.stdout
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "tesoreria@example.org"
    assert msg["Subject"] == SUBJECT
    assert msg["Date"] is None and msg["From"] is None  # the mail client stamps them when sending
    assert "Unidades ejecutoras incluidas (2):" in msg.get_body(("plain",)).get_content()
    received = attachments(msg)
    assert list(received) == [PDF_NAME, XLSX_NAME]
    for name, data in received.items():
        assert data == (salida / name).read_bytes()


def test_draft_gets_the_eml_extension(libro, tmp_path, fake_renderers):
    result = run(libro, "--borrador", tmp_path / "borrador", "--remitente", USUARIO)
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes((tmp_path / "borrador.eml").read_bytes(), policy=policy.default)
    assert msg["From"] == USUARIO


def test_simulation_sends_nothing(libro, smtp_server, tls_files, fake_renderers):
    server = smtp_server()
    result = run(libro, *smtp_args(server, tls_files), "--simular", "--adjuntar-xlsx", "--cc", "contraloria@example.org")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Simulación: no se envió nada.")
    assert "Para:      tesoreria@example.org" in result.stdout
    assert "CC:        contraloria@example.org" in result.stdout
    assert f"Asunto:    {SUBJECT}" in result.stdout
    assert PDF_NAME in result.stdout and XLSX_NAME in result.stdout
    assert f"127.0.0.1:{server.port} (STARTTLS), usuario {USUARIO}" in result.stdout
    assert "Contraseña" not in result.output  # not asked: nothing is sent
    assert server.handler.envelopes == []
    assert server.authenticator.attempts == 0


def test_own_templates(libro, tmp_path, fake_renderers):
    folder = tmp_path / "plantillas"
    folder.mkdir()
    (folder / "correo_asunto.txt.j2").write_text(
        "POA {{ ejercicio }}\n{{ trimestre_texto | upper }} – año de {{ firma.nombre }}", encoding="utf-8"
    )
    result = run(libro, "--simular", "--plantillas", folder)
    assert result.exit_code == 0, result.output
    assert "Asunto:    POA 2023 SEGUNDO TRIMESTRE – año de LIC. AARÓN ALEXIS ÁLVAREZ MARÍN" in result.stdout
    assert "Buen día:" in result.stdout  # the body still comes from the shipped template


# --- the library, directly ---------------------------------------------------------------------


def test_encryption_follows_the_port():
    assert smtp.elegir_cifrado(None) is smtp.Cifrado.STARTTLS
    assert smtp.elegir_cifrado(587) is smtp.Cifrado.STARTTLS
    assert smtp.elegir_cifrado(465) is smtp.Cifrado.TLS_IMPLICITO
    assert smtp.elegir_cifrado(2465, tls_implicito=True) is smtp.Cifrado.TLS_IMPLICITO
    assert smtp.elegir_cifrado(465, sin_tls=True) is smtp.Cifrado.NINGUNO
    assert smtp.puerto_predeterminado(smtp.Cifrado.STARTTLS) == 587
    assert smtp.puerto_predeterminado(smtp.Cifrado.TLS_IMPLICITO) == 465
    assert smtp.puerto_predeterminado(smtp.Cifrado.NINGUNO) == 25


def test_password_hidden_from_repr_and_server_replies():
    servidor = smtp.ServidorSMTP("smtp.example.org", 587, usuario=USUARIO, password=PASSWORD)
    assert PASSWORD not in repr(servidor)
    import smtplib

    echoed = base64.b64encode(f"\0{USUARIO}\0{PASSWORD}".encode()).decode()
    exc = smtplib.SMTPAuthenticationError(535, f"5.7.8 bad credentials {PASSWORD} {echoed}".encode())
    smtp._scrub(exc, smtp.secret_forms(USUARIO, PASSWORD))
    text, _ajustes = smtp.explain_failure(exc, servidor, [], smtp.secret_forms(USUARIO, PASSWORD))
    assert PASSWORD not in text and echoed not in text and "****" in text
    assert PASSWORD not in str(exc) and echoed not in str(exc)


def _failures():
    """One exception of each kind explain_failure answers, as smtplib, ssl and socket raise them."""
    import smtplib

    cert = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cert.verify_message, cert.reason = "unable to get local issuer certificate", "CERTIFICATE_VERIFY_FAILED"
    tls = ssl.SSLError(1, "wrong version number")
    tls.reason = "WRONG_VERSION_NUMBER"  # set by the ssl module on the errors it raises
    return [
        ConnectionRefusedError(111, "Connection refused"),
        socket.gaierror(-2, "Name or service not known"),
        TimeoutError("timed out"),
        OSError(101, "Network is unreachable"),
        cert,
        tls,
        smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"),
        smtplib.SMTPSenderRefused(552, b"5.3.4 message size exceeds fixed limit", "a@example.org"),
        smtplib.SMTPSenderRefused(530, b"5.7.0 authentication required", "a@example.org"),
        smtplib.SMTPSenderRefused(553, b"5.7.1 sender not owned", "a@example.org"),
        smtplib.SMTPRecipientsRefused({"b@example.org": (550, b"5.1.1 unknown")}),
        smtplib.SMTPDataError(554, b"5.3.4 too big"),
        smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."),
        smtplib.SMTPConnectError(421, b"busy"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    ]


@pytest.mark.parametrize("exc", _failures(), ids=lambda e: f"{type(e).__name__}-{getattr(e, 'smtp_code', '')}")
def test_failures_name_the_setting_not_an_option(exc):
    """The library says what to change in words; the command line adds its options (issue #13)."""
    import re

    servidor = smtp.ServidorSMTP("smtp.example.org", 587, usuario=USUARIO, password=PASSWORD, timeout=7)
    mensaje, ajustes = smtp.explain_failure(exc, servidor, ["b@example.org"])
    assert not re.search(r"--[a-z]|POA_SMTP_", mensaje), mensaje
    assert set(ajustes) <= set(cli_module.OPCIONES), ajustes
    if isinstance(exc, ssl.SSLCertVerificationError):
        assert ajustes == ("ca_certificado",) and "certificado de la autoridad" in mensaje
    if isinstance(exc, TimeoutError):
        assert "timeout" in ajustes and "tiempo de espera" in mensaje


def test_option_hints_add_the_command_lines_options():
    with pytest.raises(mailer.MailError) as caught, cli_module.option_hints():
        raise mailer.MailError("El servidor no respondió.", ajustes=("host", "timeout"))
    assert str(caught.value) == ("El servidor no respondió. Opciones: --servidor o POA_SMTP_HOST (el servidor de "
                                 "correo); --timeout SEGUNDOS (el tiempo de espera).")
    with pytest.raises(mailer.MailError) as caught, cli_module.option_hints():
        raise mailer.MailError("Sin ajuste que cambiar.")
    assert str(caught.value) == "Sin ajuste que cambiar."


def test_parse_destinatarios():
    assert mailer.parse_destinatarios(["a@x.org, b@x.org", "A@X.org;c@x.org"]) == ("a@x.org", "b@x.org", "c@x.org")
    with pytest.raises(mailer.MailError):
        mailer.parse_destinatarios(["a@x.org, sin-arroba"])


@pytest.mark.parametrize(
    "nombre",
    [
        "Turismo_Año_2024_TMM-F004.xlsx",
        "Comisión de Desarrollo Industrial de Mexicali — Año 2024, PROMOCIÓN Y ATRACCIÓN_TMM-F004.xlsx",
        "Comisión de Desarrollo Industrial de Mexicali — Año 2024, PROMOCIÓN Y ATRACCIÓN_TMM-F004.pdf",
        "plain_TMM-F004.pdf",
    ],
)
def test_attachment_names_and_types_survive(nombre):
    adjunto = mailer.Adjunto(nombre, b"PK\x03\x04" + bytes(range(256)))
    msg = mailer.build_message(asunto="Año – ñandú", cuerpo="Texto\n", para=["a@example.org"], adjuntos=[adjunto])
    raw = mailer.message_bytes(msg)
    assert raw.isascii()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998
        if line.lower().startswith(b"content-type:"):
            assert b"=?" not in line  # no encoded words inside a MIME type
    back = email.message_from_bytes(raw, policy=policy.default)
    assert back["Subject"] == "Año – ñandú"
    (part,) = back.iter_attachments()
    assert part.get_filename() == nombre
    assert part.get_content_type() == "/".join(adjunto.tipo)
    assert part.get_content() == adjunto.datos


def test_format_tamano():
    assert mailer.format_tamano(1) == "1 byte"
    assert mailer.format_tamano(812) == "812 bytes"
    assert mailer.format_tamano(1025) == "2 KB"
    assert mailer.format_tamano(3 * 1024 * 1024) == "3.0 MB"


# --- end to end, with the real renderers ------------------------------------------------------


def test_end_to_end_real_renderers_sent(libro, tmp_path, smtp_server, tls_files):
    """No fake: the PDF and XLSX the renderers make arrive byte-identical and readable."""
    server = smtp_server()
    salida = tmp_path / "salida"
    result = run(libro, *smtp_args(server, tls_files), "--adjuntar-xlsx", "-o", salida, env={"POA_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    (msg,) = server.handler.messages()
    received = attachments(msg)
    assert list(received) == [PDF_NAME, XLSX_NAME]
    for name, data in received.items():
        assert data == (salida / name).read_bytes()
    assert received[PDF_NAME].startswith(b"%PDF")
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(received[XLSX_NAME]))
    assert len(book.sheetnames) >= 2


def test_end_to_end_real_renderers_draft(libro, tmp_path):
    draft = tmp_path / "borrador.eml"
    salida = tmp_path / "salida"
    result = run(libro, "--borrador", draft, "-o", salida)
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    received = attachments(msg)
    assert list(received) == [PDF_NAME]
    assert received[PDF_NAME] == (salida / PDF_NAME).read_bytes()
    assert received[PDF_NAME].startswith(b"%PDF")
