import { describe, expect, it } from 'vitest'
import { UsageError } from '../cli/usage-error.ts'
import { DEFAULT_CONTAINER_PORT, resolveImageOptions } from './image-options.ts'

describe('resolveImageOptions', () => {
  it('is undefined without --image', () => {
    expect(resolveImageOptions({ image: undefined, containerPort: undefined, env: [] })).toBeUndefined()
  })

  describe.each([
    ['defaults', { containerPort: undefined, env: [] }, { containerPort: DEFAULT_CONTAINER_PORT, env: {} }],
    ['a port', { containerPort: '8080', env: [] }, { containerPort: 8080, env: {} }],
    [
      'variables, "=" inside a value, the last one winning',
      { containerPort: undefined, env: ['A=1', 'URL=http://x/?a=b', 'A=2', 'EMPTY='] },
      { containerPort: DEFAULT_CONTAINER_PORT, env: { A: '2', URL: 'http://x/?a=b', EMPTY: '' } },
    ],
  ])('%s', (_name, raw, expected) => {
    it('resolves', () => {
      expect(resolveImageOptions({ image: 'impl:1', ...raw })).toEqual({ image: 'impl:1', ...expected })
    })
  })

  describe.each([
    ['--env without --image', { image: undefined, containerPort: undefined, env: ['A=1'] }, '--container-port and --env go with --image'],
    ['--container-port without --image', { image: undefined, containerPort: '80', env: [] }, '--container-port and --env go with --image'],
    ['an empty image', { image: ' ', containerPort: undefined, env: [] }, "--image must name an image, not ' '"],
    ['port 0', { image: 'i', containerPort: '0', env: [] }, "--container-port must be a port from 1 to 65535, not '0'"],
    ['port 70000', { image: 'i', containerPort: '70000', env: [] }, 'not \'70000\''],
    ['a port that is not a number', { image: 'i', containerPort: 'http', env: [] }, "not 'http'"],
    ['a pair without =', { image: 'i', containerPort: undefined, env: ['NAME'] }, "--env takes NAME=VALUE, not 'NAME'"],
    ['a pair without a name', { image: 'i', containerPort: undefined, env: ['=1'] }, "not '=1'"],
    ['a bad name', { image: 'i', containerPort: undefined, env: ['1A=1'] }, "not '1A=1'"],
  ])('%s', (_name, raw, message) => {
    it('is a usage error', () => {
      expect(() => resolveImageOptions(raw)).toThrow(UsageError)
      expect(() => resolveImageOptions(raw)).toThrow(message)
    })
  })
})
