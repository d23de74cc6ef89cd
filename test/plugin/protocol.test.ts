import { describe, expect, it } from 'vitest';
import { encodeCertField, generateCertificate } from '../../src/plugin/protocol/certificate.js';
import { formatHandshake, LEGACY_FIELD6_MAX, negotiateVersion, parseHandshake } from '../../src/plugin/protocol/handshake.js';
import { parseLogLine } from '../../src/plugin/protocol/hclog.js';
import { pluginNameOf } from '../../src/plugin/host/discovery.js';

describe('handshake line', () => {
  it('formats go-plugin\'s 6 fields with an empty certificate', () => {
    expect(formatHandshake({ appVersion: 1, network: 'unix', address: '/tmp/p/plugin.sock' })).toBe('1|1|unix|/tmp/p/plugin.sock|grpc|\n');
  });
  it('parses 5 to 7 fields and CRLF', () => {
    expect(parseHandshake('1|1|unix|/tmp/x|grpc|\r\n')).toMatchObject({ coreVersion: 1, appVersion: 1, network: 'unix', address: '/tmp/x', protocol: 'grpc' });
    expect(parseHandshake('1|1|unix|/tmp/x|grpc').protocol).toBe('grpc');
    expect(parseHandshake('1|1|unix|/tmp/x|grpc||true').address).toBe('/tmp/x');
    expect(parseHandshake('1|1|tcp|127.0.0.1:12000|grpc|').network).toBe('tcp');
  });
  it('treats a 4-field line as netrpc, which confd refuses', () => {
    expect(() => parseHandshake('1|1|unix|/tmp/x')).toThrow('plugin offers netrpc');
  });
  it('rejects wrong versions with both numbers', () => {
    expect(() => parseHandshake('2|1|unix|/tmp/x|grpc|')).toThrow('plugin speaks go-plugin core protocol 2, confd speaks 1');
    expect(() => parseHandshake('1|2|unix|/tmp/x|grpc|')).toThrow('plugin speaks protocol 2, confd speaks 1');
  });
  it('rejects garbage, unknown networks and non-loopback tcp', () => {
    expect(() => parseHandshake('hello world')).toThrow('unrecognized handshake line');
    expect(() => parseHandshake('1|1|udp|x|grpc|')).toThrow('unknown address type');
    expect(() => parseHandshake('1|1|tcp|10.0.0.1:1234|grpc|')).toThrow('only connects to plugins on loopback');
  });
});

describe('handshake field 6 (go-plugin\'s rule: ≤ 50 characters is the legacy extra)', () => {
  // What the confd plugin draft's plugins (pre-1.0 go-plugin) print: base64 of their stdio config.
  const legacy = '1|1|unix|/tmp/plugin123|grpc|eyJzdGRvdXRfYWRkciI6IiIsInN0ZGVycl9hZGRyIjoiIn0K';

  it('ignores the legacy stdio-config field, with or without AutoMTLS', () => {
    expect(parseHandshake(legacy)).toMatchObject({ address: '/tmp/plugin123', serverCert: '', line: legacy });
    expect(parseHandshake(legacy, { autoMtls: true }).serverCert).toBe('');
    expect(parseHandshake(`1|1|unix|/tmp/x|grpc|${'A'.repeat(LEGACY_FIELD6_MAX)}`).serverCert).toBe('');
  });

  it('reads a longer field 6 as a certificate: refused unless confd asked for AutoMTLS', () => {
    const cert = encodeCertField(generateCertificate().der);
    expect(cert).not.toMatch(/=$/);
    expect(() => parseHandshake(`1|1|unix|/tmp/x|grpc|${cert}`)).toThrow('plugin sent a TLS certificate, but confd did not ask for AutoMTLS');
    expect(() => parseHandshake(`1|1|unix|/tmp/x|grpc|${'A'.repeat(LEGACY_FIELD6_MAX + 1)}`)).toThrow('did not ask for AutoMTLS');
    const parsed = parseHandshake(`1|1|unix|/tmp/x|grpc|${cert}`, { autoMtls: true });
    expect(parsed.serverCert).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(parseHandshake(`1|1|unix|/tmp/x|grpc|${cert}|true`, { autoMtls: true }).serverCert).toBe(parsed.serverCert);
  });

  it('rejects a padded or broken certificate, as go-plugin does', () => {
    const padded = generateCertificate().der.toString('base64').padEnd(1000, '=');
    expect(() => parseHandshake(`1|1|unix|/tmp/x|grpc|${padded}`, { autoMtls: true })).toThrow('not unpadded base64');
    expect(() => parseHandshake(`1|1|unix|/tmp/x|grpc|${'QUFB'.repeat(20)}`, { autoMtls: true })).toThrow('not a valid X.509 certificate');
  });
});

describe('version negotiation (plugin side, go-plugin rules)', () => {
  it('picks the highest common version', () => expect(negotiateVersion('1,2,3', [2, 3])).toBe(3));
  it('falls back to the plugin\'s lowest', () => {
    expect(negotiateVersion('1', [2, 3])).toBe(2);
    expect(negotiateVersion(undefined, [2, 3])).toBe(2);
  });
  it('ignores bad entries', () => expect(negotiateVersion('x, 1', [1])).toBe(1));
});

describe('plugin stderr lines', () => {
  it('reads hclog JSON with its level and fields', () => {
    expect(parseLogLine('{"@level":"warn","@message":"slow","@timestamp":"2026-01-01T00:00:00.000000Z","ms":12}', false)).toMatchObject({
      level: 'warn', message: 'slow', fields: { ms: '12' },
    });
  });
  it('reads [LEVEL] prefixes and defaults to debug', () => {
    expect(parseLogLine('[ERROR] broken', false).level).toBe('error');
    expect(parseLogLine('plain text', false).level).toBe('debug');
  });
  it('is tolerant of bad JSON types', () => {
    expect(parseLogLine('{"@level":3,"@message":{}}', false).level).toBe('debug');
  });
  it('logs everything after panic: at error', () => {
    const first = parseLogLine('panic: nil map', false);
    expect(first).toMatchObject({ level: 'error', panic: true });
    expect(parseLogLine('goroutine 1 [running]:', true).level).toBe('error');
  });
});

describe('plugin names', () => {
  it('ignores a suffix after a dot', () => {
    expect(pluginNameOf('confd-database-redis')).toBe('redis');
    expect(pluginNameOf('confd-database-redis.py')).toBe('redis');
    expect(pluginNameOf('confd-other')).toBeUndefined();
  });
});
