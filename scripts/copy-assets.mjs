// Copies non-TypeScript runtime assets (the .proto files) next to the compiled code.
import { cpSync } from 'node:fs';

cpSync('src/plugin/protocol/proto', 'dist/src/plugin/protocol/proto', { recursive: true });
