// Placeholder until the owning engineer lands this command (see /tmp/team.md).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function register(_program: Command, _ctx: CliContext): void {}
