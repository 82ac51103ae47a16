import { describe, expect, it } from 'vitest'
import { MOCK_ENV_VARIABLES, mockArgsFromEnv } from './mock-env-args.ts'
import { parseMockArgs } from '../cli/mock-command.ts'

describe('mockArgsFromEnv', () => {
  describe.each([
    ['nothing set', {}, []],
    ['host and port', { AUTHCONFORM_HOST: '0.0.0.0', AUTHCONFORM_PORT: '4010' }, ['--host', '0.0.0.0', '--port', '4010']],
    ['public URL', { AUTHCONFORM_PUBLIC_URL: 'http://127.0.0.1:39000' }, ['--public-url', 'http://127.0.0.1:39000']],
    [
      'admin credentials',
      { AUTHCONFORM_ADMIN_KEY: 'key_abc', AUTHCONFORM_ADMIN_SECRET: 'sk_def' },
      ['--admin-key', 'key_abc', '--admin-secret', 'sk_def'],
    ],
    ['lifetimes', { AUTHCONFORM_ACCESS_TTL: '60', AUTHCONFORM_REFRESH_TTL: '600' }, ['--access-ttl', '60', '--refresh-ttl', '600']],
    ['a control token turns control on', { AUTHCONFORM_CONTROL_TOKEN: 't0k' }, ['--control', '--control-token', 't0k']],
    [
      'rate limits, comma or space separated',
      { AUTHCONFORM_RATE_LIMITS: 'token=5/60, signin=3/60' },
      ['--rate-limit', 'token=5/60', '--rate-limit', 'signin=3/60'],
    ],
    ['defects', { AUTHCONFORM_DEFECTS: 'a,b c' }, ['--defect', 'a', '--defect', 'b', '--defect', 'c']],
    ['log level', { AUTHCONFORM_LOG_LEVEL: 'warn' }, ['--log-level', 'warn']],
    ['a shared store and workers', { AUTHCONFORM_STORE: 'redis://redis:6379/0', AUTHCONFORM_WORKERS: '2' }, ['--store', 'redis://redis:6379/0', '--workers', '2']],
    ['empty and blank values add nothing', { AUTHCONFORM_PORT: '', AUTHCONFORM_DEFECTS: '  ' }, []],
    ['other variables are ignored', { PATH: '/bin', AUTHCONFORM_TARGET: 'http://x' }, []],
  ])('%s', (_name, env, expected) => {
    it('maps to the flags', () => expect(mockArgsFromEnv(env)).toEqual(expected))
  })

  // Every flag the image produces must be one `authconform mock` accepts (the defect flag
  // belongs to the defect catalogue and is checked once that exists).
  it('produces only flags the mock command parses', () => {
    const env = {
      AUTHCONFORM_HOST: '0.0.0.0',
      AUTHCONFORM_PORT: '4010',
      AUTHCONFORM_PUBLIC_URL: 'http://127.0.0.1:39000',
      AUTHCONFORM_ADMIN_KEY: 'key_AAAAAAAAAAAAAAAAAAAAAAAA',
      AUTHCONFORM_ADMIN_SECRET: `sk_${'B'.repeat(40)}`,
      AUTHCONFORM_ACCESS_TTL: '60',
      AUTHCONFORM_REFRESH_TTL: '600',
      AUTHCONFORM_CONTROL_TOKEN: 'secret-token',
      AUTHCONFORM_RATE_LIMITS: 'token=5/60',
      AUTHCONFORM_LOG_LEVEL: 'warn',
      AUTHCONFORM_PROFILE: 'machinable',
      AUTHCONFORM_STORE: 'redis://redis:6379/0',
      AUTHCONFORM_WORKERS: '2',
    }
    expect(Object.keys(env).sort()).toEqual(MOCK_ENV_VARIABLES.filter((name) => name !== 'AUTHCONFORM_DEFECTS').sort())
    expect(parseMockArgs(mockArgsFromEnv(env), {})).toMatchObject({
      profile: { name: 'machinable' },
      host: '0.0.0.0',
      port: 4010,
      publicUrl: 'http://127.0.0.1:39000',
      accessTtl: 60,
      refreshTtl: 600,
      control: true,
      controlToken: 'secret-token',
      rateLimits: [{ scope: 'token', limit: 5, windowSeconds: 60 }],
      logLevel: 'warn',
      store: 'redis://redis:6379/0',
      workers: 2,
    })
  })
})
