// Finding the container engine. testcontainers looks for one (DOCKER_HOST, the Docker
// socket, ~/.testcontainers.properties, …); when none answers, the user gets one line
// that says what to do instead of testcontainers' internal wording.
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers'
import { UsageError } from '../errors/usage-error.ts'

/**
 * A usage error (exit code 2, one line): running containers was asked for on a machine
 * that cannot run them, which the user fixes by pointing to an engine, not by a bug fix.
 */
export class ContainerEngineUnavailableError extends UsageError {
  constructor(cause: unknown) {
    super(
      'no reachable container engine: start Docker, or point DOCKER_HOST at a Docker-compatible ' +
        `API such as podman's (${cause instanceof Error ? cause.message : String(cause)})`,
    )
    this.name = 'ContainerEngineUnavailableError'
  }
}

export async function requireContainerEngine(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient()
  } catch (error) {
    throw new ContainerEngineUnavailableError(error)
  }
}

