// The replicas' one connection to Redis: node-redis with bounded waits everywhere (connect,
// every command, no queue while disconnected), the state's Lua scripts, and every failure
// to reach Redis turned into StoreUnavailableError (a 503 with Retry-After) — never a hang.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createClient, ErrorReply } from 'redis'
import { StoreUnavailableError } from '../domain/errors.ts'
import { redacted } from './store-url.ts'

/** Where the state lives inside the Redis database the URL names. */
export const KEY_PREFIX = 'authconform:'

/** How long one command may take before the request that needed it is answered 503. */
export const COMMAND_TIMEOUT_MS = 2000
const CONNECT_TIMEOUT_MS = 2000
const STARTUP_TIMEOUT_MS = 10_000

export interface Script {
  name: string
  source: string
  sha: string
}

function script(name: string, prepend?: string): Script {
  const own = readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8')
  const source = prepend === undefined ? own : `${readFileSync(new URL(`./lua/${prepend}.lua`, import.meta.url), 'utf8')}\n${own}`
  return { name, source, sha: createHash('sha1').update(source).digest('hex') }
}

export const SCRIPTS = {
  catchUp: script('catch-up', 'state'),
  commit: script('commit', 'state'),
  load: script('load', 'state'),
  wipe: script('wipe', 'state'),
  rateWindows: script('rate-windows', 'state'),
  releaseLock: script('release-lock'),
} as const

/** Errors Redis answers while it cannot serve (starting, out of memory for persistence, busy): as good as unreachable. */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MISCONF|READONLY|MASTERDOWN|TRYAGAIN|OOM)\b/

export interface RedisLink {
  /** Runs a script with ARGV [prefix, ...args]. */
  run(script: Script, args: readonly string[]): Promise<unknown>
  command(args: readonly string[]): Promise<unknown>
  close(): Promise<void>
}

export interface LinkEvents {
  /** The first failure after a success, and the first success after a failure. */
  onOutage(error: Error): void
  onRecovery(): void
}

/** Thrown at start-up when the store cannot be reached or the URL is not a Redis URL. */
export class StoreConnectError extends Error {
  readonly code = 'store_unreachable'
  override name = 'StoreConnectError'
}

export async function openRedisLink(url: string, events: LinkEvents): Promise<RedisLink> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  })
  let healthy = true
  // Until the first connection, a failure is only the reason start-up gives if it times out
  // (a Redis that wants a password says so here) — not an outage of a mock that serves.
  let started = false
  let lastFailure: Error | undefined
  const failed = (error: Error): void => {
    lastFailure = error
    if (!healthy || !started) return
    healthy = false
    events.onOutage(error)
  }
  // node-redis reports every failed reconnect here; without a listener the process would exit.
  client.on('error', failed)
  client.on('ready', () => {
    if (healthy) return
    healthy = true
    events.onRecovery()
  })

  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const reason = lastFailure === undefined ? 'no answer' : lastFailure.message
          reject(new StoreConnectError(`cannot reach ${redacted(url)} within ${STARTUP_TIMEOUT_MS / 1000} s: ${reason}`))
        }, STARTUP_TIMEOUT_MS)
      }),
    ])
    started = true
  } catch (error) {
    client.destroy()
    throw error instanceof StoreConnectError ? error : new StoreConnectError(`cannot reach ${redacted(url)}: ${(error as Error).message}`)
  } finally {
    clearTimeout(timer)
  }

  const send = async (args: readonly string[]): Promise<unknown> => {
    try {
      return await client.sendCommand(args)
    } catch (error) {
      if (error instanceof ErrorReply && !UNAVAILABLE_REPLIES.test(error.message)) throw error
      failed(error as Error)
      throw new StoreUnavailableError()
    }
  }

  return {
    async run(script, args) {
      try {
        return await send(['EVALSHA', script.sha, '0', KEY_PREFIX, ...args])
      } catch (error) {
        // The script cache is empty after a Redis restart: send the script itself once.
        if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error
        return send(['EVAL', script.source, '0', KEY_PREFIX, ...args])
      }
    },
    command: send,
    async close() {
      client.off('error', failed)
      client.on('error', () => undefined)
      await client.close().catch(() => client.destroy())
    },
  }
}
