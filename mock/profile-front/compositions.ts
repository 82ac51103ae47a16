// The mock's answer to a composed call (profile `compositions`): its steps run against the
// contract app in order, each once or once per element of a wire array, and the answer is
// said from the first step's. The first error ends the call with that error; steps are not
// undone (the systems these stand for document no transactions either).
import type { ComposedCall, Profile } from '../../profiles/profile.ts'
import { answerToWire, collectedToWire, errorToWire, stepRequests } from '../../profiles/translate/inbound.ts'
import type { HttpAnswer, HttpRequest } from '../../profiles/translate/message.ts'
import type { Draft } from '../../profiles/translate/places.ts'

export type Invalid = { kind: 'invalid'; reason: string }

export async function answerComposed(
  profile: Profile,
  composed: ComposedCall,
  wire: Draft,
  contract: (request: HttpRequest) => Promise<HttpAnswer>,
): Promise<HttpAnswer | Invalid> {
  let firstAnswers: HttpAnswer[] = []
  for (const [index, step] of composed.steps.entries()) {
    const requests = stepRequests(profile, step, wire)
    if (typeof requests === 'string') return { kind: 'invalid', reason: requests }
    const answers: HttpAnswer[] = []
    for (const request of requests) {
      const answer = await contract(request)
      if (answer.status >= 300) return errorToWire(profile, answer)
      answers.push(answer)
    }
    if (index === 0) firstAnswers = answers
  }
  const [first] = composed.steps
  return first!.each === undefined ? answerToWire(profile, first!.call, firstAnswers[0]!) : collectedToWire(profile, first!.call, firstAnswers)
}
