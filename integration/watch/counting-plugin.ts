/** The watch tests' counting plugin (compiled by `npm run build`: tsconfig includes integration/watch/plugin). */
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/helpers/run-confd.js';

export const COUNTING_PLUGIN = join(REPO_ROOT, 'integration', 'watch', 'plugin', 'confd-database-counting');
