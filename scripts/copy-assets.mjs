// Copies non-TypeScript runtime assets (the .proto files) next to the compiled code,
// and next to the bundle's chunks (src/plugin/protocol/services.ts finds them relative
// to its own module).
import { cpSync } from 'node:fs';

for (const target of ['dist/src/plugin/protocol/proto', 'dist/bundle/proto']) {
  cpSync('src/plugin/protocol/proto', target, { recursive: true });
}
