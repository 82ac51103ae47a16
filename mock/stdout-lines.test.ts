import { spawnSync } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BATCH_CHARACTERS, gatheredLines } from './stdout-lines.ts'

const directory = mkdtempSync(join(tmpdir(), 'authconform-lines-'))
// The 100 ms flush is a setInterval: faked, so that it runs only when a test moves it (the
// writes themselves are real, to a file).
beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval'] }))
afterEach(() => {
  vi.useRealTimers()
  rmSync(join(directory, 'out.log'), { force: true })
})
const settle = () => new Promise((resume) => setTimeout(resume, 50))
const file = join(directory, 'out.log')
const line = (index: number) => `{"n":${index},"pad":"${'x'.repeat(90)}"}\n`
const written = () => readFileSync(file, 'utf8')

describe('standard output lines, gathered and written in batches', () => {
  it('holds lines until a batch is gathered, then writes them in order', async () => {
    // The smallest number of lines that fill a batch, and ten more.
    let batch = 0
    for (let characters = 0; characters < BATCH_CHARACTERS; batch++) characters += line(batch).length
    const total = batch + 10
    const sink = gatheredLines(openSync(file, 'w'))
    for (let index = 0; index < batch - 1; index++) sink.write(line(index))
    await settle()
    expect(written()).toBe('')
    for (let index = batch - 1; index < total; index++) sink.write(line(index))
    const firstBatch = Array.from({ length: batch }, (_, index) => line(index)).join('')
    await expect.poll(written, { timeout: 2000, interval: 5 }).toBe(firstBatch)
    await settle()
    expect(written()).toBe(firstBatch)
    sink.flush()
    await expect.poll(written, { timeout: 2000, interval: 5 }).toBe(Array.from({ length: total }, (_, index) => line(index)).join(''))
  })

  it('writes what is gathered within 100 ms when no more lines come', async () => {
    const sink = gatheredLines(openSync(file, 'w'))
    sink.write(line(1))
    await settle()
    expect(written()).toBe('')
    vi.advanceTimersByTime(100)
    await expect.poll(written, { timeout: 2000, interval: 5 }).toBe(line(1))
  })

  it('writes every line gathered when the process exits right after writing them', () => {
    const script = `
      import { openSync } from 'node:fs'
      import { gatheredLines } from ${JSON.stringify(fileURLToPath(new URL('./stdout-lines.ts', import.meta.url)))}
      const sink = gatheredLines(openSync(${JSON.stringify(file)}, 'w'))
      for (let index = 0; index < 5000; index++) sink.write(JSON.stringify({ n: index }) + '\\n')
      process.exit(0)
    `
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 })
    expect(child.status, child.stderr).toBe(0)
    expect(written()).toBe(Array.from({ length: 5000 }, (_, index) => `{"n":${index}}\n`).join(''))
  })
})
