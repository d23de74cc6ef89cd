/** Every confd template function, plus the Go builtins ported templates use. */
import { collectionHelpers } from './collections.js';
import type { HelperFn } from './define.js';
import { dnsHelpers } from './dns.js';
import { encodingHelpers } from './encoding.js';
import { logicHelpers } from './logic.js';
import { mathHelpers } from './math.js';
import { printfHelpers } from './printf.js';
import { storeHelpers } from './store.js';
import { stringHelpers } from './strings.js';
import { systemHelpers } from './system.js';

export const ALL_HELPERS: Readonly<Record<string, HelperFn>> = {
  ...storeHelpers,
  ...stringHelpers,
  ...encodingHelpers,
  ...mathHelpers,
  ...collectionHelpers,
  ...logicHelpers,
  ...printfHelpers,
  ...systemHelpers,
  ...dnsHelpers,
};
