/**
 * Node's socket error codes (and undici's) of a request that got no HTTP answer at all: no connection, a connection
 * dropped, a name that did not resolve. Adapters tell these apart from a provider's answer, which has a status.
 */
export const NO_ANSWER_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
