// Run by containers.int.test.ts as a child process: starts an image target, says where it
// is, and waits to be interrupted. With `--exit-at-once` another SIGINT handler ends the
// process right away, as vitest's does during a verify run.
import { startImageTarget } from '../image-target.ts'

const [image, reportDir, mode] = process.argv.slice(2)
if (mode === '--exit-at-once') process.once('SIGINT', () => setTimeout(() => process.exit(130), 1))
const target = await startImageTarget({ image: image!, containerPort: 4010, reportDir: reportDir! })
process.stdout.write(`ready ${target.url}\n`)
setInterval(() => undefined, 60_000)
