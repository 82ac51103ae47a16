// `node containers/remove-container.js ID`: force-removes one container. The image target
// runs it synchronously when the process is interrupted or exits with its container still
// up — by then the event loop may not get another turn, so the removal cannot be async.
// Plain JS so that it starts fast, without the tsx loader.
import { getContainerRuntimeClient } from 'testcontainers'

const [id] = process.argv.slice(2)
if (!id) {
  process.stderr.write('usage: remove-container.js ID\n')
  process.exit(2)
}
const client = await getContainerRuntimeClient()
await client.container.getById(id).remove({ force: true, v: true })
