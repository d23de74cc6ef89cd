/** Standalone entry point: the built-in env backend as an external plugin (see bin/plugins/). */
import { createDatabase } from '../databases/env/index.js';
import { runPlugin } from './run.js';

runPlugin('env', createDatabase);
