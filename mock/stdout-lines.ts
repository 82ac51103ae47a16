// The mock's JSON lines to standard output, in batches: one write per 64 KiB of lines or
// per 100 ms, whichever comes first, instead of a write per request. Lines are gathered
// here and each batch is written at once, synchronously, by sonic-boom (pino's destination,
// which owns the file descriptor: partial writes, EAGAIN). Synchronously, because an
// asynchronous write still in flight when the process exits is lost or overwritten by the
// synchronous flush at exit (seen in a test under load: the first ~420 lines gone), and
// because a reader slower than the mock (a full pipe) should slow it down, not fill its
// memory. sonic-boom's own batching (minLength) is not used: it measures the byte length of
// its whole pending buffer on every write — a copy of up to a batch per request line.
import { pino } from 'pino'

/**
 * 64 KiB (a pipe's default capacity): against 4 KiB batches, 4–11 % less CPU per list request
 * with the defaults in the paired bench (pages of 20; the line's cost in the server is
 * several times its cost in process, and fewer writes is what moved it). The 100 ms flush
 * still bounds how late a line is when requests are few.
 */
export const BATCH_CHARACTERS = 64 * 1024
const FLUSH_EVERY_MS = 100

export interface LineSink {
  write(line: string): void
  /** Writes what is gathered now (pino's logger.flush calls it). */
  flush(callback?: (error?: Error) => void): void
}

let sink: LineSink | undefined

/** The process's one sink (a process has one standard output, however many mocks it runs). */
export function stdoutLines(): LineSink {
  return (sink ??= gatheredLines(1))
}

/** Lines gathered for file descriptor `fd`; exported for the tests, which use a file's. */
export function gatheredLines(fd: number): LineSink {
  const boom = pino.destination({ dest: fd, minLength: 0, sync: true })
  let lines: string[] = []
  let characters = 0
  const writeOut = (): void => {
    if (lines.length === 0) return
    boom.write(lines.length === 1 ? lines[0]! : lines.join(''))
    lines = []
    characters = 0
  }
  setInterval(writeOut, FLUSH_EVERY_MS).unref()
  process.once('exit', writeOut)
  return {
    write(line) {
      lines.push(line)
      characters += line.length
      if (characters >= BATCH_CHARACTERS) writeOut()
    },
    flush(callback) {
      writeOut()
      boom.flush(callback)
    },
  }
}
