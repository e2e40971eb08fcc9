import { DlrunError } from '../base/errors.js';

/** The sslmode values libpq (psql) knows; pg's own `no-verify` too. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/**
 * Check a ledger URL before anything connects with it: a scheme other than postgres:// or postgresql:// (a typo, or
 * a MySQL URL) would otherwise fail somewhere deep in the driver, and an sslmode pg does not know would silently mean
 * "TLS with the default checks". `source` names where the URL came from, for the message.
 */
export function checkDbUrl(url: string, source: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new DlrunError(
      `${source} (${redact(url)}) is not a PostgreSQL URL: dlrun keeps a shared ledger in PostgreSQL only`,
      {
        hint:
          'use postgres://USER:PASSWORD@HOST:5432/DATABASE (add ?sslmode=verify-full for TLS), ' +
          'or unset it to keep the ledger in SQLite under DLRUN_HOME',
      },
    );
  }
  const sslmode = queryParam(url, 'sslmode');
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode)) {
    throw new DlrunError(`${source} (${redact(url)}) has an unknown sslmode '${sslmode}'`, {
      hint: `use one of ${SSL_MODES.join(', ')} (as psql does: require encrypts, verify-full also checks the server)`,
    });
  }
}

/**
 * The URL as pg should read it: sslmode as libpq and psql read it (require encrypts without checking the server's
 * certificate, verify-ca and verify-full check it). Without `uselibpqcompat`, pg 8 reads require as verify-full and
 * prints a deprecation warning on every run.
 */
export function withLibpqSslModes(url: string): string {
  if (queryParam(url, 'sslmode') === undefined || queryParam(url, 'uselibpqcompat') !== undefined) return url;
  const [base, fragment] = splitOnce(url, '#');
  return `${base}${base.includes('?') ? '&' : '?'}uselibpqcompat=true${fragment === undefined ? '' : `#${fragment}`}`;
}

/** A database URL without its password (in the user part or a `password=` parameter), for messages. */
export function redact(url: string): string {
  const parts = userInfo(url);
  const withoutUserPassword =
    parts?.password === undefined ? url : `${parts.before}${parts.user}:***@${url.slice(parts.end)}`;
  return withoutUserPassword.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * The user part of a URL (`//user:password@`), up to the last `@` before the query: a password may hold `/`, `:` or
 * `@` that its writer did not encode, and it must be found all the same.
 */
function userInfo(
  url: string,
): { before: string; user: string; password: string | undefined; end: number } | undefined {
  const start = url.indexOf('//');
  if (start < 0) return undefined;
  const query = url.slice(start + 2).search(/[?#]/);
  const authorityEnd = query < 0 ? url.length : start + 2 + query;
  const at = url.lastIndexOf('@', authorityEnd - 1);
  if (at < start + 2) return undefined;
  const info = url.slice(start + 2, at);
  const colon = info.indexOf(':');
  return {
    before: url.slice(0, start + 2),
    user: colon < 0 ? info : info.slice(0, colon),
    password: colon < 0 ? undefined : info.slice(colon + 1),
    end: at + 1,
  };
}

/**
 * A function that takes the URL's password out of any text: the driver's and the server's messages are not ours, and
 * the password must never reach the terminal or a log whatever they say. Both the password as written in the URL
 * and decoded are removed, and the whole URL is redacted wherever it appears.
 */
export function passwordScrubber(url: string): (text: string) => string {
  const raw = [userInfo(url)?.password, /[?&]password=([^&#]*)/i.exec(url)?.[1]].filter(
    (value): value is string => value !== undefined && value !== '',
  );
  const secrets = [...new Set(raw.flatMap((value) => [value, safeDecode(value)]))]
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text.split(url).join(redact(url));
    for (const secret of secrets) scrubbed = scrubbed.split(secret).join('***');
    return scrubbed;
  };
}

function queryParam(url: string, name: string): string | undefined {
  const query = splitOnce(splitOnce(url, '#')[0], '?')[1];
  if (query === undefined) return undefined;
  for (const pair of query.split('&')) {
    const [key, value] = splitOnce(pair, '=');
    if (safeDecode(key) === name) return safeDecode(value ?? '');
  }
  return undefined;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
