import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../errors/usage-error.ts'
import { readConfigFile, readEnvironment, resolveOptions, type RawOptions } from './run-options.ts'

const TARGET = { target: 'http://t.example', 'admin-key': 'key_x', 'admin-secret': 's' }
const resolve = (flags: RawOptions = {}, env: RawOptions = {}, file: RawOptions = {}) => resolveOptions({ flags, env, file })

describe('option precedence: flags > environment > config file > defaults', () => {
  it.each([
    ['flag over env and file', { 'max-wait': '10' }, { 'max-wait': '20' }, { 'max-wait': '30' }, 10],
    ['env over file', {}, { 'max-wait': '20' }, { 'max-wait': '30' }, 20],
    ['file over default', {}, {}, { 'max-wait': '30' }, 30],
    ['default', {}, {}, {}, 120],
  ])('%s', (_, flags, env, file, maxWait) => {
    expect(resolve(flags, env, file).maxWaitSeconds).toBe(maxWait)
  })

  it('merges per option, not per source', () => {
    const options = resolve({ time: 'skip' }, { ...TARGET, strict: 'true', 'allow-unverified': 'yes' }, { areas: 'auth,keys', keep: true })
    expect(options).toMatchObject({ time: 'skip', target: 'http://t.example', strict: true, allowUnverified: true, areas: ['auth', 'keys'], keep: true })
  })

  it('has the documented defaults', () => {
    expect(resolve()).toMatchObject({
      target: undefined,
      time: undefined,
      maxWaitSeconds: 120,
      reportDir: 'reports',
      timeoutMs: 10_000,
      budgetSeconds: 1800,
      strict: false,
      allowUnverified: false,
      keep: false,
      areas: ['discovery', 'auth', 'sessions', 'keys', 'permissions', 'errors'],
    })
  })
})

describe('validation', () => {
  it.each([
    [{ time: 'bogus' }, "--time must be one of control, wait, skip, not 'bogus'"],
    [{ 'max-wait': '-1' }, "--max-wait must be a whole number ≥ 0, not '-1'"],
    [{ 'timeout-ms': '0' }, "--timeout-ms must be a whole number ≥ 1, not '0'"],
    [{ seed: 'abc' }, "--seed must be a whole number ≥ 0, not 'abc'"],
    [{ areas: 'auth,nope' }, '--areas takes a comma-separated subset of discovery,auth,sessions,keys,permissions,errors'],
    [{ target: 'ftp://x' }, "--target must be an http(s) URL, not 'ftp://x'"],
    [{ target: 'http://x' }, '--target needs --admin-key and --admin-secret'],
    [{ strict: 'maybe' }, "--strict must be true or false, not 'maybe'"],
  ] as [RawOptions, string][])('%o → %s', (flags, message) => {
    expect(() => resolve(flags)).toThrow(UsageError)
    expect(() => resolve(flags)).toThrow(message)
  })

  it('trims a trailing slash of the target', () => {
    expect(resolve({ ...TARGET, target: 'http://t.example/' }).target).toBe('http://t.example')
  })
})

describe('sources', () => {
  it('reads AUTHCONFORM_* variables, ignoring empty ones', () => {
    expect(readEnvironment({ AUTHCONFORM_TARGET: 'http://e', AUTHCONFORM_KEEP: '1', AUTHCONFORM_SEED: '' })).toEqual({ target: 'http://e', keep: '1' })
  })

  it.each([
    ['authconform.config.json', '{"time": "wait", "max-wait": 30, "areas": "auth"}'],
    ['authconform.config.yaml', 'time: wait\nmax-wait: 30\nareas: [auth]\n'],
  ])('reads %s with the flags’ names', (name, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-config-'))
    writeFileSync(join(dir, name), text)
    expect(readConfigFile(dir)).toEqual({ time: 'wait', 'max-wait': '30', areas: 'auth' })
  })

  it.each([
    ['authconform.config.yaml', 'nope: 1\n', "unknown option 'nope'"],
    ['authconform.config.json', '{"time": ', 'not valid JSON'],
    ['authconform.config.yaml', '- a list\n', 'expected a mapping'],
  ])('rejects %s containing %j', (name, text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-config-'))
    writeFileSync(join(dir, name), text)
    expect(() => readConfigFile(dir)).toThrow(message)
  })

  it('without a config file reads nothing', () => {
    expect(readConfigFile(mkdtempSync(join(tmpdir(), 'authconform-config-')))).toEqual({})
  })
})
