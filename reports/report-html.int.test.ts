// report.html in a real browser (headless Chromium): it renders without console errors or
// network requests, the status filter hides and shows cases, and a failing case is open
// with its (redacted) transcript. Without a browser on the machine: skipped, with what to
// install printed (support/system-components.ts).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER, componentOrSkip } from '../support/system-components.ts'
import { renderHtml } from './report-html.ts'
import { SECRETS, sampleResults } from './sample-results.ts'

const executablePath = await componentOrSkip(BROWSER, 'report.html in Chromium')

let browser: Browser
let page: Page
const consoleErrors: string[] = []
const requests: string[] = []

describe.skipIf(executablePath === undefined)('report.html in Chromium', () => {
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'authconform-html-')), 'report.html')
    writeFileSync(file, renderHtml(sampleResults()))
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    page = await browser.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(pathToFileURL(file).href)
  })

  afterAll(async () => {
    await browser?.close()
  })

  const visibleCases = () => page.locator('details.case:visible').count()

  it('renders the verdict, the matrix by area and every case', async () => {
    expect(await page.locator('h1').textContent()).toContain('failed')
    expect(await page.locator('h3').allTextContents()).toEqual(['auth', 'keys', 'errors'])
    expect(await visibleCases()).toBe(7)
    expect(await page.locator('#shown').textContent()).toBe('7')
  })

  it('filters by status', async () => {
    await page.locator('#filters input[value="passed"]').uncheck()
    await page.locator('#filters input[value="not_applicable"]').uncheck()
    expect(await visibleCases()).toBe(5)
    expect(await page.locator('#shown').textContent()).toBe('5')
    expect(await page.locator('tr[data-status="passed"]:visible').count()).toBe(0)
    await page.locator('#filters input[value="passed"]').check()
    expect(await visibleCases()).toBe(6)
  })

  it('shows a failing case expanded with its redacted transcript', async () => {
    const failing = page.locator('details.case[data-status="failed"]').first()
    expect(await failing.getAttribute('open')).not.toBeNull()
    const request = failing.locator('pre.request').first()
    expect(await request.isVisible()).toBe(true)
    const text = await request.textContent()
    expect(text).toContain('POST http://127.0.0.1:4010/v1/auth/token')
    expect(text).toContain('authorization: Bearer [redacted]')
    const all = await failing.textContent()
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret)
  })

  it('has no console errors and loads nothing but itself', () => {
    expect(consoleErrors).toEqual([])
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
  })
})
