import type { BackendContext, ForeignEndpoint, TrainingBackend } from '../backend/training-backend.js';

/** The endpoints, not the provider's own, that a backend would send this context's requests to (none for most). */
export function foreignEndpoints(backend: TrainingBackend, context: BackendContext): readonly ForeignEndpoint[] {
  return backend.endpoints?.(context) ?? [];
}

/** "AWS requests go to http://127.0.0.1:5000 (AWS_ENDPOINT_URL from your shell), not AWS's own endpoints". */
export function endpointSentence(endpoint: ForeignEndpoint): string {
  const which = endpoint.services ? `${endpoint.provider} ${endpoint.services}` : endpoint.provider;
  return (
    `${which} requests go to ${endpoint.url} (${endpoint.setting} from ${endpoint.source}), ` +
    `not ${endpoint.provider}'s own endpoints`
  );
}
