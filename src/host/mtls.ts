// The host side of go-plugin AutoMTLS (PROTOCOL.md §4): our certificate goes to the
// plugin in PLUGIN_CLIENT_CERT, the plugin's comes back in handshake field 6, and each
// side pins exactly the other's certificate, verifying the name "localhost".
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import type { CertificateAndKey } from './certificate';
import { PluginError } from './errors';

let hostCertificate: Promise<CertificateAndKey> | undefined;

/**
 * The host's client certificate. Generated once per process and reused for every plugin:
 * key generation is the slowest part of a cold start and the certificate is only a pin.
 * `generate` is the generator for the first call (tests pass one that fails).
 */
export function getHostCertificate(
  generate: () => Promise<CertificateAndKey> = () => loadCertificateModule().then(({ generateCertificate }) => generateCertificate('P-256')),
): Promise<CertificateAndKey> {
  if (!hostCertificate) {
    const attempt = generate();
    hostCertificate = attempt;
    // A failure is not cached: the next launch tries again instead of AutoMTLS staying broken.
    attempt.catch(() => {
      if (hostCertificate === attempt) hostCertificate = undefined;
    });
  }
  return hostCertificate;
}

/**
 * The X.509 library is about a third of the bundle and 30 ms of load time; only
 * AutoMTLS needs it, so it is loaded on first use instead of with the extension.
 */
function loadCertificateModule(): Promise<typeof import('./certificate')> {
  return import('./certificate');
}

let p521Support: Promise<string | undefined> | undefined;

/**
 * Whether this runtime's TLS can verify the P-521 certificates every Go plugin uses.
 * BoringSSL (Electron, i.e. desktop VS Code's extension host; Bun) cannot. Resolves to
 * undefined when it can, or to the reason it can't. Checked once per process with a
 * loopback TLS handshake, because version strings don't say which TLS library is inside.
 */
export function checkP521Support(): Promise<string | undefined> {
  p521Support ??= runP521SelfTest();
  return p521Support;
}

async function runP521SelfTest(): Promise<string | undefined> {
  let cert: CertificateAndKey;
  try {
    cert = await (await loadCertificateModule()).generateCertificate('P-521');
  } catch (e) {
    return `this runtime cannot create P-521 keys (${(e as Error).message})`;
  }
  return new Promise((resolve) => {
    const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => socket.end());
    server.on('error', (e) => finish(`the TLS self-test could not listen (${e.message})`));
    let done = false;
    function finish(result: string | undefined) {
      if (done) return;
      done = true;
      server.close();
      resolve(result);
    }
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: cert.certPem }, () => {
        socket.destroy();
        finish(undefined);
      });
      socket.on('error', (e: Error & { reason?: string }) =>
        finish(`this runtime's TLS cannot verify the P-521 certificates Go plugins use (${e.reason ?? e.message.split('\n')[0]})`),
      );
      socket.setTimeout(5000, () => {
        socket.destroy();
        finish('the P-521 TLS self-test timed out');
      });
    });
  });
}

/** PEM of the plugin's certificate from handshake field 6, or a TLS_FAILURE error. */
export function pluginCertificatePem(der: Buffer, name: string): string {
  try {
    return new X509Certificate(der).toString();
  } catch (e) {
    throw new PluginError(
      'TLS_FAILURE',
      `Plugin "${name}" sent a server certificate in its handshake that is not a valid X.509 certificate ` +
        `(${(e as Error).message}). The plugin must send base64 DER without padding (go-plugin AutoMTLS).`,
      undefined,
      { cause: e },
    );
  }
}
