// The README's profile example ("Writing one for your own API") is one copy-paste away from
// running: its shell block, as written (npx authconform → this checkout's bin), in an empty
// directory, passes; then the mock answers the example's sign-in in its wire format.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createMock } from '../mock/server.ts'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const execFileAsync = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'authconform-readme-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The sh block after the README's profile-example marker. */
function exampleBlock(): string {
  const text = readFileSync(README, 'utf8')
  const found = /<!-- profile-example -->\n```sh\n([\s\S]*?)\n```/.exec(text)
  if (!found) throw new Error('README.md has no <!-- profile-example --> sh block')
  return found[1]!
}

describe("the README's profile example", () => {
  it('runs as written: the profile loads and verify passes through it', { timeout: 300_000 }, async () => {
    const script = exampleBlock().replaceAll('npx authconform', `"${process.execPath}" "${BIN}"`)
    const { stdout } = await execFileAsync('bash', ['-e', '-c', script], { cwd: dir, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; code?: number }) => {
        throw new Error(`the example exited ${error.code}:\n${error.stdout?.slice(-3000)}\n${error.stderr?.slice(-2000)}`)
      },
    )
    expect(stdout).toContain('profile my-api')
    expect(stdout).toMatch(/Under profile my-api, \d+ of \d+ requirements are not applicable/)
    expect(stdout).toMatch(/PASSED/)
  })

  it('gives a mock that answers the sign-in the README names', async () => {
    const mock = await createMock({ port: 0, profile: join(dir, 'my-api', 'profile.yaml'), passwordHashCost: 1024 })
    try {
      const login = await fetch(`${mock.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice@example.test', password: 'alice-dev-password' }),
      })
      expect(login.status).toBe(200)
      expect(Object.keys(await login.json()).sort()).toEqual(['expires_in', 'refresh', 'session', 'token'])
      const wrong = await fetch(`${mock.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice@example.test', password: 'nope' }) })
      expect({ status: wrong.status, body: await wrong.json() }).toEqual({ status: 401, body: { message: expect.any(String) } })
    } finally {
      await mock.close()
    }
  })
})
