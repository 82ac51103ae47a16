// The container face end to end, against whatever engine testcontainers finds (in CI:
// podman from containers/setup-podman.sh). Without an engine these tests are skipped
// with the reason printed; the no-engine error itself is checked either way.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { promisify } from 'node:util'
import type { Container } from 'dockerode'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// Imported as a user's project would: through the package's exports entry.
import { AuthconformMockContainer, type StartedAuthconformMockContainer } from 'authconform/testcontainers'
import { CONTAINER_ENGINE, componentOrSkip } from '../support/system-components.ts'
import { requireContainerEngine } from './engine.ts'
import { findDefect } from '../mock/defects/catalogue.ts'
import { EMBEDDED_VERIFY_OPTIONS } from '../mock/options.ts'
import { requirementById } from '../openapi/contract.ts'
import type { RunResults } from '../reports/results.ts'
import { REPO_ROOT } from './image-context.ts'
import { CONTAINER_LOG_FILE, ImageTargetError, startImageTarget } from './image-target.ts'
import { buildMockImage } from './mock-image.ts'

const IMAGE = 'authconform-mock:test'
/** A defect whose requirement needs neither waiting nor many cases. */
const DEFECT = 'refresh-not-rotated'
// About ten times what each takes here (a build ~25 s, the image's full run ~40 s): an
// engine that stops answering fails the file within minutes, instead of holding the run.
const BUILD_TIMEOUT = 240_000
const VERIFY_TIMEOUT = 300_000
const run = promisify(execFile)
const INTERRUPTED_TARGET = path.join(REPO_ROOT, 'containers/test-support/interrupted-target.ts')
// A full run signs in up to the per-address limit twice (DISC-005), at the image's real
// scrypt cost: with the default 1,000 that was 56 s of the image's 91 s run. Its runs take
// the embedded verify's limit for that one entry; DISC-005 checks whatever limits the
// image declares, and what these runs prove is the image.
const SIGNIN_PER_ADDRESS = (() => {
  const rule = EMBEDDED_VERIFY_OPTIONS.rateLimits!.find((entry) => entry.scope === 'signin' && entry.per === 'address')!
  return `signin/address=${rule.limit}/${rule.windowSeconds}`
})()
const engine = await componentOrSkip(CONTAINER_ENGINE, 'the container tests')

async function runningContainerIds(): Promise<string[]> {
  const engine = await requireContainerEngine()
  return (await engine.container.list()).map((container) => container.Id)
}

async function json(url: string, init: Parameters<typeof request>[1] = {}) {
  const response = await request(url, init)
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> }
}

describe.skipIf(engine === undefined)('with a container engine', () => {
  let reportDir: string

  beforeAll(async () => {
    reportDir = await mkdtemp(path.join(tmpdir(), 'authconform-containers-'))
    await buildMockImage({ tag: IMAGE })
  }, BUILD_TIMEOUT)

  afterAll(async () => {
    await rm(reportDir, { recursive: true, force: true })
  })

  describe('AuthconformMockContainer', () => {
    let mock: StartedAuthconformMockContainer
    let stopped = false

    beforeAll(async () => {
      mock = await new AuthconformMockContainer(IMAGE).withTtls({ access: 60, refresh: 600 }).start()
    }, 60_000)

    afterAll(async () => {
      if (!stopped) await mock?.stop()
    })

    it('announces the URL clients use, with the lifetimes it was given', async () => {
      const { status, body } = await json(`${mock.url}/.well-known/auth-configuration`)
      expect(status).toBe(200)
      expect(body).toMatchObject({ issuer: mock.url, access_token_ttl: 60, refresh_token_ttl: 600 })
      expect(body.features).toContain('test_control')
    })

    it('expires an access token when its clock is advanced, and resets', async () => {
      const signIn = await json(`${mock.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: mock.adminKey, api_secret: mock.adminSecret }),
      })
      expect(signIn.status).toBe(200)
      const bearer = { authorization: `Bearer ${String(signIn.body.access_token)}` }
      expect((await json(`${mock.url}/v1/keys`, { headers: bearer })).status).toBe(200)

      expect(await mock.advanceClock(61)).toMatchObject({ offset_seconds: 61 })
      const expired = await json(`${mock.url}/v1/keys`, { headers: bearer })
      expect(expired).toMatchObject({ status: 401, body: { code: 'token_expired' } })

      await mock.reset()
      const clock = await json(`${mock.url}/__control/clock`, { headers: { 'x-control-token': mock.controlToken } })
      expect(clock.body).toMatchObject({ offset_seconds: 0 })
    })

    it('keeps the control extension closed to callers without the token', async () => {
      const { status } = await json(`${mock.url}/__control/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance_seconds: 1 }),
      })
      expect(status).toBe(403)
    })

    it('injects, lists and clears faults: the next request answers the injected 429, the one after is real', async () => {
      const signIn = await json(`${mock.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: mock.adminKey, api_secret: mock.adminSecret }),
      })
      const bearer = { authorization: `Bearer ${String(signIn.body.access_token)}` }
      const records = `${mock.url}/v1/datasets/orders/records`
      const fault = await mock.injectFault({ operation: 'listRecords', status: 429, retry_after: 2, times: 1 })
      expect(await mock.listFaults()).toEqual([fault])
      const faulted = await request(records, { headers: bearer })
      expect(faulted.statusCode).toBe(429)
      expect(faulted.headers['retry-after']).toBe('2')
      expect(await faulted.body.json()).toMatchObject({ code: 'rate_limited' })
      expect((await json(records, { headers: bearer })).status).toBe(200)
      expect(await mock.listFaults()).toEqual([])
      expect((await mock.requests()).filter((entry) => entry.path === '/v1/datasets/orders/records').map((entry) => [entry.status, entry.fault?.id])).toEqual([
        [429, fault.id],
        [200, undefined],
      ])

      const [first] = [await mock.injectFault({ operation: 'listKeys', delay_ms: 10 }), await mock.injectFault({ operation: 'listUsers', drop: true })]
      await mock.clearFaults(first!.id)
      expect((await mock.listFaults()).map((listed) => listed.operation)).toEqual(['listUsers'])
      await mock.clearFaults()
      expect(await mock.listFaults()).toEqual([])
      await expect(mock.injectFault({ operation: 'listKeys', status: 429 })).rejects.toThrow(
        expect.objectContaining({ name: 'ControlRequestError', status: 400, message: expect.stringMatching(/listKeys does not document/) }),
      )
    })

    it("passes the Dockerfile's health check, which fails when nothing answers", async () => {
      const dockerfile = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8')
      const healthcheck = /^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1]
      expect(healthcheck).toBeDefined()
      const command = JSON.parse(healthcheck!) as string[]
      expect((await mock.exec(command)).exitCode).toBe(0)
      expect((await mock.exec(command, { env: { AUTHCONFORM_PORT: '1' } })).exitCode).toBe(1)
    })

    it('is gone after stop()', async () => {
      expect(await runningContainerIds()).toContain(mock.getId())
      await mock.stop()
      stopped = true
      expect(await runningContainerIds()).not.toContain(mock.getId())
    })
  })

  describe('verify in the image, without Node on the machine', () => {
    let target: StartedAuthconformMockContainer

    beforeAll(async () => {
      target = await new AuthconformMockContainer(IMAGE).start()
    }, 60_000)

    afterAll(async () => {
      await target?.stop()
    })

    /** `docker run --rm --network host -v DIR:/reports [--user U] IMAGE verify --target … ARGS`, as the README shows it. */
    async function verifyInImage(reports: string, args: string[], user?: string) {
      const docker = (await requireContainerEngine()).container.dockerode
      const output: string[] = []
      const sink = new Writable({ write: (chunk, _encoding, done) => done(void output.push(String(chunk))) })
      const command = ['verify', '--target', target.url, '--admin-key', target.adminKey, '--admin-secret', target.adminSecret]
      command.push('--control-token', target.controlToken, ...args)
      // Removed here rather than by the engine (--rm): podman may answer the wait for an
      // auto-removed container with 0 whatever the exit code was.
      const [, container] = (await docker.run(IMAGE, command, [sink, sink], {
        Tty: false,
        ...(user && { User: user }),
        HostConfig: { NetworkMode: 'host', Binds: [`${reports}:/reports`] },
      })) as [unknown, Container]
      try {
        const exitCode = (await container.inspect()).State.ExitCode
        const results = JSON.parse(await readFile(path.join(reports, 'results.json'), 'utf8')) as RunResults
        return { exitCode, results, output: output.join('') }
      } finally {
        await container.remove({ force: true })
      }
    }

    it('passes the mock: exit code 0, and the reports in the mounted folder, written by the non-root user', async () => {
      const reports = path.join(reportDir, 'in-image-passing')
      await mkdir(reports, { mode: 0o777 })
      await chmod(reports, 0o777) // the README's way: a folder the image's user (uid 1000) may write
      const { exitCode, results, output } = await verifyInImage(reports, ['--requirements', 'DISC-004'])
      expect(exitCode, output).toBe(0)
      expect(results.run.target).toBe(target.url)
      expect(results.counts).toMatchObject({ failed: 0, passed: expect.any(Number) })
      expect(results.counts.passed).toBeGreaterThanOrEqual(4)
      for (const file of ['results.json', 'junit.xml', 'summary.md', 'report.html']) {
        expect((await stat(path.join(reports, file))).uid, file).toBe(1000)
      }
      expect(output).not.toContain(target.adminSecret)
    }, VERIFY_TIMEOUT)

    it('passes a failure through as exit code 1; --user runs it as the owner of a private folder', async () => {
      // The target loses every JWKS connection: the JWKS cases fail, the preflight (no JWKS) does not.
      await target.injectFault({ operation: 'getJwks', drop: true })
      const reports = path.join(reportDir, 'in-image-failing')
      await mkdir(reports, { mode: 0o700 })
      await chown(reports, 4242, 4242)
      try {
        const { exitCode, results, output } = await verifyInImage(reports, ['--requirements', 'DISC-002'], '4242:4242')
        expect(exitCode, output).toBe(1)
        expect(results.coverage.find((row) => row.id === 'DISC-002')?.status).toBe('failed')
        expect((await stat(path.join(reports, 'results.json'))).uid).toBe(4242)
      } finally {
        await target.clearFaults()
      }
    }, VERIFY_TIMEOUT)
  })

  describe('startImageTarget', () => {
    it('starts the image, writes its log (redacted) into the report dir, and stops it', async () => {
      const secret = `sk_${'Q'.repeat(40)}`
      const dir = path.join(reportDir, 'target')
      const target = await startImageTarget({
        image: IMAGE,
        containerPort: 4010,
        env: { AUTHCONFORM_ADMIN_KEY: `key_${'P'.repeat(24)}`, AUTHCONFORM_ADMIN_SECRET: secret },
        reportDir: dir,
        secrets: [secret],
      })
      const ids = await runningContainerIds()
      const discovery = await json(`${target.url}/.well-known/auth-configuration`)
      expect(discovery.body.issuer).toBe(target.url)
      await target.stop()
      await target.stop()
      expect((await runningContainerIds()).length).toBe(ids.length - 1)
      const log = await readFile(path.join(dir, CONTAINER_LOG_FILE), 'utf8')
      expect(log).toContain('authconform mock listening on')
      expect(log).toContain(`key_${'P'.repeat(24)}`)
      expect(log).not.toContain(secret)
    }, 60_000)

    describe.each([
      ['alone', []],
      ['while another handler exits at once (as vitest does)', ['--exit-at-once']],
    ])('on Ctrl-C %s', (_name, mode) => {
      it('removes the container before the process ends', async () => {
        const before = await runningContainerIds()
        const child = spawn(process.execPath, ['--import', 'tsx', INTERRUPTED_TARGET, IMAGE, path.join(reportDir, 'interrupted'), ...mode], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
        expect(line).toMatch(/^ready http:/)
        expect((await runningContainerIds()).length).toBe(before.length + 1)
        child.kill('SIGINT')
        const [code, signal] = await once(child, 'exit')
        expect(code === 130 || signal === 'SIGINT').toBe(true)
        expect(await runningContainerIds()).toEqual(before)
      }, 90_000)
    })

    it('fails with one line and leaves nothing running when the target never answers', async () => {
      const before = await runningContainerIds()
      const started = startImageTarget({
        image: IMAGE,
        containerPort: 4999,
        reportDir: path.join(reportDir, 'silent'),
        startupTimeoutMs: 5_000,
      })
      await expect(started).rejects.toThrow(ImageTargetError)
      await expect(started).rejects.toThrow(/^could not start authconform-mock:test: [^\n]+$/)
      expect(await runningContainerIds()).toEqual(before)
    }, 60_000)
  })

  describe('verify --image', () => {
    const admin = { key: `key_${'V'.repeat(24)}`, secret: `sk_${'W'.repeat(40)}` }
    const controlToken = 'c0ntrol-t0ken-for-the-container'

    /** Runs the CLI as a user would; resolves with its exit code and the results it wrote. */
    async function verifyImage(name: string, extra: string[]) {
      const dir = path.join(reportDir, name)
      const args = ['bin/authconform.js', 'verify', '--image', IMAGE, '--report-dir', dir, '--seed', '1127']
      args.push('--admin-key', admin.key, '--admin-secret', admin.secret, '--time', 'control', '--control-token', controlToken)
      args.push('--env', `AUTHCONFORM_ADMIN_KEY=${admin.key}`, '--env', `AUTHCONFORM_ADMIN_SECRET=${admin.secret}`)
      args.push('--env', `AUTHCONFORM_CONTROL_TOKEN=${controlToken}`, '--env', `AUTHCONFORM_RATE_LIMITS=${SIGNIN_PER_ADDRESS}`, ...extra)
      // Ended before the case's own timeout, so that a verify that hangs is not left running.
      const code = await run('node', args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: VERIFY_TIMEOUT - 20_000 }).then(
        () => 0,
        (error: { code: number }) => error.code,
      )
      const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as RunResults
      return { code, results, log: await readFile(path.join(dir, CONTAINER_LOG_FILE), 'utf8') }
    }

    it('passes every MUST against the mock image, leaving its redacted log and no container', async () => {
      const before = await runningContainerIds()
      const { code, results, log } = await verifyImage('passing', [])
      const failedMusts = results.coverage.filter((row) => row.level === 'MUST' && row.status === 'failed')
      expect(failedMusts.map((row) => row.id)).toEqual([])
      expect(results.run.timeStrategy).toBe('control')
      expect(results.counts.passed).toBeGreaterThan(0)
      expect(code).toBe(0)
      expect(log).toContain('authconform mock listening on')
      expect(log).not.toContain(admin.secret)
      expect(log).not.toContain(controlToken)
      expect(await runningContainerIds()).toEqual(before)
    }, VERIFY_TIMEOUT)

    it('fails the requirements of a defect the image is started with', async () => {
      const defect = findDefect(DEFECT)
      const areas = [...new Set(defect.requirements.map((id) => requirementById(id).area))]
      const { code, results } = await verifyImage('defect', ['--env', `AUTHCONFORM_DEFECTS=${DEFECT}`, '--areas', areas.join(',')])
      expect(code).toBe(1)
      const failed = results.coverage.filter((row) => row.status === 'failed').map((row) => row.id)
      expect(failed).toEqual(expect.arrayContaining([...defect.requirements]))
    }, VERIFY_TIMEOUT)
  })
})

describe('without a container engine', () => {
  // testcontainers also tries the default Docker socket; where one exists it would answer.
  it.skipIf(existsSync('/var/run/docker.sock'))('verify --image fails with one line and exit code 2', async () => {
    const env = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', HOME: tmpdir() }
    const args = ['bin/authconform.js', 'verify', '--image', IMAGE, '--admin-key', `key_${'A'.repeat(24)}`, '--admin-secret', 'sk_x']
    const failure = await run('node', args, { cwd: REPO_ROOT, env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^authconform verify: no reachable container engine/)])
  })
})
