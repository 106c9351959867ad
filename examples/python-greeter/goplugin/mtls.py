"""AutoMTLS: pin the host's certificate and serve TLS with our own, as go-plugin's mtls.go does.

grpcio uses BoringSSL, which cannot verify ECDSA P-521 signatures (grpc/grpc#6722).
Go hosts always send a P-521 certificate, so this plugin refuses those up front with
a clear message instead of failing every TLS handshake later. Our own certificate is
P-256, which every host (Go, Node) verifies.
"""
import datetime
import os
from dataclasses import dataclass
from typing import Optional

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Curves BoringSSL can verify; anything else (notably Go's P-521) never completes a handshake.
SUPPORTED_CURVES = ("secp256r1", "secp384r1")


class AutoMTLSError(Exception):
    """AutoMTLS was requested but this plugin cannot take part; the message is for the user."""


@dataclass(frozen=True)
class ServerTLS:
    """The credentials to serve with and the DER certificate for handshake field 6."""

    credentials: grpc.ServerCredentials
    cert_der: bytes


def _check_host_key(cert: x509.Certificate) -> None:
    """Rejects host keys BoringSSL cannot verify, naming the fix."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in SUPPORTED_CURVES:
        return
    kind = key.curve.name if isinstance(key, ec.EllipticCurvePublicKey) else type(key).__name__
    raise AutoMTLSError(
        f"AutoMTLS is not supported with this host: its certificate (PLUGIN_CLIENT_CERT) uses {kind}, "
        "which Python grpcio (BoringSSL) cannot verify; go-plugin's Go hosts always use P-521. "
        "Turn AutoMTLS off for this plugin (the Unix socket is owner-only), or use a host "
        "whose certificate is P-256, P-384 or RSA."
    )


def load_host_cert(pem: str) -> x509.Certificate:
    """Parses PLUGIN_CLIENT_CERT and checks that grpcio can verify it."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError as err:
        raise AutoMTLSError(f"AutoMTLS failed: PLUGIN_CLIENT_CERT is not a PEM certificate ({err}).") from err
    _check_host_key(cert)
    return cert


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


def server_tls_from_env() -> Optional[ServerTLS]:
    """None without PLUGIN_CLIENT_CERT (plaintext); else mutual TLS that pins the host's certificate."""
    host_pem = os.environ.get("PLUGIN_CLIENT_CERT")
    if not host_pem:
        return None
    host_cert = load_host_cert(host_pem)
    key_pem, cert_pem, cert_der = generate_cert()
    credentials = grpc.ssl_server_credentials(
        [(key_pem, cert_pem)],
        root_certificates=host_cert.public_bytes(serialization.Encoding.PEM),
        require_client_auth=True,
    )
    return ServerTLS(credentials, cert_der)
