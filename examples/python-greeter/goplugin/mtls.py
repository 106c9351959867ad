"""AutoMTLS: pin the host's certificate and serve TLS with our own, as go-plugin's mtls.go does.

Python's ssl module (OpenSSL) verifies every curve go-plugin hosts use, including the
P-521 certificates of Go hosts. (grpcio's BoringSSL cannot verify P-521: that is why
this plugin is built on grpclib.) Our own certificate is P-256, which every host verifies.
"""
import datetime
import os
import ssl
import tempfile
from dataclasses import dataclass
from typing import Optional

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


class AutoMTLSError(Exception):
    """AutoMTLS was requested but cannot be set up; the message is for the user."""


@dataclass(frozen=True)
class ServerTLS:
    """The context to serve with and the DER certificate for handshake field 6."""

    context: ssl.SSLContext
    cert_der: bytes


def load_host_cert(pem: str) -> x509.Certificate:
    """Parses PLUGIN_CLIENT_CERT, the host's client certificate."""
    try:
        return x509.load_pem_x509_certificate(pem.encode())
    except ValueError as err:
        raise AutoMTLSError(f"AutoMTLS failed: PLUGIN_CLIENT_CERT is not a PEM certificate ({err}).") from err


def generate_cert() -> tuple[bytes, bytes, bytes]:
    """go-plugin's certificate template on P-256: CN/SAN localhost, CA, client+server auth, ~30 years."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
        x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(os.urandom(16), "big") >> 1)
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=262980))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=True,
            data_encipherment=False, key_agreement=True, key_cert_sign=True, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def _server_context(host_cert_pem: str, key_pem: bytes, cert_pem: bytes) -> ssl.SSLContext:
    """TLS 1.2+, HTTP/2 by ALPN, and only the host's own certificate accepted as a client."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=host_cert_pem)
    context.set_alpn_protocols(["h2"])
    # ssl loads keys only from files: a private directory that exists for this call only.
    with tempfile.TemporaryDirectory(prefix="plugin-tls") as directory:
        chain = os.path.join(directory, "chain.pem")
        with open(os.open(chain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(key_pem + cert_pem)
        context.load_cert_chain(chain)
    return context


def server_tls_from_env() -> Optional[ServerTLS]:
    """None without PLUGIN_CLIENT_CERT (plaintext); else mutual TLS that pins the host's certificate."""
    host_pem = os.environ.get("PLUGIN_CLIENT_CERT")
    if not host_pem:
        return None
    host_cert = load_host_cert(host_pem)
    key_pem, cert_pem, cert_der = generate_cert()
    try:
        context = _server_context(host_cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem, cert_pem)
    except ssl.SSLError as err:
        raise AutoMTLSError(f"AutoMTLS failed: cannot use the host's certificate ({err}).") from err
    return ServerTLS(context, cert_der)
