/** Datasets: named containers of records (admin-managed). Deleting one deletes its records. */
import type { Dataset } from './contract.ts'
import { iso, type Internals } from './context.ts'
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts'

export const DATASET_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/

export type Datasets = ReturnType<typeof createDatasets>

export function createDatasets({ clock, store }: Internals) {
  return {
    create({ name }: { name: string }): Dataset {
      if (typeof name !== 'string' || !DATASET_NAME_PATTERN.test(name)) {
        const message = `name must match ${DATASET_NAME_PATTERN.source}.`
        throw new InvalidRequestError(message, [{ in: 'body', path: '/name', message }])
      }
      if (store.datasets.get(name) !== undefined) throw new ConflictError(`Dataset ${name} already exists.`)
      const dataset = { name, createdAt: clock.now() }
      store.datasets.put(dataset)
      return { name, created_at: iso(dataset.createdAt) }
    },

    list: (): Dataset[] => [...store.datasets.values()].map((dataset) => ({ name: dataset.name, created_at: iso(dataset.createdAt) })),

    delete(name: string): void {
      if (!store.datasets.delete(name)) throw new NotFoundError('No such dataset.')
      store.records.dropDataset(name)
    },

    /** NotFoundError unless the dataset exists. */
    require(name: string): void {
      if (store.datasets.get(name) === undefined) throw new NotFoundError('No such dataset.')
    },
  }
}
