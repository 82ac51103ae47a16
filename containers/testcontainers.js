// `import { AuthconformMockContainer } from 'authconform/testcontainers'`. The package ships
// TypeScript run through tsx (no build step), so this plain-JS entry loads the module with a
// tsx loader scoped to this one import: the importing project's own loading is untouched.
// TypeScript users get the types from the .ts file itself (the "types" export condition).
import { register } from 'tsx/esm/api'

const tsx = register({ namespace: 'authconform-testcontainers' })
const module = await tsx.import('./authconform-mock-container.ts', import.meta.url)

export const {
  AuthconformMockContainer,
  StartedAuthconformMockContainer,
  ControlRequestError,
  DEFAULT_MOCK_IMAGE,
  MOCK_PORT,
  CONTROL_TOKEN_HEADER,
} = module
