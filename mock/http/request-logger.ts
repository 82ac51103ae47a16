// The per-request logger Fastify hands every request (`request.log`, binding its reqId),
// made on first use. Fastify makes one for each request whether anything is logged through
// it or not; with pino and the mock's redaction list that is a new logger with its own
// formatters and its bindings passed through the redaction — on every request, for lines
// that only errors and warnings write (the request line has its own logger, app.ts).
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'

type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1]
type LogArguments = Parameters<FastifyBaseLogger['info']>

class RequestLogger implements FastifyBaseLogger {
  #made: FastifyBaseLogger | undefined

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  /** The child pino would have made for the request, made now. */
  private get logger(): FastifyBaseLogger {
    return (this.#made ??= this.parent.child(this.bindings, this.options))
  }

  get level(): string {
    return this.logger.level
  }

  set level(level: string) {
    this.logger.level = level
  }

  fatal(...args: LogArguments): void {
    this.logger.fatal(...args)
  }

  error(...args: LogArguments): void {
    this.logger.error(...args)
  }

  warn(...args: LogArguments): void {
    this.logger.warn(...args)
  }

  info(...args: LogArguments): void {
    this.logger.info(...args)
  }

  debug(...args: LogArguments): void {
    this.logger.debug(...args)
  }

  trace(...args: LogArguments): void {
    this.logger.trace(...args)
  }

  silent(...args: LogArguments): void {
    this.logger.silent(...args)
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options)
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, its child made when first written to. */
export const lazyRequestLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  new RequestLogger(logger, bindings, options)
