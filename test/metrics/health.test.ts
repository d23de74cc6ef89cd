/** /health and /ready decisions (HealthState), on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { HealthState } from '../../src/metrics/health.js';

function state(staleAfterMs = 10_000) {
  const clock = { now: 1_000_000 };
  return { clock, health: new HealthState(() => staleAfterMs, () => clock.now) };
}

describe('HealthState', () => {
  it('is unhealthy until every backend in use has answered, then healthy', () => {
    const { health } = state();
    health.backendsInUse(['default', 'prod']);
    expect(health.health()).toMatchObject({ ok: false, backends: { default: { ok: false, reason: 'not contacted yet' } } });
    health.contact('default', true);
    expect(health.health().ok).toBe(false);
    health.contact('prod', true);
    expect(health.health()).toMatchObject({ ok: true, backends: { default: { ok: true }, prod: { ok: true } } });
  });

  it('turns unhealthy when the last contact failed, and healthy again when one succeeds', () => {
    const { health } = state();
    health.backendsInUse(['default']);
    health.contact('default', true);
    health.contact('default', false);
    expect(health.health()).toMatchObject({ ok: false, backends: { default: { ok: false, reason: 'the last contact failed' } } });
    health.contact('default', true);
    expect(health.health().ok).toBe(true);
  });

  it('turns unhealthy when no contact succeeded within the allowed time (resync interval + deadline)', () => {
    const { clock, health } = state(10_000);
    health.backendsInUse(['default']);
    health.contact('default', true);
    clock.now += 10_000;
    expect(health.backendOk('default')).toBe(true);
    clock.now += 1;
    expect(health.health()).toMatchObject({ ok: false, backends: { default: { reason: 'no successful contact for more than 10s' } } });
  });

  it('never goes stale with no interval (0)', () => {
    const { clock, health } = state(0);
    health.backendsInUse(['default']);
    health.contact('default', true);
    clock.now += 10 * 24 * 3600_000;
    expect(health.health().ok).toBe(true);
  });

  it('forgets backends no resource reads any more (SIGHUP)', () => {
    const { health } = state();
    health.backendsInUse(['default', 'old']);
    health.contact('default', true);
    health.contact('old', false);
    health.backendsInUse(['default']);
    expect(health.health()).toEqual({ ok: true, backends: { default: expect.objectContaining({ ok: true }) } });
  });

  it('is ready only once told so', () => {
    const { health } = state();
    expect(health.readyNow).toBe(false);
    health.ready();
    expect(health.readyNow).toBe(true);
  });
});
