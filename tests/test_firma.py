"""e.firma signatures: loading the SAT's files, three people signing in turn,
verifying with ``poa-render verificar`` and with pyHanko's own validator, the
refusals (wrong password, someone else's key, expired certificate, a holder in
no block), time stamps from a TSA on 127.0.0.1, and the SAT's real test files.

The PKI is made in code (``sat_pki.py``) in the SAT's formats.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from builders import Unit, build_workbook
from click.testing import CliRunner
from sat_pki import NOW, PASSWORD, TestCA, key_der

_REPO = Path(__file__).resolve().parents[1]
# shared/ sits beside the repository (CI, /work/main) or beside the folder of worktrees
SAT = next((p for p in (_REPO.parent / "shared" / "sat", _REPO.parent.parent / "shared" / "sat") if p.is_dir()), _REPO / "shared" / "sat")
SAT_CER = SAT / "FIEL_AAA010101AAA.cer"
SAT_KEY = SAT / "FIEL_AAA010101AAA.key"
SAT_PASSWORD = "12345678a"

ELABORO = ("ELABORÓ", "LIC. ANA MARÍA PÉREZ LÓPEZ", "JEFA DE DEPARTAMENTO", None)
REVISO = ("REVISÓ", "MTRA. BEATRIZ GÓMEZ RUIZ", "COORDINADORA", None)
AUTORIZO = ("AUTORIZÓ", "ING. CARLOS DÍAZ TORRES", "DIRECTOR", None)
OTRA_UNIDAD = ("ELABORÓ", "C.P. ROSA NÚÑEZ SOTO", "ANALISTA", None)


def cli(*args: object, input: str | None = None):
    from poa_xlsx.cli import cli as group

    result = CliRunner().invoke(group, [str(a) for a in args], input=input, catch_exceptions=True)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = TestCA(folder)
    holders = {
        "elaboro": ca.holder("ANA MARIA PEREZ LOPEZ", "PELA800101AB1", "PELA800101MBCRPN01"),
        "reviso": ca.holder("BEATRIZ GOMEZ RUIZ", "GORB750505XY2", "GORB750505MBCMZT02"),
        "autorizo": ca.holder("CARLOS DIAZ TORRES", "DITC700303QW3", "DITC700303HBCZRR03"),
        "nadie": ca.holder("DANIEL NADIE REYES", "NARD900909ZZ9", "NARD900909HBCDYN04"),
        "vencido": ca.holder(
            "ANA MARIA PEREZ LOPEZ", "PELA800101AB9", "PELA800101MBCRPN09",
            not_before=NOW - dt.timedelta(days=4 * 365), not_after=NOW - dt.timedelta(days=30),
        ),
    }
    return ca, holders


@pytest.fixture(scope="module")
def reporte(tmp_path_factory) -> Path:
    """A report with two units: the three people sign unit 201; unit 305 has another ELABORÓ."""
    folder = tmp_path_factory.mktemp("reporte")
    header2 = [(l, "305" if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in Unit().header]
    libro = build_workbook(
        folder / "libro.xlsx",
        units=[
            Unit(sheet="201 Promoción", firmas=[ELABORO, REVISO, AUTORIZO]),
            Unit(sheet="305 Otra", header=header2, firmas=[OTRA_UNIDAD, REVISO, AUTORIZO]),
        ],
    )
    result = cli(libro, "-o", folder, "--formato", "pdf", "--sin-resumen")
    assert result.exit_code == 0, result.output
    return folder / "libro_TMM-F004.pdf"


def firmar(pdf: Path, holder, *extra: object, password: str = PASSWORD):
    return cli("firmar", pdf, "--cer", holder.cer, "--key", holder.key, *extra, input=password + "\n")


def root_asn1(ca):
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from poa_xlsx.firma.asn1_sat import install

    install()
    return x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))


def pyhanko_statuses(data: bytes, ca, **kwargs):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    return {
        s.field_name: validate_pdf_signature(
            s, ValidationContext(trust_roots=[root_asn1(ca)]), ts_validation_context=ValidationContext(trust_roots=[root_asn1(ca)]),
        )
        for s in reader.embedded_signatures
    }


@pytest.fixture(scope="module")
def tres_firmas(pki, reporte, tmp_path_factory):
    """ELABORÓ, REVISÓ and AUTORIZÓ sign in turn, each on the previous person's file."""
    ca, h = pki
    folder = tmp_path_factory.mktemp("firmas")
    original = folder / "reporte.pdf"
    original.write_bytes(reporte.read_bytes())
    results, files = [], [original]
    for quien, extra in (("elaboro", ()), ("reviso", ("--unidad", "201")), ("autorizo", ("--unidad", "59-201"))):
        before = files[-1].read_bytes()
        result = firmar(files[-1], h[quien], *extra)
        assert files[-1].read_bytes() == before  # the input is never touched
        results.append(result)
        files.append(Path(result.stdout.splitlines()[0]))
    return results, files


def test_three_people_sign_in_turn(tres_firmas):
    results, files = tres_firmas
    assert [r.exit_code for r in results] == [0, 0, 0], [r.output for r in results]
    assert [f.name for f in files] == ["reporte.pdf", "reporte_firmado.pdf", "reporte_firmado_2.pdf", "reporte_firmado_3.pdf"]
    assert "ELABORÓ de 59-201: firmado por ANA MARIA PEREZ LOPEZ (RFC PELA800101AB1, CURP PELA800101MBCRPN01)" in results[0].stdout
    assert "REVISÓ de 59-201" in results[1].stdout and "59-305" not in results[1].stdout  # --unidad 201
    assert "AUTORIZÓ de 59-201" in results[2].stdout and "59-305" not in results[2].stdout  # --unidad 59-201


def test_verificar_accepts_all_three(tres_firmas, pki):
    ca, _h = pki
    final = tres_firmas[1][-1]
    result = cli("verificar", final, "--raiz", ca.cer)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 de 3 firma(s) válida(s); 3 campo(s) sin firmar." in out
    assert "firmó BEATRIZ GOMEZ RUIZ (RFC GORB750505XY2, CURP GORB750505MBCMZT02)" in out
    assert "ELABORÓ de 59-305 (C.P. ROSA NÚÑEZ SOTO): sin firmar" in out
    data = json.loads(cli("verificar", final, "--raiz", ca.cer, "--json").stdout)
    assert data["ok"] is True and data["firmas"] == 3 and data["sin_firmar"] == 3
    firmados = {c["campo"]: c for c in data["campos"] if c["firmado"]}
    assert set(firmados) == {"UE-59-201.ELABORO", "UE-59-201.REVISO", "UE-59-201.AUTORIZO"}
    for campo in firmados.values():
        assert campo["valida"] and campo["integra"] and campo["sin_cambios_posteriores"]
        assert campo["certificado_vigente"] and campo["cadena_confiable"] and campo["titular_coincide"]
        assert campo["problemas"] == []
    assert firmados["UE-59-201.AUTORIZO"]["titular"]["rfc"] == "DITC700303QW3"
    assert firmados["UE-59-201.AUTORIZO"]["titular"]["curp"] == "DITC700303HBCZRR03"


def test_pyhanko_validator_accepts_all_three(tres_firmas, pki):
    from pyhanko.sign.diff_analysis import ModificationLevel

    ca, _h = pki
    statuses = pyhanko_statuses(tres_firmas[1][-1].read_bytes(), ca)
    assert set(statuses) == {"UE-59-201.ELABORO", "UE-59-201.REVISO", "UE-59-201.AUTORIZO"}
    for name, status in statuses.items():
        assert status.bottom_line, (name, status.pretty_print_details())
        assert status.intact and status.valid and status.trusted
        assert status.modification_level <= ModificationLevel.FORM_FILLING
        assert status.signing_cert.subject.native["unique_identifier"].endswith(" / ")  # the SAT's encoding, read


def test_without_roots_the_chain_is_said_unchecked(tres_firmas):
    result = cli("verificar", tres_firmas[1][-1])
    assert result.exit_code == 0
    assert "emitido por la raíz indicada: no comprobado (use --raiz)" in result.stdout
    assert "Sin --raiz no se comprobó quién emitió los certificados." in result.stdout


def test_another_root_is_not_trusted(tres_firmas, tmp_path):
    otra = TestCA(tmp_path)
    result = cli("verificar", tres_firmas[1][-1], "--raiz", otra.cer)
    assert result.exit_code == 1
    assert "no se pudo validar con la(s) raíz(ces) indicada(s)" in result.stdout


def test_one_byte_changed_after_second_signature(tres_firmas, pki, tmp_path):
    ca, _h = pki
    segunda = tres_firmas[1][2].read_bytes()  # ELABORÓ and REVISÓ signed
    i = segunda.index(b"(POA, TMM-F004")  # the Info keywords, inside what both signed
    cambiado = tmp_path / "cambiado.pdf"
    cambiado.write_bytes(segunda[: i + 3] + b"B" + segunda[i + 4:])  # POA -> POB
    result = cli("verificar", cambiado, "--raiz", ca.cer)
    assert result.exit_code == 1
    out = result.stdout
    assert "ELABORÓ de 59-201 (LIC. ANA MARÍA PÉREZ LÓPEZ): FIRMA NO VÁLIDA" in out
    assert "REVISÓ de 59-201 (MTRA. BEATRIZ GÓMEZ RUIZ): FIRMA NO VÁLIDA" in out
    assert "PROBLEMA: ELABORÓ de 59-201: el contenido firmado cambió después de firmar" in out
    assert "PROBLEMA: REVISÓ de 59-201: el contenido firmado cambió después de firmar" in out
    assert "0 de 2 firma(s) válida(s)" in out


def test_a_later_change_that_is_not_a_signature_is_named(tres_firmas, pki, tmp_path):
    """An incremental update that changes the title after the signatures: bytes intact, but changed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    ca, _h = pki
    writer = IncrementalPdfFileWriter(io.BytesIO(tres_firmas[1][-1].read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    cambiado = tmp_path / "cambiado.pdf"
    cambiado.write_bytes(out.getvalue())
    result = cli("verificar", cambiado, "--raiz", ca.cer)
    assert result.exit_code == 1
    assert "después de esta firma el documento se modificó con algo distinto de otras firmas" in result.stdout


def no_new_files(folder: Path, before: set[str]) -> bool:
    return {p.name for p in folder.iterdir()} == before


def test_wrong_password_writes_nothing(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = firmar(pdf, h["elaboro"], password="no es esta")
    assert result.exit_code == 1
    assert "La contraseña de la clave privada" in result.stderr and "no es correcta" in result.stderr
    assert "no es esta" not in result.output  # never echoed
    assert no_new_files(tmp_path, before)


def test_a_wrong_password_whose_padding_passes_is_still_a_wrong_password(pki, reporte, tmp_path):
    """About one wrong password in 300 decrypts to garbage with valid padding: cryptography then
    says it cannot parse the key, and the user was told the .key was not a key."""
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    _ca, h = pki
    data = Path(h["elaboro"].key).read_bytes()
    unlucky = None
    for i in range(20000):
        try:
            load_der_private_key(data, password=f"intento {i}".encode())
        except ValueError as exc:
            if "password" not in str(exc).lower():
                unlucky = f"intento {i}"
                break
    assert unlucky is not None
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = firmar(pdf, h["elaboro"], password=unlucky)
    assert result.exit_code == 1
    assert "La contraseña de la clave privada" in result.stderr and "no es correcta" in result.stderr
    assert no_new_files(tmp_path, before)


def test_key_of_another_certificate(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = cli("firmar", pdf, "--cer", h["elaboro"].cer, "--key", h["reviso"].key, input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "no corresponde al certificado" in result.stderr
    assert no_new_files(tmp_path, before)


def test_expired_certificate_names_its_dates(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    vencido = h["vencido"]
    result = firmar(pdf, vencido)
    assert result.exit_code == 1
    desde = vencido.cert.not_valid_before_utc.strftime("%d/%m/%Y")
    hasta = vencido.cert.not_valid_after_utc.strftime("%d/%m/%Y")
    assert f"venció el {hasta}" in result.stderr
    assert f"es válido del {desde}" in result.stderr and f"al {hasta}" in result.stderr
    assert no_new_files(tmp_path, before)


def test_holder_in_no_block_lists_the_names(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = firmar(pdf, h["nadie"])
    assert result.exit_code == 1
    err = result.stderr
    assert "DANIEL NADIE REYES, no aparece en ningún bloque de firma" in err
    for nombre in ("LIC. ANA MARÍA PÉREZ LÓPEZ", "MTRA. BEATRIZ GÓMEZ RUIZ", "ING. CARLOS DÍAZ TORRES", "C.P. ROSA NÚÑEZ SOTO"):
        assert nombre in err
    assert no_new_files(tmp_path, before)


def test_como_signs_only_that_role(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    result = firmar(pdf, h["reviso"], "--como", "reviso", "-o", tmp_path / "salida.pdf")
    assert result.exit_code == 0, result.output
    # BEATRIZ revises both units: both REVISÓ blocks, nothing else
    assert result.stdout.splitlines() == [
        str(tmp_path / "salida.pdf"),
        "  REVISÓ de 59-201: firmado por BEATRIZ GOMEZ RUIZ (RFC GORB750505XY2, CURP GORB750505MBCMZT02)",
        "  REVISÓ de 59-305: firmado por BEATRIZ GOMEZ RUIZ (RFC GORB750505XY2, CURP GORB750505MBCMZT02)",
    ]
    mal = firmar(pdf, h["reviso"], "--como", "elaboro")
    assert mal.exit_code == 1 and "no aparece en ningún bloque" in mal.stderr and "(papel ELABORÓ)" in mal.stderr


def test_output_can_replace_the_input_only_when_named(pki, reporte, tmp_path):
    _ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    result = firmar(pdf, h["elaboro"], "-o", pdf)
    assert result.exit_code == 0
    assert pdf.read_bytes().startswith(reporte.read_bytes())  # an incremental update of the same file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_pfx(pki, reporte, tmp_path):
    ca, h = pki
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    pfx = ca.pfx(h["autorizo"])
    result = cli("firmar", pdf, "--pfx", pfx, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "AUTORIZÓ de 59-201" in result.stdout and "AUTORIZÓ de 59-305" in result.stdout
    assert cli("verificar", tmp_path / "r_firmado.pdf", "--raiz", ca.cer).exit_code == 0
    bad = cli("firmar", pdf, "--pfx", pfx, input="otra\n")
    assert bad.exit_code == 1 and "la contraseña no es correcta" in bad.stderr


def test_bad_usage_exits_2(reporte):
    assert cli("firmar", reporte).exit_code == 2
    assert cli("firmar", reporte, "--cer", "a.cer", "--key", "a.key", "--pfx", "a.pfx").exit_code == 2
    assert cli("firmar", reporte, "--pfx", "a.pfx", "--como", "jefe").exit_code == 2


def test_not_a_pdf_and_missing_files(pki, tmp_path):
    _ca, h = pki
    texto = tmp_path / "no.pdf"
    texto.write_text("hola")
    result = firmar(texto, h["elaboro"])
    assert result.exit_code == 1 and "no es un PDF" in result.stderr
    result = cli("firmar", tmp_path / "falta.pdf", "--cer", h["elaboro"].cer, "--key", h["elaboro"].key, input=PASSWORD + "\n")
    assert result.exit_code == 1 and "No se encontró el PDF" in result.stderr
    assert cli("verificar", texto).exit_code == 1


# --------------------------------------------------------------------------- time stamps


@pytest.fixture
def tsa(pki):
    """An RFC 3161 time-stamp authority over HTTP on 127.0.0.1 (pyHanko's DummyTimeStamper)."""
    from asn1crypto import keys, tsp, x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.sign.timestamps import DummyTimeStamper

    ca, _h = pki
    cert, key = ca.tsa()
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key_der(key)),
        certs_to_embed=[root_asn1(ca)],
    )
    requests: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            response = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(body))).dump()
            requests.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", requests
    finally:
        server.shutdown()
        server.server_close()


def test_time_stamp_from_a_tsa(pki, reporte, tsa, tmp_path):
    ca, h = pki
    url, requests = tsa
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    result = firmar(pdf, h["elaboro"], "--sello-tiempo", url)
    assert result.exit_code == 0, result.output
    assert requests  # the TSA was asked
    firmado = tmp_path / "r_firmado.pdf"
    data = json.loads(cli("verificar", firmado, "--raiz", ca.cer, "--json").stdout)
    (campo,) = [c for c in data["campos"] if c["firmado"]]
    assert campo["sello_tiempo"] is True and campo["valida"] is True
    when = dt.datetime.fromisoformat(campo["fecha_firma"])
    assert abs((when - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 600
    (status,) = pyhanko_statuses(firmado.read_bytes(), ca).values()
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid and status.timestamp_validity.trusted
    texto = cli("verificar", firmado, "--raiz", ca.cer).stdout
    assert "(sello de tiempo)" in texto


def test_unreachable_tsa_writes_nothing(pki, reporte, tmp_path):
    import socket

    _ca, h = pki
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = firmar(pdf, h["elaboro"], "--sello-tiempo", f"http://127.0.0.1:{port}/tsa")
    assert result.exit_code == 1
    assert "No se obtuvo el sello de tiempo" in result.stderr
    assert no_new_files(tmp_path, before)


# --------------------------------------------------------------------------- the SAT's real files


@pytest.mark.skipif(not SAT_CER.exists(), reason="shared/sat no está junto al repositorio")
def test_real_sat_files_load_and_are_refused_as_expired(reporte, tmp_path):
    from poa_xlsx.firma.credencial import load_credencial

    cred = load_credencial(cer=SAT_CER, key=SAT_KEY, password=SAT_PASSWORD.encode())
    t = cred.titular
    assert (t.nombre, t.rfc, t.curp) == ("ACCEM SERVICIOS EMPRESARIALES SC", "AAA010101AAA", "")
    assert (t.rfc_representante, t.curp_representante) == ("HEGT7610034S2", "HEGT761003MDFRNN09")
    assert t.numero_certificado == "30001000000300023685"
    assert cred.certificado.subject.native["unique_identifier"] == "AAA010101AAA / HEGT7610034S2"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(reporte.read_bytes())
    before = {p.name for p in tmp_path.iterdir()}
    result = cli("firmar", pdf, "--cer", SAT_CER, "--key", SAT_KEY, input=SAT_PASSWORD + "\n")
    assert result.exit_code == 1
    assert "venció el 15/05/2021" in result.stderr
    assert "es válido del 16/05/2017 a las 23:29 UTC al 15/05/2021 a las 23:29 UTC" in result.stderr
    assert no_new_files(tmp_path, before)


@pytest.mark.skipif(not SAT_CER.exists(), reason="shared/sat no está junto al repositorio")
def test_plain_asn1crypto_cannot_read_the_sat_subject():
    """Why asn1_sat exists (asn1crypto issue #228): in a fresh interpreter, without it, it fails."""
    code = (
        "from asn1crypto import x509; import sys\n"
        f"c = x509.Certificate.load(open({str(SAT_CER)!r}, 'rb').read())\n"
        "try:\n    c.subject.native\nexcept ValueError as e:\n    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 3 and "tag should have been 3, but 19 was found" in result.stdout


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "impreso, titular, same",
    [
        ("LIC. ANA MARÍA PÉREZ LÓPEZ", "ANA MARIA PEREZ LOPEZ", True),
        ("Mtra. Beatriz Gómez Ruiz", "BEATRIZ GOMEZ RUIZ", True),
        ("C.P. Rosa Núñez Soto", "ROSA NUNEZ SOTO", True),
        ("C. P. ROSA NUÑEZ SOTO", "ROSA NÚÑEZ SOTO", True),
        ("ING.CARLOS DÍAZ TORRES", "CARLOS DIAZ TORRES", True),
        ("DR. C. LUIS ORTA", "LUIS ORTA", True),
        ("ANA MARÍA PÉREZ", "ANA MARIA PEREZ LOPEZ", False),
        ("LIC. ANA", "ANA MARIA", False),
        ("", "ANA", False),
    ],
)
def test_names_ignore_accents_case_and_titles(impreso, titular, same):
    from poa_xlsx.firma.nombres import same_person

    assert same_person(impreso, titular) is same


def test_default_output_never_the_input():
    from poa_xlsx.acciones import default_output

    assert default_output("a/REPORTE.pdf") == str(Path("a/REPORTE_firmado.pdf"))
    assert default_output("a/REPORTE_firmado.pdf") == str(Path("a/REPORTE_firmado_2.pdf"))
    assert default_output("a/REPORTE_firmado_2.pdf") == str(Path("a/REPORTE_firmado_3.pdf"))


def test_signed_report_is_still_pdfa(tres_firmas):
    import pikepdf
    from test_pdfa import assert_pdfa

    data = tres_firmas[1][-1].read_bytes()
    assert_pdfa(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/Producer"]) == str(pdf.open_metadata()["pdf:Producer"])


def test_without_pyhanko_the_message_says_how_to_install(reporte, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name.startswith("pyhanko") else real(name, *a))
    for args in (("verificar", reporte), ("firmar", reporte, "--pfx", "x.pfx")):
        result = cli(*args, input="x\n")
        assert result.exit_code == 1
        assert "pip install 'poa-xlsx[firma]'" in result.stderr


def test_a_block_signed_by_someone_else_is_named(pki, reporte, tmp_path):
    """firmar refuses it, but another tool can sign any field: verificar says who signed where."""
    from poa_xlsx.firma.credencial import load_credencial
    from poa_xlsx.firma.firmar import _reader, list_fields, sign_pdf

    ca, h = pki
    data = reporte.read_bytes()
    (ajeno,) = [c for c, _signed in list_fields(_reader(data, "r")) if c.nombre == "UE-59-201.AUTORIZO"]
    cred = load_credencial(cer=h["nadie"].cer, key=h["nadie"].key, password=PASSWORD.encode())
    firmado = tmp_path / "ajeno.pdf"
    firmado.write_bytes(sign_pdf(data, cred, [ajeno]))
    result = cli("verificar", firmado, "--raiz", ca.cer)
    assert result.exit_code == 1
    assert "PROBLEMA: AUTORIZÓ de 59-201: firmó DANIEL NADIE REYES, pero el bloque dice ING. CARLOS DÍAZ TORRES." in result.stdout
