// The README's client example is this repository's examples/contract-client.ts, byte for
// byte; it compiles as a client project would compile it (with the strictness of the types
// proven by contract-client.typecheck.ts), and it runs against a real mock.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from 'authconform/contract'
import { bundlePath, contract } from '../openapi/contract.ts'
import { createMock, type RunningMock } from '../mock/server.ts'

const run = promisify(execFile)
const ROOT = new URL('..', import.meta.url)
const EXAMPLE = 'examples/contract-client.ts'
/** The README line that introduces the example's code block. */
const MARKER = `<!-- ${EXAMPLE} (kept identical by examples/contract-client.int.test.ts) -->`

describe('the contract for clients (authconform/contract)', () => {
  it('exports the bundle, also as a JSON file', () => {
    expect(bundle).toEqual(contract)
    expect(createRequire(import.meta.url).resolve('authconform/contract/bundle.json')).toBe(bundlePath)
  })

  it("the README's example is examples/contract-client.ts", async () => {
    const readme = await readFile(new URL('README.md', ROOT), 'utf8')
    const block = new RegExp(`${MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme)
    expect(block, `README.md has no ts block after ${MARKER}`).not.toBeNull()
    expect(block![1]).toBe(await readFile(new URL(EXAMPLE, ROOT), 'utf8'))
  })

  it('compiles with tsc, and the types refuse what the contract does not allow', async () => {
    const tsc = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/tsconfig.json'], { cwd: ROOT }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    )
    expect(tsc.stdout).toBe('')
    expect(tsc.code).toBe(0)
  }, 120_000)

  describe('runs against the mock', () => {
    let mock: RunningMock
    beforeAll(async () => {
      mock = await createMock({ port: 0, logLevel: 'silent' })
    })
    afterAll(() => mock?.close())

    it('signs alice in, creates and lists her orders, and reads the problem of a refused delete', async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', EXAMPLE], { cwd: ROOT, env: { ...process.env, AUTHCONFORM_URL: mock.url } })
      expect(stdout.trim().split('\n')).toEqual([
        expect.stringMatching(/^created rec_[A-Za-z0-9]{20}, owned by usr_alice000000000000000$/),
        expect.stringMatching(/^alice reads \d+ orders$/),
        "bob's order stays: 403 forbidden",
      ])
    }, 60_000)
  })
})
