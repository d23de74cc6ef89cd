import { describe, expect, it } from 'vitest';
import { translateClassicArgs } from '../../src/cli/classic-args.js';

describe('classic confd invocation', () => {
  it('maps -onetime to render, single or double dash', () => {
    expect(translateClassicArgs(['-onetime', '-backend', 'env', '-confdir', 'X'])).toEqual(['render', '--backend', 'env', '--confdir', 'X']);
    expect(translateClassicArgs(['--onetime', '--backend=env'])).toEqual(['render', '--backend=env']);
  });
  it('maps -watch to watch mode', () => {
    expect(translateClassicArgs(['-watch', '-backend', 'etcd', '-node', 'http://a:2379'])).toEqual([
      'watch', '--watch=true', '--backend', 'etcd', '--node', 'http://a:2379',
    ]);
  });
  it('onetime wins over watch, as in confd', () => {
    expect(translateClassicArgs(['-watch', '-onetime'])[0]).toBe('render');
  });
  it('maps the default interval mode to polling watch', () => {
    expect(translateClassicArgs(['-interval', '30', '-backend', 'env'])).toEqual(['watch', '--watch=false', '--interval', '30', '--backend', 'env']);
  });
  it('honours -onetime=false', () => {
    expect(translateClassicArgs(['-onetime=false', '-backend', 'env'])[0]).toBe('watch');
  });
  it('leaves subcommand invocations alone', () => {
    expect(translateClassicArgs(['render', '--noop'])).toEqual(['render', '--noop']);
    expect(translateClassicArgs(['-version'])).toEqual(['version']);
  });
});
