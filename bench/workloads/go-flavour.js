// W2go and W3go: W2 and W3 rendered by our Go template engine (`--template-engine go`, the
// same Go templates the peer runs) against our Handlebars flavour, interleaved A B A B in
// the same run. Every output of the two flavours must be byte-identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, measure, summarise } from '../lib.js';
import { CONFD, pad } from './common.js';

/** `setup` is what prepareW2/prepareW3 returned; its `flavours` name both confdirs. */
export async function runGoFlavour(runs, setup) {
  const { handlebars, go, root, data, count } = setup.flavours;
  const argv = (confdir, engine) => [...CONFD, 'render', '--backend', 'file', '--file', data, '--confdir', confdir, '--template-engine', engine];
  const run = (args) => async () => {
    const sample = await measure(args);
    if (sample.code !== 0) throw new Error(`${args.join(' ')} exited ${sample.code}:\n${sample.stderr}`);
    return sample;
  };
  const { a, b } = await compare(runs, run(argv(go, 'go')), run(argv(handlebars, 'handlebars')));
  // The Handlebars resources write out/ours-sNNNN.conf, the Go ones out/peer-sNNNN.conf.
  for (let i = 0; i < count; i++) {
    const ours = readFileSync(join(root, 'out', `ours-s${pad(i)}.conf`), 'utf8');
    const goOut = readFileSync(join(root, 'out', `peer-s${pad(i)}.conf`), 'utf8');
    if (ours !== goOut) throw new Error(`Go flavour: s${pad(i)} differs from the Handlebars flavour`);
  }
  const goWall = summarise(a, 'ms');
  const handlebarsWall = summarise(b, 'ms');
  return { go: { wall: goWall, rss: summarise(a, 'rssKiB') }, handlebars: { wall: handlebarsWall, rss: summarise(b, 'rssKiB') }, ratio: goWall.median / handlebarsWall.median };
}
