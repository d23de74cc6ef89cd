/**
 * AutoMTLS certificates, as go-plugin makes them (mtls.go): a fresh self-signed
 * certificate per plugin start, for `localhost`, usable as client and server
 * certificate and as its own CA, so each side can pin exactly the other's certificate.
 * We use P-256/SHA-256 (go-plugin uses P-521/SHA-512; any key Go's TLS accepts works).
 *
 * The handshake carries the plugin's certificate as unpadded base64 of its DER
 * (`base64.RawStdEncoding`); the host's travels in PLUGIN_CLIENT_CERT as PEM.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import {
  bitString, booleanTrue, explicit, implicitPrimitive, objectIdentifier, octetString, sequence, set, smallInteger, time, unsignedInteger, utf8String,
} from './der.js';

export interface Certificate {
  /** PEM of the certificate (for PLUGIN_CLIENT_CERT and TLS). */
  certPem: string;
  /** PEM (PKCS#8) of the private key; never leaves this process. */
  keyPem: string;
  /** The DER certificate (for the handshake field). */
  der: Buffer;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** go-plugin's validity: 30 s in the past (clock skew) to 262980 h (30 years) ahead. */
const NOT_BEFORE_SKEW_MS = 30_000;
const LIFETIME_MS = 262_980 * 3_600_000;
const HOST = 'localhost';

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value));
}

function name(): Buffer {
  return sequence(set(sequence(objectIdentifier(OID.organization), utf8String('confd'))), set(sequence(objectIdentifier(OID.commonName), utf8String(HOST))));
}

export function generateCertificate(now = new Date()): Certificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // The subjectPublicKey BIT STRING's bytes, for the key identifier (RFC 5280 §4.2.1.2 method 1).
  const publicKeyBits = spki.subarray(spki.length - 65);
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, 2 unused bits.
  const keyUsage = bitString(Buffer.from([0x84]), 2);
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(randomBytes(16)),
    signatureAlgorithm,
    name(),
    sequence(time(new Date(now.getTime() - NOT_BEFORE_SKEW_MS)), time(new Date(now.getTime() + LIFETIME_MS))),
    name(),
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence(booleanTrue())),
        extension(OID.keyUsage, true, keyUsage),
        extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth))),
        extension(OID.subjectAltName, false, sequence(implicitPrimitive(2, Buffer.from(HOST, 'ascii')))),
        extension(OID.subjectKeyIdentifier, false, octetString(createHash('sha1').update(publicKeyBits).digest())),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));
  return { certPem: derToPem(der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, der };
}

export function derToPem(der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/** The handshake's CERT field: unpadded base64 of the DER, as Go's RawStdEncoding writes it. */
export function encodeCertField(der: Buffer): string {
  return der.toString('base64').replace(/=+$/, '');
}

/**
 * Reads the handshake's CERT field back into a PEM certificate, or throws with the
 * reason (go-plugin rejects padding; so do we, to stay interchangeable).
 */
export function decodeCertField(field: string): string {
  if (!/^[A-Za-z0-9+/]+$/.test(field)) throw new Error('the certificate in the handshake is not unpadded base64 (go-plugin\'s RawStdEncoding)');
  const der = Buffer.from(field, 'base64');
  try {
    new X509Certificate(der);
  } catch (error) {
    throw new Error(`the certificate in the handshake is not a valid X.509 certificate: ${(error as Error).message}`);
  }
  return derToPem(der);
}
