import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ReportedHookContext, TestCase, TestModule } from 'vitest/node'
import { SLOW_FILE_MS, SlowFilesReporter } from './slow-files-reporter.ts'

// Vitest's reported entities, reduced to what the reporter reads.
const module = (name: string) => ({ type: 'module', moduleId: `/repo/${name}`, relativeModuleId: name }) as unknown as TestModule
const testCase = (of: TestModule, fullName: string) => ({ type: 'test', module: of, fullName }) as unknown as TestCase
const suite = (of: TestModule, fullName: string) => ({ type: 'suite', module: of, fullName })

function reporterAt(start = 0) {
  let clock = start
  const lines: string[] = []
  const reporter = new SlowFilesReporter({ now: () => clock, write: (line) => lines.push(line), interval: false })
  return { reporter, lines, advance: (ms: number) => (clock += ms) }
}

describe('the slow-files reporter names each file running longer than 5 minutes, and where it is', () => {
  const file = module('mock/stuck.int.test.ts')
  const stuckTest = testCase(file, 'a server > answers')
  it.each([
    ['loading', () => [], 'loading (collecting its tests)'],
    ['started, before any test', (r: SlowFilesReporter) => r.onTestModuleStart(file), 'before its first test'],
    ['in a test', (r: SlowFilesReporter) => r.onTestCaseReady(stuckTest), 'in "a server > answers"'],
    ['in a test\'s hook', (r: SlowFilesReporter) => r.onHookStart({ name: 'afterEach', entity: stuckTest } as ReportedHookContext), 'in afterEach of "a server > answers"'],
    ['in a suite\'s hook', (r: SlowFilesReporter) => r.onHookStart({ name: 'beforeAll', entity: suite(file, 'a server') } as unknown as ReportedHookContext), 'in beforeAll of "a server"'],
    ['in the file\'s hook', (r: SlowFilesReporter) => r.onHookStart({ name: 'afterAll', entity: file } as ReportedHookContext), 'in afterAll of the file'],
  ])('%s', (_, step, where) => {
    const { reporter, lines, advance } = reporterAt()
    reporter.onTestModuleQueued(file)
    step(reporter)
    advance(SLOW_FILE_MS)
    reporter.check()
    expect(lines).toEqual([])
    advance(60_000)
    reporter.check()
    expect(lines).toEqual([`still running after 6.0 min: mock/stuck.int.test.ts, ${where}`])
  })

  it('says nothing more of a file once it has ended, and goes on naming the others', () => {
    const { reporter, lines, advance } = reporterAt()
    const other = module('cli/other.int.test.ts')
    reporter.onTestModuleQueued(file)
    advance(60_000)
    reporter.onTestModuleQueued(other)
    advance(SLOW_FILE_MS - 30_000)
    reporter.onTestModuleEnd(file)
    reporter.check()
    expect(lines).toEqual([])
    advance(60_000)
    reporter.check()
    expect(lines).toEqual(['still running after 5.5 min: cli/other.int.test.ts, loading (collecting its tests)'])
  })
})

describe('the slow-files reporter checks once a minute while a run is under way, and not between runs', () => {
  afterEach(() => vi.useRealTimers())

  it('writes from the run\'s start, stops at its end, and starts again with the next run', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    const lines: string[] = []
    const reporter = new SlowFilesReporter({ write: (line) => lines.push(line) })
    const file = module('mock/stuck.int.test.ts')
    reporter.onTestRunStart()
    reporter.onTestModuleQueued(file)
    vi.advanceTimersByTime(SLOW_FILE_MS + 60_000)
    expect(lines).toEqual(['still running after 6.0 min: mock/stuck.int.test.ts, loading (collecting its tests)'])
    reporter.onTestRunEnd()
    vi.advanceTimersByTime(10 * 60_000)
    expect(lines).toHaveLength(1)
    reporter.onTestRunStart()
    vi.advanceTimersByTime(60_000)
    expect(lines).toHaveLength(2)
  })
})
