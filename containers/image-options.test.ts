import { describe, expect, it } from 'vitest'
import { UsageError } from '../errors/usage-error.ts'
import { DEFAULT_CONTAINER_PORT, resolveImageOptions, type RawImageOptions } from './image-options.ts'

const rest = { target: undefined, adminKey: 'key_x', adminSecret: 'sk_y' }

describe('resolveImageOptions', () => {
  it('is undefined without --image', () => {
    expect(resolveImageOptions({ ...rest })).toBeUndefined()
  })

  describe.each([
    ['defaults', {}, { containerPort: DEFAULT_CONTAINER_PORT, env: {} }],
    ['a port', { 'container-port': '8080' }, { containerPort: 8080, env: {} }],
    [
      'variables, "=" inside a value, the last one winning',
      { env: ['A=1', 'URL=http://x/?a=b', 'A=2', 'EMPTY='] },
      { containerPort: DEFAULT_CONTAINER_PORT, env: { A: '2', URL: 'http://x/?a=b', EMPTY: '' } },
    ],
  ])('%s', (_name, raw, expected) => {
    it('resolves', () => {
      expect(resolveImageOptions({ ...rest, image: 'impl:1', ...raw })).toEqual({ image: 'impl:1', ...expected })
    })
  })

  describe.each<[string, Partial<RawImageOptions>, string]>([
    ['--env without --image', { env: ['A=1'] }, '--container-port and --env go with --image'],
    ['--container-port without --image', { 'container-port': '80' }, '--container-port and --env go with --image'],
    ['an empty image', { image: ' ' }, "--image must name an image, not ' '"],
    ['--image with --target', { image: 'i', target: 'http://x' }, 'use either --target or --image'],
    ['--image without admin credentials', { image: 'i', adminSecret: undefined }, '--image needs --admin-key and --admin-secret'],
    ['port 0', { image: 'i', 'container-port': '0' }, "--container-port must be a port from 1 to 65535, not '0'"],
    ['port 70000', { image: 'i', 'container-port': '70000' }, "not '70000'"],
    ['a port that is not a number', { image: 'i', 'container-port': 'http' }, "not 'http'"],
    ['a pair without =', { image: 'i', env: ['NAME'] }, "--env takes NAME=VALUE, not 'NAME'"],
    ['a pair without a name', { image: 'i', env: ['=1'] }, "not '=1'"],
    ['a bad name', { image: 'i', env: ['1A=1'] }, "not '1A=1'"],
  ])('%s', (_name, raw, message) => {
    it('is a usage error', () => {
      expect(() => resolveImageOptions({ ...rest, ...raw })).toThrow(UsageError)
      expect(() => resolveImageOptions({ ...rest, ...raw })).toThrow(message)
    })
  })
})
