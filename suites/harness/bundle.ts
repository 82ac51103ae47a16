// The contract the harness holds every response to.
import bundleJson from '../../openapi/generated/bundle.json' with { type: 'json' }

export const bundle: Record<string, any> & { paths: Record<string, any> } = bundleJson as never
