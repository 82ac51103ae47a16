// A testcontainers module for the authconform mock, in the style of the official
// @testcontainers/* modules: a stateful auth backend with a controllable clock for a
// project's own tests.
//
//   const mock = await new AuthconformMockContainer('authconform-mock').withTtls({ access: 60 }).start()
//   … sign in at mock.url with mock.adminKey / mock.adminSecret …
//   await mock.advanceClock(61);   // the access token has now expired
//   await mock.injectFault({ operation: 'listRecords', status: 429, retry_after: 2, times: 1 })
//   await mock.stop()
import { randomInt } from 'node:crypto'
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'
import { request } from 'undici'
import type { components } from '../openapi/generated/schema.d.ts'
import { requireContainerEngine } from './engine.ts'
import { freePort } from '../support/free-port.ts'
import { DISCOVERY_PATH, PUBLIC_URL_VARIABLE } from './image-target.ts'

/** The tag the README's `docker build -t authconform-mock .` gives the image. */
export const DEFAULT_MOCK_IMAGE = 'authconform-mock:latest'
export const MOCK_PORT = 4010
export const CONTROL_TOKEN_HEADER = 'X-Control-Token'

export interface MockTtls {
  /** Access token lifetime in seconds. */
  access?: number
  /** Refresh token lifetime in seconds. */
  refresh?: number
}

/** The mock's clock: now, and how far it has been advanced. */
export type ClockState = components['schemas']['ControlClock']

export type ResetScope = NonNullable<components['schemas']['ControlReset']['scope']>
/** What to inject: the operation (and subject) it matches, its answer, how many requests it takes. */
export type FaultInput = components['schemas']['ControlFaultInput']
/** A fault in force, with how many requests it has matched and answered. */
export type Fault = components['schemas']['ControlFault']
/** One entry of the mock's request journal (a faulted request names its fault). */
export type JournalEntry = components['schemas']['ControlRequestEntry']

export class ControlRequestError extends Error {
  readonly code = 'control_request_failed'

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${method} ${path} answered ${status}: ${detail}`)
    this.name = 'ControlRequestError'
  }
}

export class AuthconformMockContainer extends GenericContainer {
  private defects: string[] = []
  private ttls: MockTtls = {}

  constructor(image = DEFAULT_MOCK_IMAGE) {
    super(image)
    this.withWaitStrategy(Wait.forHttp(DISCOVERY_PATH, MOCK_PORT).forStatusCode(200)).withStartupTimeout(60_000)
  }

  /** Named defects (deliberately broken behaviours) from the mock's defect catalogue. */
  withDefects(...names: string[]): this {
    this.defects.push(...names)
    return this
  }

  withTtls(ttls: MockTtls): this {
    this.ttls = { ...this.ttls, ...ttls }
    return this
  }

  override async start(): Promise<StartedAuthconformMockContainer> {
    const engine = await requireContainerEngine()
    // Bound up front so that the mock can announce the URL clients really use as its issuer.
    const hostPort = await freePort()
    const url = `http://${engine.info.containerRuntime.host}:${hostPort}`
    const credentials = { adminKey: randomToken('key_', 24), adminSecret: randomToken('sk_', 40) }
    const controlToken = randomToken('', 32)
    this.withExposedPorts({ container: MOCK_PORT, host: hostPort }).withEnvironment({
      [PUBLIC_URL_VARIABLE]: url,
      AUTHCONFORM_ADMIN_KEY: credentials.adminKey,
      AUTHCONFORM_ADMIN_SECRET: credentials.adminSecret,
      AUTHCONFORM_CONTROL_TOKEN: controlToken,
      ...(this.defects.length > 0 && { AUTHCONFORM_DEFECTS: this.defects.join(',') }),
      ...(this.ttls.access !== undefined && { AUTHCONFORM_ACCESS_TTL: String(this.ttls.access) }),
      ...(this.ttls.refresh !== undefined && { AUTHCONFORM_REFRESH_TTL: String(this.ttls.refresh) }),
    })
    return new StartedAuthconformMockContainer(await super.start(), { url, controlToken, ...credentials })
  }
}

export class StartedAuthconformMockContainer extends AbstractStartedContainer {
  /** Base URL of the mock, e.g. http://127.0.0.1:39123 */
  readonly url: string
  /** The bootstrap admin key: manages keys, users, policies and datasets. */
  readonly adminKey: string
  readonly adminSecret: string
  /** Opens the control extension (/__control/*); the helpers below send it. */
  readonly controlToken: string

  constructor(
    started: StartedTestContainer,
    settings: { url: string; adminKey: string; adminSecret: string; controlToken: string },
  ) {
    super(started)
    this.url = settings.url
    this.adminKey = settings.adminKey
    this.adminSecret = settings.adminSecret
    this.controlToken = settings.controlToken
  }

  /** Moves the mock's clock forward: tokens and windows expire as if the time had passed. */
  async advanceClock(seconds: number): Promise<ClockState> {
    return (await this.control('POST', '/__control/clock', { advance_seconds: seconds })) as ClockState
  }

  /** Back to the fixtures' state (all of it, or one part), without restarting the container; `all` also clears the faults. */
  async reset(scope: ResetScope = 'all'): Promise<void> {
    await this.control('POST', '/__control/reset', { scope })
  }

  /**
   * Makes requests to one operation answer a documented error, late, or not at all
   * (POST /__control/faults): `{ operation: 'listRecords', status: 429, retry_after: 2,
   * times: 1 }`. A status the operation does not document is refused (ControlRequestError, 400).
   */
  async injectFault(fault: FaultInput): Promise<Fault> {
    return (await this.control('POST', '/__control/faults', fault)) as Fault
  }

  /** The faults in force, in the order they were injected. */
  async listFaults(): Promise<Fault[]> {
    return ((await this.control('GET', '/__control/faults')) as { items: Fault[] }).items
  }

  /** Clears one fault by id, or every fault. */
  async clearFaults(id?: string): Promise<void> {
    await this.control('DELETE', id === undefined ? '/__control/faults' : `/__control/faults/${encodeURIComponent(id)}`)
  }

  /** What the mock answered, oldest first (method, path, status, subject, fault). */
  async requests(): Promise<JournalEntry[]> {
    return ((await this.control('GET', '/__control/requests')) as { items: JournalEntry[] }).items
  }

  private async control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<unknown> {
    const response = await request(new URL(path, this.url), {
      method,
      headers: { [CONTROL_TOKEN_HEADER]: this.controlToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.body.text()
    if (response.statusCode >= 300) {
      throw new ControlRequestError(method, path, response.statusCode, problemDetail(text))
    }
    return text ? JSON.parse(text) : undefined
  }
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Fresh per container, in the contract's formats (key_… ids, sk_… secrets). */
function randomToken(prefix: string, length: number): string {
  return prefix + Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join('')
}

function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string }
    return problem.detail ?? problem.title ?? text
  } catch {
    return text.slice(0, 200)
  }
}
