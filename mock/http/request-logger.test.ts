import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../logging.ts'
import { lazyRequestLogger } from './request-logger.ts'

function setUp() {
  let output = ''
  const destination = new PassThrough()
  destination.on('data', (chunk) => (output += chunk))
  const parent = createLogger({ level: 'info', destination })
  // Counts the children made (of the parent and, inherited, of its children).
  let children = 0
  const child = parent.child
  parent.child = function (this: typeof parent, ...args: Parameters<typeof child>) {
    children++
    return child.apply(this, args)
  } as typeof parent.child
  const logger = lazyRequestLogger.call(undefined as never, parent, { reqId: 'req-7' }, {}, undefined as never)
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve))
    return output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  }
  return { logger, lines, children: () => children }
}

describe('the per-request logger', () => {
  it('makes no pino child until something is written, then one, with the request id bound', async () => {
    const { logger, lines, children } = setUp()
    expect(children()).toBe(0)
    logger.debug('below the level')
    logger.warn({ user: { password: 'hunter22' } }, 'first')
    logger.error('second')
    expect(children()).toBe(1)
    expect(await lines()).toEqual([
      expect.objectContaining({ level: 40, reqId: 'req-7', msg: 'first', user: { password: '[redacted]' } }),
      expect.objectContaining({ level: 50, reqId: 'req-7', msg: 'second' }),
    ])
  })

  it('answers its level and makes children of its own that keep the binding', async () => {
    const { logger, lines } = setUp()
    expect(logger.level).toBe('info')
    logger.child({ part: 'x' }).info('from a child')
    expect(await lines()).toEqual([expect.objectContaining({ reqId: 'req-7', part: 'x', msg: 'from a child' })])
  })
})
