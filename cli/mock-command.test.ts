import { describe, expect, it } from 'vitest'
import { parseMockArgs } from './mock-command.ts'
import { UsageError } from '../errors/usage-error.ts'

const SECRET = `sk_${'S'.repeat(40)}`

describe('parseMockArgs', () => {
  it('defaults to 127.0.0.1:4010, the default fixtures (left to createMock), control off and info logs', () => {
    expect(parseMockArgs([], {})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      rateLimits: [],
      control: false,
      logLevel: 'info',
    })
  })

  it('loads --profile NAME|FILE, or AUTHCONFORM_PROFILE without the flag', () => {
    expect(parseMockArgs(['--profile', 'machinable'], {})).toMatchObject({ profile: { name: 'machinable' } })
    expect(parseMockArgs([], { AUTHCONFORM_PROFILE: 'machinable' })).toMatchObject({ profile: { name: 'machinable' } })
    expect(parseMockArgs(['--profile', 'authconform'], { AUTHCONFORM_PROFILE: 'machinable' })).toMatchObject({ profile: { name: 'authconform' } })
  })

  it('refuses an unknown or broken profile in one line', () => {
    expect(() => parseMockArgs(['--profile', 'nosuch'], {})).toThrow(/^--profile: no profile 'nosuch' \(built-in: .*machinable/)
    expect(() => parseMockArgs(['--profile', 'package.json'], {})).toThrow(/^--profile: package\.json:\d+: \/name: is not a property the format knows here$/)
  })

  it('reads every flag', () => {
    const options = parseMockArgs([
      '--port', '0', '--host', '0.0.0.0', '--public-url', 'http://mock:4010', '--fixtures', 'f.yaml',
      '--admin-key', 'key_cliAdmin00000000000000', '--admin-secret', SECRET,
      '--access-ttl', '60', '--refresh-ttl', '120',
      '--rate-limit', 'token=5/60', '--rate-limit', 'signin_failures=3/30', '--rate-limit', 'signin/address=150/60',
      '--control-token', 'tok', '--log-level', 'debug',
    ])
    expect(options).toEqual({
      port: 0,
      host: '0.0.0.0',
      publicUrl: 'http://mock:4010',
      fixtures: 'f.yaml',
      adminKey: 'key_cliAdmin00000000000000',
      adminSecret: SECRET,
      accessTtl: 60,
      refreshTtl: 120,
      rateLimits: [
        { scope: 'token', limit: 5, windowSeconds: 60 },
        { scope: 'signin_failures', limit: 3, windowSeconds: 30 },
        { scope: 'signin', per: 'address', limit: 150, windowSeconds: 60 },
      ],
      control: true,
      controlToken: 'tok',
      logLevel: 'debug',
    })
  })

  it('shares state through --store, or else through AUTHCONFORM_STORE; --workers N serves from N processes', () => {
    const shared = { store: 'redis://cache:6379/2' }
    expect(parseMockArgs(['--store', 'redis://cache:6379/2'], {})).toMatchObject(shared)
    expect(parseMockArgs([], { AUTHCONFORM_STORE: 'redis://cache:6379/2' })).toMatchObject(shared)
    expect(parseMockArgs(['--store', 'rediss://user:pw@cache/1'], { AUTHCONFORM_STORE: 'redis://other/0' })).toMatchObject({ store: 'rediss://user:pw@cache/1' })
    expect(parseMockArgs(['--workers', '4'], { AUTHCONFORM_STORE: 'redis://cache:6379' })).toMatchObject({ workers: 4, store: 'redis://cache:6379' })
    expect(parseMockArgs([], {})).not.toHaveProperty('store')
    expect(() => parseMockArgs([], { AUTHCONFORM_STORE: 'memory' })).toThrow(/AUTHCONFORM_STORE must be a Redis URL/)
  })

  it('--quiet logs warnings only; --help asks for help', () => {
    expect(parseMockArgs(['--quiet'])).toMatchObject({ logLevel: 'warn' })
    expect(parseMockArgs(['-h'])).toBe('help')
  })
})

describe.each([
  [['--prot', '1'], /^unknown option --prot$/],
  [['--port'], /argument missing/],
  [['--port', '65536'], /--port must be an integer from 0 to 65535, got '65536'/],
  [['--port', '12abc'], /--port must be an integer/],
  [['--access-ttl', '0'], /--access-ttl must be an integer ≥ 1/],
  [['--refresh-ttl=-5'], /--refresh-ttl must be an integer ≥ 1/],
  [['--refresh-ttl', '-5'], /argument is ambiguous/],
  [['--rate-limit', 'login=5/60'], /--rate-limit must be SCOPE=LIMIT\/WINDOW/],
  [['--rate-limit', 'token=5'], /--rate-limit must be SCOPE=LIMIT\/WINDOW/],
  [['--rate-limit', 'token=0/60'], /--rate-limit token limit must be an integer ≥ 1/],
  [['--rate-limit', 'signin/address=150/0'], /--rate-limit signin\/address window must be an integer ≥ 1/],
  [['--rate-limit', 'data/address=5/60'], /--rate-limit must be SCOPE=LIMIT\/WINDOW or SCOPE\/PER=LIMIT\/WINDOW \(token per credential\|address, signin per credential\|address, signin_failures per account, data per subject\), got 'data\/address=5\/60'/],
  [['--admin-key', 'key_cliAdmin00000000000000'], /--admin-key and --admin-secret go together/],
  [['--admin-key', 'admin', '--admin-secret', SECRET], /--admin-key must match/],
  [['--admin-key', 'key_cliAdmin00000000000000', '--admin-secret', 'short'], /--admin-secret must match/],
  [['--public-url', 'ftp://x'], /--public-url must be an http\(s\) URL/],
  [['--log-level', 'loud'], /--log-level must be one of/],
  [['--quiet', '--log-level', 'info'], /either --quiet or --log-level/],
  [['--control-token', ' '], /--control-token must not be empty/],
  [['serve'], /Unexpected argument 'serve'/],
  [['--workers', '2'], /--workers needs a shared store \(--store redis:\/\/HOST:PORT\/DB or AUTHCONFORM_STORE\)/],
  [['--store', 'redis://r:6379/0', '--workers', '0'], /--workers must be an integer from 1 to 256/],
  [['--store', 'http://r:6379/0'], /--store must be a Redis URL, redis:\/\/HOST:PORT\/DB, got 'http:\/\/r:6379\/0'/],
  [['--store', 'redis://r:6379/db'], /--store must be a Redis URL/],
  [['--store', 'redis://:hunter2@r:6379/x'], /got 'redis:\/\/:\*\*\*@r:6379\/x'/],
])('%j', (argv, message) => {
  it('is a usage error with a one-line message', () => {
    let error: unknown
    try {
      parseMockArgs(argv, {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })
})
