// A port nothing listens on right now, for servers whose URL must be known before they
// start: a mock that announces a proxy's URL as its issuer, a container whose host port is
// bound up front so its issuer and jwks_uri name the address clients use, Prism in the
// benchmarks. Another process may take the port before the caller binds it; the callers
// accept that small race because the alternative (binding first) is not open to them.
import { createServer, type AddressInfo } from 'node:net'

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
