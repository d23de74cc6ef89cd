/** Standalone entry point: the built-in file backend as an external plugin (see bin/plugins/). */
import { createDatabase } from '../databases/file/index.js';
import { runPlugin } from './run.js';

runPlugin('file', createDatabase);
