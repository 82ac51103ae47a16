// The mock image's entry point: `authconform mock` with flags from AUTHCONFORM_* variables,
// followed by whatever command the container was given (so `docker run IMAGE --defect X`
// works too). Plain JS for the same reason as bin/authconform.js: it registers tsx first.
import { register } from 'tsx/esm/api'

register()
const { mockArgsFromEnv } = await import('./mock-env-args.ts')
const cli = new URL('../bin/authconform.js', import.meta.url).pathname
process.argv = [process.argv[0], cli, 'mock', ...mockArgsFromEnv(process.env), ...process.argv.slice(2)]
await import('../cli/main.ts')
