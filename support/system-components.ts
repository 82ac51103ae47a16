// System components that some tests need and npm cannot install: a browser, a container
// engine (and, for other tests, servers such as Redis or HAProxy). A test finds its
// component the usual ways, and on a machine without it — a fresh clone with only Node —
// it is skipped with one printed line that names what to install. CI installs every
// component and sets AUTHCONFORM_REQUIRE_COMPONENTS=1 (.ci/run): there a missing
// component fails the test file instead, so no test is skipped for want of one.
//
// Use in a test file:
//
//   const chromium = await componentOrSkip(BROWSER, 'report.html in a browser')
//   describe.skipIf(chromium === undefined)('report.html in a browser', () => { … })
//
// The components are the `SystemComponent` constants at the end of this file. A new one
// says its name, how to install it, and has a `find` that answers where it is (a path, an
// address) or throws saying why it is not usable; `onPath(...)` finds an executable on PATH.
// CI must install it too (.ci/run).
import { accessSync, constants } from 'node:fs'
import path from 'node:path'

/** Set to 1 where every component must be present (CI): a missing one fails, never skips. */
export const REQUIRE_COMPONENTS_VARIABLE = 'AUTHCONFORM_REQUIRE_COMPONENTS'

export interface SystemComponent {
  /** What it is, for messages: "a Chromium browser". */
  name: string
  /** How to get it, in one line. */
  install: string
  /** Where the component is; undefined (or a thrown error saying why) when it is not here. */
  find(): Promise<string | undefined> | string | undefined
}

export type FoundComponent = { found: true; location: string } | { found: false; reason: string }

/**
 * How long a component may take to say where it is. A test file asks at its top level, while
 * Vitest collects it, where no test or hook timeout applies: a container engine whose API
 * accepted the connection and never answered would hold the whole run (and CI) for ever.
 */
export const FIND_TIMEOUT_MS = 60_000

export async function findComponent(component: SystemComponent, timeoutMs = FIND_TIMEOUT_MS): Promise<FoundComponent> {
  let timer: NodeJS.Timeout | undefined
  const unanswered = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not answer within ${timeoutMs / 1000} s`)), timeoutMs)
  })
  try {
    const location = await Promise.race([component.find(), unanswered])
    return location === undefined ? { found: false, reason: 'not found' } : { found: true, location }
  } catch (error) {
    return { found: false, reason: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The component's location; or, when it is missing, undefined after one printed line
 * saying that `what` is skipped and how to install the component. Under
 * AUTHCONFORM_REQUIRE_COMPONENTS=1 a missing component throws instead (the test file fails).
 */
export async function componentOrSkip(component: SystemComponent, what: string, environment = process.env): Promise<string | undefined> {
  const result = await findComponent(component)
  if (result.found) return result.location
  const missing = `${component.name} is missing (${result.reason}); ${component.install}`
  if (environment[REQUIRE_COMPONENTS_VARIABLE] === '1') {
    throw new Error(`${what} cannot run: ${missing} (${REQUIRE_COMPONENTS_VARIABLE}=1: required, not skipped)`)
  }
  console.warn(`${what}: skipped — ${missing}`)
  return undefined
}

/** The first of `names` that is an executable file in a folder of PATH. */
export function onPath(names: readonly string[], searchPath = process.env.PATH ?? ''): string | undefined {
  for (const folder of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(folder, name)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Chromium (or Chrome) for the tests that open pages in a real browser. */
export const BROWSER: SystemComponent = {
  name: 'a Chromium browser',
  install: 'install chromium (apt-get install chromium), run `npx playwright-core install chromium`, or set CHROME_PATH',
  async find() {
    const explicit = process.env.CHROME_PATH
    if (explicit) {
      if (!isExecutable(explicit)) throw new Error(`CHROME_PATH=${explicit} is not an executable file`)
      return explicit
    }
    // The browser playwright-core downloads with `install`; it names the path even when absent.
    const { chromium } = await import('playwright-core')
    const managed = chromium.executablePath()
    if (isExecutable(managed)) return managed
    return onPath(['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'])
  },
}

/** curl, for tests that replay a system's documented curl commands as they are written. */
export const CURL: SystemComponent = {
  name: 'curl',
  install: 'install curl (apt-get install curl)',
  find: () => onPath(['curl']),
}

/** A Docker-API container engine, found as testcontainers finds it (DOCKER_HOST, the socket, …). */
export const CONTAINER_ENGINE: SystemComponent = {
  name: 'a container engine',
  install: 'start Docker, or point DOCKER_HOST at a Docker-compatible API such as podman\'s (source containers/setup-podman.sh)',
  async find() {
    const { getContainerRuntimeClient } = await import('testcontainers')
    const client = await getContainerRuntimeClient()
    return client.info.containerRuntime.host
  },
}

/** The Redis server, for the replicated mock's tests (a shared store of its own per test). */
export const REDIS_SERVER: SystemComponent = {
  name: 'Redis (redis-server)',
  install: 'apt-get install redis-server',
  find: () => onPath(['redis-server']),
}

/** HAProxy, the load balancer the replicated mock's tests put in front of its replicas. */
export const HAPROXY: SystemComponent = {
  name: 'HAProxy',
  install: 'apt-get install haproxy',
  // Debian installs it in /usr/sbin, which not every user's PATH has.
  find: () => onPath(['haproxy'], `${process.env.PATH ?? ''}${path.delimiter}/usr/sbin`),
}
