// The real command line, spawned the way users run it: node bin/authconform.js …
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../bin/authconform.js', import.meta.url))
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })

describe('authconform', () => {
  it('--help lists the commands; --version prints the package version', () => {
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/mock\s+run the stateful mock server/)
    expect(help.stdout).toMatch(/verify/)
    const version = run('--version')
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it.each([
    [[], 'authconform: missing command'],
    [['serve'], "authconform: unknown command 'serve'"],
    [['mock', '--port', 'eighty'], "authconform mock: --port must be an integer from 0 to 65535, got 'eighty'"],
    [['mock', '--fixtures', '/no/such.yaml', '--port', '0'], 'authconform mock: /no/such.yaml: cannot read the fixture file'],
    // A profile that is not one (the OpenAPI document given instead): the file, its line, the pointer and what is wrong.
    [['mock', '--profile', 'profiles/machinable/openapi.yaml', '--port', '0'], 'authconform mock: --profile: profiles/machinable/openapi.yaml:7: /info: is not a property the format knows here'],
    [['verify', '--profile', 'profiles/machinable/openapi.yaml'], 'authconform verify: --profile: profiles/machinable/openapi.yaml:7: /info: is not a property the format knows here'],
  ])('%j exits 2 with one line on stderr', (args, line) => {
    const result = run(...args)
    expect(result.status).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(line)
    expect(result.stdout).toBe('')
  })

  it('mock --help documents every flag', () => {
    const help = run('mock', '--help')
    expect(help.status).toBe(0)
    for (const flag of ['--port', '--host', '--fixtures', '--admin-key', '--admin-secret', '--access-ttl', '--refresh-ttl', '--rate-limit', '--control', '--control-token', '--profile']) {
      expect(help.stdout).toContain(flag)
    }
    expect(help.stdout).toContain('AUTHCONFORM_PROFILE')
  })

  it('verify --help documents the profile flags', () => {
    const help = run('verify', '--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/--profile +NAME\|FILE: the wire format the target speaks/)
    expect(help.stdout).toMatch(/--setup-url +provider-states endpoint/)
  })

  it('mock starts, prints a parseable URL and credentials, serves, and stops on SIGTERM', { timeout: 90_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', '--access-ttl', '120', '--control', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 60_000)
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolve(match[1]!)
        }
      })
    })
    expect(new URL(url).hostname).toBe('127.0.0.1')
    expect(stdout).toMatch(/admin key: +key_devAdmin0000000000000000/)
    expect(stdout).toMatch(/admin secret: +sk_/)
    expect(stdout).toContain(`${url}/docs/`)
    const discovery = await request(`${url}/.well-known/auth-configuration`)
    expect(await discovery.body.json()).toMatchObject({ issuer: url, access_token_ttl: 120, features: expect.arrayContaining(['test_control']) })
    const logged = await new Promise<string>((resolve) => {
      const check = () => (/"path":"\/.well-known\/auth-configuration"/.test(stdout) ? resolve(stdout) : setTimeout(check, 50))
      check()
    })
    expect(logged).toMatch(/"method":"GET","path":"\/.well-known\/auth-configuration","status":200/)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
