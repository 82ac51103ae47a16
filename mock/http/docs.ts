// The contract documentation at /docs (Redoc reference + requirement catalogue, rendered
// by openapi/docs on first request and cached: rendering takes seconds; the built-in
// profiles' page from profiles/docs) and the bundle itself at /openapi.json.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { contract } from '../../openapi/contract.ts'

export function registerDocs(app: FastifyInstance): void {
  let pages: Promise<{ index: string; files: Record<string, string> }> | undefined
  // Imported on first use: the renderer pulls in the Redocly tooling, which the API does not need.
  const render = () => {
    pages ??= Promise.all([import('../../openapi/docs/render-docs.ts'), import('../../profiles/docs/profiles-page.ts')])
      .then(async ([docs, profiles]) => ({
        index: docs.REFERENCE_FILE,
        files: { ...(await docs.renderContractDocs()), [profiles.PROFILES_FILE]: profiles.renderProfilesPage() },
      }))
      .catch((error: unknown) => {
        pages = undefined // try again on the next request
        throw error
      })
    return pages
  }

  app.get('/openapi.json', (_request, reply) => reply.send(contract))
  // Relative links between the pages need the trailing slash.
  app.get('/docs', (_request, reply) => reply.redirect('/docs/', 301))
  const page = async (request: FastifyRequest<{ Params: { page?: string } }>, reply: FastifyReply) => {
    let html: string | undefined
    try {
      const { index, files } = await render()
      html = files[request.params.page ?? index]
    } catch (error) {
      request.log.warn({ err: error }, 'contract docs could not be rendered')
      return reply.type('text/html; charset=utf-8').send(UNAVAILABLE)
    }
    if (html === undefined) return reply.callNotFound()
    return reply.type('text/html; charset=utf-8').send(html)
  }
  app.get('/docs/', page)
  app.get('/docs/:page', page)
}

const UNAVAILABLE = `<!doctype html><meta charset="utf-8"><title>authconform contract</title>
<p>The rendered contract documentation is not available right now (see the mock's log).
The contract itself is at <a href="/openapi.json">/openapi.json</a>.</p>`
