"""`enviar` against mail servers that misbehave (issue #12), all started here on 127.0.0.1, port 0.

A server that sends its greeting one byte every 2 s, one that never answers,
one that refuses the message's size at MAIL FROM (aiosmtpd with a size
limit) and one that drops the connection after the whole message was sent.
No wall-clock assertion: the slow server's test asserts that the deadline
error happened (the subprocess timeout only guards against a hang).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

import poa_xlsx.render.reporte
from poa_xlsx.cli import cli
from poa_xlsx.correo import smtp

ROOT = Path(__file__).resolve().parent.parent
REMITENTE = "turismo@example.org"


class RawServer:
    """A TCP server on 127.0.0.1 (port 0) whose every connection is handled by ``behaviour(conn)``."""

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.port = self.listener.getsockname()[1]
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.received: list[bytes] = []
        self.handlers: list[threading.Thread] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            handler = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self.handlers.append(handler)
            handler.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.behaviour(conn)
            except OSError:
                pass

    def close(self) -> None:
        """Stop accepting and wait for every thread: a thread left running would keep
        poa_xlsx.parallel from forking in the tests that follow."""
        self.stop.set()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        self.thread.join(10)
        for handler in self.handlers:
            handler.join(10)
        assert not self.thread.is_alive() and not any(h.is_alive() for h in self.handlers)


@pytest.fixture
def raw_server():
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket], None]) -> RawServer:
        server = RawServer(behaviour)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def drip_greeting(stop: threading.Event) -> Callable[[socket.socket], None]:
    """The greeting one byte every 2 s: each read gets something before a 3 s timeout."""

    def behaviour(conn: socket.socket) -> None:
        for byte in b"220 servidor.example.org ESMTP muy, muy lento y con un saludo muy largo\r\n" * 100:
            if stop.wait(2):
                return
            conn.sendall(bytes([byte]))

    return behaviour


def silent(stop: threading.Event) -> Callable[[socket.socket], None]:
    def behaviour(conn: socket.socket) -> None:
        stop.wait(60)  # accepts the connection and says nothing

    return behaviour


def refuses_size(server_log: list[bytes]) -> Callable[[socket.socket], None]:
    """Advertises SIZE 2000 and answers 552 to MAIL FROM, as servers do for a message too big."""

    def behaviour(conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 servidor.example.org ESMTP\r\n")
        while True:
            line = reader.readline()
            if not line:
                return
            server_log.append(line)
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                conn.sendall(b"250-servidor.example.org\r\n250 SIZE 2000\r\n")
            elif command == b"MAIL":
                conn.sendall(b"552 5.3.4 Message size exceeds fixed maximum message size\r\n")
            elif command in (b"RSET", b"NOOP"):
                conn.sendall(b"250 OK\r\n")
            else:
                conn.sendall(b"221 Adios\r\n")
                return

    return behaviour


def drops_after_data(server_log: list[bytes]) -> Callable[[socket.socket], None]:
    """Answers like a mail server until the whole message has arrived, then hangs up without a reply."""

    def behaviour(conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 servidor.example.org ESMTP\r\n")
        while True:
            line = reader.readline()
            if not line:
                return
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                conn.sendall(b"250-servidor.example.org\r\n250 8BITMIME\r\n")
            elif command in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                conn.sendall(b"250 OK\r\n")
            elif command == b"DATA":
                conn.sendall(b"354 Adelante\r\n")
                body = b""
                while not body.endswith(b"\r\n.\r\n"):
                    chunk = reader.readline()
                    if not chunk:
                        return
                    body += chunk
                server_log.append(body)
                conn.shutdown(socket.SHUT_RDWR)  # the message is here; the reply never goes out
                return
            else:
                conn.sendall(b"221 Adios\r\n")
                return

    return behaviour


def fake_render(reporte, formato, papel):  # type: ignore[no-untyped-def]
    return f"FAKE-{formato}-{reporte.titulo}\n".encode("utf-8") + bytes(range(256)) * 40


@pytest.fixture
def libro(make_workbook) -> Path:
    return make_workbook(name="turismo.xlsx")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("POA_SMTP_"):
            monkeypatch.delenv(name)


def enviar(libro: Path, port: int, *extra: str):  # type: ignore[no-untyped-def]
    args = ["enviar", str(libro), "--servidor", "127.0.0.1", "--puerto", str(port), "--sin-tls",
            "--remitente", REMITENTE, *extra]
    return CliRunner().invoke(cli, args)


def test_slow_greeting_meets_the_deadline(libro: Path, raw_server) -> None:
    """A byte every 2 s with --timeout 3 kept `enviar` waiting for ever; now the whole
    conversation ends after DEADLINE_FACTOR x 3 s with a message that says so."""
    stop = threading.Event()
    server = raw_server(drip_greeting(stop))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "poa_xlsx.cli", "enviar", str(libro), "--servidor", "127.0.0.1", "--puerto",
             str(server.port), "--sin-tls", "--remitente", REMITENTE, "--timeout", "3"],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=300,  # a guard against a hang only
        )
    finally:
        stop.set()
    assert done.returncode == 1, done.stderr
    limite = 3 * smtp.DEADLINE_FACTOR
    assert f"no completó el envío en {limite} segundos" in done.stderr
    assert "No se envió el mensaje" in done.stderr
    assert "Traceback" not in done.stderr and "Error inesperado" not in done.stderr


def test_a_server_that_never_answers_is_said_so(libro: Path, raw_server, monkeypatch) -> None:
    monkeypatch.setattr(poa_xlsx.render.reporte, "render", fake_render)
    stop = threading.Event()
    server = raw_server(silent(stop))
    try:
        result = enviar(libro, server.port, "--timeout", "2")
    finally:
        stop.set()
    assert result.exit_code == 1
    assert "no respondió en 2 segundos" in result.stderr
    assert "cerró la conexión" not in result.stderr  # what it said before (issue #12)


def test_size_refused_at_mail_from_gets_size_advice(libro: Path, raw_server, monkeypatch) -> None:
    monkeypatch.setattr(poa_xlsx.render.reporte, "render", fake_render)
    log: list[bytes] = []
    server = raw_server(refuses_size(log))
    result = enviar(libro, server.port, "--timeout", "10")
    assert result.exit_code == 1
    assert any(line.upper().startswith(b"MAIL FROM:") and b"SIZE=" in line.upper() for line in log)
    assert "552" in result.stderr and "no acepta un mensaje de este tamaño" in result.stderr
    assert "--adjuntar-xlsx" in result.stderr
    assert "no aceptó el remitente" not in result.stderr  # the sender-address advice it gave before (issue #12)
    assert not any(line.upper().startswith(b"DATA") for line in log)


def test_connection_dropped_after_the_message_may_have_arrived(libro: Path, raw_server, monkeypatch) -> None:
    monkeypatch.setattr(poa_xlsx.render.reporte, "render", fake_render)
    log: list[bytes] = []
    server = raw_server(drops_after_data(log))
    result = enviar(libro, server.port, "--timeout", "10")
    assert result.exit_code == 1
    assert len(log) == 1 and b"Subject:" in log[0]  # the whole message did reach the server
    assert "puede haber llegado" in result.stderr
    assert "pregunte a tesoreria@example.org si recibió el correo" in result.stderr
    assert "revise puerto y cifrado" not in result.stderr.lower()
    assert "Revise el puerto y el cifrado" not in result.stderr


def test_no_thread_is_left_behind(libro: Path, raw_server, monkeypatch) -> None:
    monkeypatch.setattr(poa_xlsx.render.reporte, "render", fake_render)
    before = threading.active_count()
    server = raw_server(drops_after_data([]))
    enviar(libro, server.port, "--timeout", "10")
    server.close()
    assert threading.active_count() == before
