/** Standalone entry point: the built-in env backend as an external plugin (see bin/plugins/). */
import { createDatabase } from '../databases/env/index.js';
import { serve } from '../../src/plugin/serve/index.js';
import { packageVersion } from '../../src/version.js';

await serve({ database: createDatabase(), name: 'env', version: packageVersion() });
