// The image's entry point. `verify …` runs `authconform verify` with the given flags (and its
// own AUTHCONFORM_* variables), so that a project in any language verifies its service
// without Node: `docker run --rm --network host IMAGE verify --target http://127.0.0.1:8080 …`.
// Anything else runs the mock: `authconform mock` with flags from AUTHCONFORM_* variables
// followed by the container's command, with or without the word `mock` in front (so that
// `docker run IMAGE --defect X` works too). Plain JS for the same reason as
// bin/authconform.js: tsx is registered first.
const [command, ...rest] = process.argv.slice(2)
const cli = new URL('../bin/authconform.js', import.meta.url).pathname

if (command === 'verify') {
  process.argv = [process.argv[0], cli, 'verify', ...rest]
  await import('../bin/authconform.js')
} else {
  const { register } = await import('tsx/esm/api')
  register()
  const { mockArgsFromEnv } = await import('./mock-env-args.ts')
  const given = command === 'mock' ? rest : process.argv.slice(2)
  process.argv = [process.argv[0], cli, 'mock', ...mockArgsFromEnv(process.env), ...given]
  await import('../cli/main.ts')
}
