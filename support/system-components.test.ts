import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as components from './system-components.ts'
import { BROWSER, REQUIRE_COMPONENTS_VARIABLE, componentOrSkip, findComponent, onPath, type SystemComponent } from './system-components.ts'

const present: SystemComponent = { name: 'a thing', install: 'apt-get install thing', find: () => '/usr/bin/thing' }
const absent: SystemComponent = { name: 'a thing', install: 'apt-get install thing', find: () => undefined }
const broken: SystemComponent = { name: 'a thing', install: 'apt-get install thing', find: () => Promise.reject(new Error('socket refused')) }

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

describe('findComponent', () => {
  it.each([
    ['found', present, { found: true, location: '/usr/bin/thing' }],
    ['not found', absent, { found: false, reason: 'not found' }],
    ['unusable (find throws)', broken, { found: false, reason: 'socket refused' }],
  ])('%s', async (_case, component, expected) => {
    expect(await findComponent(component)).toEqual(expected)
  })

  it('counts a component that never answers as missing, after the timeout', async () => {
    const silent: SystemComponent = { name: 'a thing', install: 'apt-get install thing', find: () => new Promise(() => {}) }
    expect(await findComponent(silent, 50)).toEqual({ found: false, reason: 'it did not answer within 0.05 s' })
  })
})

describe('componentOrSkip', () => {
  it('returns where a present component is, silently', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await componentOrSkip(present, 'the thing tests', {})).toBe('/usr/bin/thing')
    expect(warn).not.toHaveBeenCalled()
  })

  it('skips a missing one with one line naming what is skipped, why and what to install', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await componentOrSkip(broken, 'the thing tests', {})).toBeUndefined()
    expect(warn.mock.calls).toEqual([['the thing tests: skipped — a thing is missing (socket refused); apt-get install thing']])
  })

  it(`fails instead of skipping under ${REQUIRE_COMPONENTS_VARIABLE}=1 (CI)`, async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await expect(componentOrSkip(absent, 'the thing tests', { [REQUIRE_COMPONENTS_VARIABLE]: '1' })).rejects.toThrow(
      /^the thing tests cannot run: a thing is missing \(not found\); apt-get install thing/,
    )
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('onPath', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'authconform-path-'))
  writeFileSync(path.join(folder, 'runnable'), '#!/bin/sh\n')
  chmodSync(path.join(folder, 'runnable'), 0o755)
  writeFileSync(path.join(folder, 'plain'), 'not executable')

  it('finds the first executable of the names in the folders of PATH', () => {
    expect(onPath(['missing', 'runnable'], ['/nonexistent', folder].join(path.delimiter))).toBe(path.join(folder, 'runnable'))
  })

  it('passes over files that are not executable', () => {
    expect(onPath(['plain'], folder)).toBeUndefined()
  })
})

describe('BROWSER', () => {
  it('takes CHROME_PATH first, and says so when it names no executable', async () => {
    vi.stubEnv('CHROME_PATH', '/nonexistent/chrome')
    expect(await findComponent(BROWSER)).toEqual({ found: false, reason: 'CHROME_PATH=/nonexistent/chrome is not an executable file' })
  })
})

describe('.ci/run', () => {
  it(`runs the tests with ${REQUIRE_COMPONENTS_VARIABLE}=1, so that CI skips no test for a missing component`, () => {
    const script = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')
    const exported = script.search(new RegExp(`^export ${REQUIRE_COMPONENTS_VARIABLE}=1$`, 'm'))
    expect(exported).toBeGreaterThan(-1)
    expect(exported).toBeLessThan(script.search(/^npm test$/m))
  })

  // Under that switch a component CI does not install fails its tests: every Debian package a
  // component names must be among those the script installs when missing.
  const packages = Object.values(components)
    .filter((value): value is SystemComponent => typeof value === 'object' && value !== null && 'install' in value)
    .flatMap((component) => [...component.install.matchAll(/apt-get install ([a-z0-9-]+)/g)].map((match) => [component.name, match[1]!]))
  it.each(packages)('installs what %s needs (%s)', (_name, debianPackage) => {
    const script = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')
    expect(script).toMatch(new RegExp(`missing\\+=\\(${debianPackage}\\)`))
  })
})
