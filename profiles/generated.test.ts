import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { profileTypes, TYPES_PATH } from './tooling/generate-types.ts'

// profiles/generated/ is committed so that nothing needs a build step; this keeps it honest.
describe('profiles/generated is fresh', () => {
  it('profile.d.ts matches a fresh `npm run generate`', async () => {
    expect(readFileSync(TYPES_PATH, 'utf8') === (await profileTypes()), 'profiles/generated/profile.d.ts is stale: run npm run generate').toBe(true)
  })
})
