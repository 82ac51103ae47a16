#!/usr/bin/env node
// The sources are TypeScript run through tsx's loader, so there is no build step to
// forget: what the repository holds is what runs.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
