/** AutoMTLS certificates: valid X.509 that OpenSSL (Node's TLS) and Go accept, made with node:crypto alone. */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCertField, encodeCertField, generateCertificate } from '../../src/plugin/protocol/certificate.js';
import { objectIdentifier, time, unsignedInteger } from '../../src/plugin/protocol/der.js';

describe('generateCertificate', () => {
  const cert = generateCertificate(new Date('2026-01-02T03:04:05Z'));
  const x509 = new X509Certificate(cert.certPem);

  it('is a self-signed CA for localhost, for client and server use', () => {
    expect(x509.subject).toBe('O=confd\nCN=localhost');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.subjectAltName).toBe('DNS:localhost');
    expect(x509.ca).toBe(true);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it('is valid from 30 s before now for 30 years (GeneralizedTime past 2049)', () => {
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-01-02T03:03:35.000Z');
    expect(new Date(x509.validTo).getUTCFullYear()).toBe(2056);
  });

  it('passes OpenSSL\'s strict verification as a client and a server certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-cert-'));
    const file = join(dir, 'cert.pem');
    writeFileSync(file, generateCertificate().certPem);
    for (const purpose of ['sslclient', 'sslserver']) {
      expect(execFileSync('openssl', ['verify', '-x509_strict', '-purpose', purpose, '-CAfile', file, file], { encoding: 'utf8' })).toContain('OK');
    }
  });

  it('round-trips through the handshake field (unpadded base64 of the DER)', () => {
    const field = encodeCertField(cert.der);
    expect(field).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(decodeCertField(field)).toBe(cert.certPem);
  });

  it('uses a fresh key and serial each time', () => {
    const other = new X509Certificate(generateCertificate().certPem);
    expect(other.serialNumber).not.toBe(x509.serialNumber);
    expect(other.publicKey.export({ format: 'der', type: 'spki' }).equals(x509.publicKey.export({ format: 'der', type: 'spki' }))).toBe(false);
  });
});

describe('DER encodings', () => {
  it('encodes object identifiers with multi-byte arcs', () => {
    expect(objectIdentifier('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });
  it('keeps integers positive and minimal', () => {
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])).toString('hex')).toBe('02017f');
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
  });
  it('switches from UTCTime to GeneralizedTime in 2050', () => {
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
