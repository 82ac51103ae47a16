// `authconform mock --defect NAME` / `--list-defects`, spawned the way users run them, and
// the flags as parsed.
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseMockArgs } from '../../cli/mock-command.ts'
import { UsageError } from '../../errors/usage-error.ts'
import { DEFECTS } from './catalogue.ts'

const BIN = fileURLToPath(new URL('../../bin/authconform.js', import.meta.url))
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'mock', ...args], { encoding: 'utf8', timeout: 60_000 })

describe('parseMockArgs', () => {
  it('collects repeated --defect flags and leaves them out when absent', () => {
    expect(parseMockArgs(['--defect', 'filters-or', '--defect', 'retry-after-missing'])).toMatchObject({
      defects: ['filters-or', 'retry-after-missing'],
    })
    expect(parseMockArgs([])).not.toHaveProperty('defects')
    expect(parseMockArgs(['--list-defects'])).toBe('list-defects')
  })

  it.each([
    [['--defect', 'nope'], "--defect: unknown defect 'nope' (authconform mock --list-defects lists them)"],
    [['--defect', 'refresh-not-rotated', '--defect', 'refresh-reuse-accepted'], /both replace the domain seam rotateRefresh/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseMockArgs(argv)).toThrow(UsageError)
    expect(() => parseMockArgs(argv)).toThrow(message)
  })
})

describe('authconform mock (spawned)', () => {
  it('--list-defects lists every defect with the requirements it must fail, exit 0', () => {
    const result = run('--list-defects')
    expect(result.status).toBe(0)
    for (const defect of DEFECTS) {
      expect(result.stdout).toContain(defect.name)
      expect(result.stdout).toContain(`must fail: ${defect.requirements.join(', ')}`)
    }
  })

  it('an unknown defect is one line on stderr and exit 2', () => {
    const result = run('--defect', 'no-such-defect')
    expect(result.status).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain("unknown defect 'no-such-defect'")
  })

  it('--defect NAME starts a mock that says it is deliberately broken, and behaves so', async () => {
    const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', '--quiet', '--defect', 'www-authenticate-missing'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let output = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /listening on (\S+)[\s\S]*Stop with/.exec(output)
          if (match) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`mock exited with ${code}: ${output}`)))
      })
      expect(output).toContain('DEFECTS:      www-authenticate-missing (deliberately broken; not a reference)')
      const response = await fetch(`${url}/v1/keys`)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBeNull()
    } finally {
      child.kill('SIGTERM')
    }
  })
})
