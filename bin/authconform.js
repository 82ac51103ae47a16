#!/usr/bin/env node
// The sources are TypeScript run through tsx's loader, so there is no build step to
// forget: what the repository holds is what runs.
import { register } from 'tsx/esm/api';

// verify runs the suites with vitest's Node API: hundreds of plain-JS modules that load
// several times slower through tsx's loader hooks (7.4 s against 1.2 s measured on a busy
// machine), and a run's --budget counts from the process start. So load it before them.
if (process.argv[2] === 'verify') await import('vitest/node');
register();
await import('../cli/main.ts');
