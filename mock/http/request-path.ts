import type { FastifyRequest } from 'fastify'

/** The request path without its query string: query strings may carry credentials. */
export function pathOf(request: Pick<FastifyRequest, 'url'>): string {
  const query = request.url.indexOf('?')
  return query < 0 ? request.url : request.url.slice(0, query)
}
