/** Standalone entry point: the built-in file backend as an external plugin (see bin/plugins/). */
import { createDatabase } from '../databases/file/index.js';
import { serve } from '../../src/plugin/serve/index.js';
import { packageVersion } from '../../src/version.js';

await serve({ database: createDatabase(), name: 'file', version: packageVersion() });
