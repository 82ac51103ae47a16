// Builds the mock image from the project's Dockerfile through testcontainers, so that it
// works against whatever engine testcontainers finds (Docker, or podman's Docker API).
import { GenericContainer } from 'testcontainers'
import { requireContainerEngine } from './engine.ts'
import { prepareMockImageContext } from './image-context.ts'

/** The official image users build on; machines without a registry pass a local one. */
export const DEFAULT_NODE_IMAGE = 'node:20-bookworm-slim'

export interface BuildMockImageOptions {
  tag: string
  /** Base image (the Dockerfile's NODE_IMAGE). Default AUTHCONFORM_NODE_IMAGE, else the official one. */
  nodeImage?: string
}

/**
 * Builds from a prepared context (the project's files plus the installed production
 * dependencies), which needs no registry inside the build and spares testcontainers a walk
 * through the whole node_modules folder of the work tree.
 */
export async function buildMockImage(options: BuildMockImageOptions): Promise<string> {
  await requireContainerEngine()
  const context = await prepareMockImageContext()
  try {
    await GenericContainer.fromDockerfile(context.dir)
      .withBuildArgs({ NODE_IMAGE: options.nodeImage ?? process.env.AUTHCONFORM_NODE_IMAGE ?? DEFAULT_NODE_IMAGE })
      .build(options.tag, { deleteOnExit: false })
  } finally {
    await context.remove()
  }
  return options.tag
}
