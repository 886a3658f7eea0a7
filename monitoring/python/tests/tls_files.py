"""A throw-away certificate authority and a server certificate for 127.0.0.1 and localhost, made
with the openssl command line (present wherever the stack's own TLS is built), for HTTPS tests."""

import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple


class TlsFiles(NamedTuple):
    ca: Path
    server_cert: Path
    server_key: Path


def _openssl(*args: str) -> None:
    completed = subprocess.run(["openssl", *args], capture_output=True, timeout=60)
    if completed.returncode != 0:
        raise AssertionError("openssl {} failed: {}".format(args[0], completed.stderr.decode("utf-8", "replace")))


def make_ca_and_server(folder: Path, name: str = "Test Company CA") -> TlsFiles:
    if shutil.which("openssl") is None:
        raise AssertionError("the HTTPS tests need the openssl command line")
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = folder / "ca-key.pem", folder / "ca.pem"
    key, request, cert = folder / "server-key.pem", folder / "server.csr", folder / "server.pem"
    extensions = folder / "server.ext"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca),
             "-days", "2", "-subj", "/CN=" + name,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(request), "-subj", "/CN=localhost")
    extensions.write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
    )
    _openssl("x509", "-req", "-in", str(request), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
             "-out", str(cert), "-days", "2", "-extfile", str(extensions))
    return TlsFiles(ca, cert, key)
