// Assertions every area needs, phrased once.
import { decodeJwt as joseDecodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose'
import { expect } from 'vitest'
import type { ApiResponse } from './client.ts'
import { documentedStatus } from './contract-check.ts'
import type { Problem, ProblemCode } from './contract-types.ts'
import { crediting } from './case-context.ts'
import { SuiteError } from './errors.ts'

/**
 * The response is an RFC 9457 problem with this status and code (the body schema itself
 * is already checked on every call); every 401 also carries the contract's
 * WWW-Authenticate challenge (ERR-007). Without a code, any code the operation documents
 * for the status will do (the contract check holds the answer to that list). Under a
 * profile whose error envelope cannot tell some codes apart, the answer stands for each of
 * them (response.problemCodes).
 *
 * A case may assert only what the contract states: a status the called operation does not
 * document, or a code it does not document for that status, is the suite's error
 * (SuiteError), whatever the target answered.
 */
export function expectProblem(response: ApiResponse<any>, status: number, code?: ProblemCode): Problem {
  expectDocumented(response, status, code)
  const context = `${status} ${code ?? '(a documented code)'} expected, got ${response.status} ${response.text.slice(0, 300)}`
  // Each assertion below checks one rule, and a failure is credited to it: the status and
  // code are the case's own rule (or ERR-008's, for a 401 where a 403 is due), the problem
  // format ERR-001's, the challenge ERR-007's (and ERR-005's, which states it for missing
  // or malformed credentials).
  const ownRule = status === 403 && response.status === 401 ? ['ERR-008'] : { except: ['ERR-001', 'ERR-007'] }
  crediting(ownRule, () => expect(response.status, context).toBe(status))
  const problem = response.body as Problem
  crediting(['ERR-001'], () => {
    expect(response.headers['content-type'] ?? '', context).toMatch(/^application\/problem\+json/i)
    expect(problem?.status, 'problem.status repeats the HTTP status').toBe(status)
  })
  if (code !== undefined) crediting({ except: ['ERR-001', 'ERR-007'] }, () => expect(response.problemCodes ?? [problem?.code], context).toContain(code))
  if (status === 401) {
    crediting(['ERR-007', 'ERR-005'], () => {
      const challenge = response.headers['www-authenticate'] ?? ''
      expect(challenge, '401 must carry WWW-Authenticate: Bearer … error="invalid_token"').toMatch(/^Bearer\b/i)
      expect(challenge).toMatch(/error="invalid_token"/)
    })
  }
  return problem
}

function expectDocumented(response: ApiResponse<any>, status: number, code: ProblemCode | undefined): void {
  const { method, path } = response.request
  const documented = documentedStatus(method, path, status)
  // A route the contract does not have answers by the catalogue's rules (ERR-014, ERR-019).
  if (documented === undefined) return
  const asked = `${method} ${path} (${documented.operation})`
  if (documented.codes === undefined) {
    throw new SuiteError(`the case expects ${status} from ${asked}, which does not document ${status} (documented: ${documented.statuses.join(', ')})`)
  }
  if (code !== undefined && !documented.codes.includes(code)) {
    throw new SuiteError(`the case expects ${status} ${code} from ${asked}, which documents ${status} with ${documented.codes.join(', ') || 'no problem'} only`)
  }
}

export interface DecodedJwt {
  header: ProtectedHeaderParameters
  payload: JWTPayload & { sid?: string }
}

/** Decodes (does not verify) a compact JWS; verification is DISC-002's job. */
export function decodeJwt(token: string): DecodedJwt {
  return { header: decodeProtectedHeader(token), payload: joseDecodeJwt(token) }
}
