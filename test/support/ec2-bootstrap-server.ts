import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'vitest';
import { defer } from './cleanup.js';

export interface RecordedRequest {
  readonly method: string;
  /** The path without the query: the object's key. */
  readonly path: string;
  readonly body: Buffer;
}

const TOKEN = 'imds-token-for-the-test';
const SIGNATURE = 'X-Amz-Signature';

/**
 * A loopback stand-in for what an EC2 machine running the bootstrap talks to: presigned S3 URLs (GET serves stored
 * objects, PUT stores bodies, DELETE removes), the instance metadata service (IMDSv2: a token first, then
 * ami-launch-index and local-ipv4), and the test's `shutdown`, which reports each call here.
 *
 * Object URLs carry a query like a presigned URL's; a request whose signature parameter did not survive (a URL
 * broken by quoting, say) is refused with 403, as S3 would.
 */
export class BootstrapServer {
  readonly objects = new Map<string, Buffer>();
  /** Paths that answer 403 AccessDenied, like an expired presigned URL. */
  readonly forbidden = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  /** Objects that appear only after a first GET has found nothing (a sibling node publishing late). */
  readonly late = new Map<string, Buffer>();
  launchIndex = 0;
  privateAddress = '10.0.0.5';
  private readonly server: Server;
  private port = 0;
  private shutdownHeard: () => void = () => undefined;
  /** Resolves when the machine asked for `shutdown -h now`. */
  readonly shutdownNow = new Promise<void>((resolve) => (this.shutdownHeard = resolve));

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => this.answer(request, Buffer.concat(chunks), response));
    });
  }

  static async start(t: TestContext): Promise<BootstrapServer> {
    const stand = new BootstrapServer();
    await new Promise<void>((resolve) => stand.server.listen(0, '127.0.0.1', resolve));
    stand.port = (stand.server.address() as AddressInfo).port;
    defer(t, () => new Promise<void>((resolve) => stand.server.close(() => resolve())));
    return stand;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A presigned-looking URL of the object at `path`. */
  url(path: string): string {
    return `${this.base}${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=600&${SIGNATURE}=${signatureOf(path)}`;
  }

  /** Requests for one object (or the shutdown record, path `/shutdown`), in the order they came. */
  to(path: string, method?: string): RecordedRequest[] {
    return this.requests.filter(
      (request) => request.path === path && (method === undefined || request.method === method),
    );
  }

  private answer(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.base);
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, body });
    if (url.pathname.startsWith('/latest/')) return this.metadata(request, url.pathname, response);
    if (url.pathname === '/shutdown') {
      if (body.toString() === '-h now') this.shutdownHeard();
      return send(response, 200, '');
    }
    if (url.pathname === '/probe') {
      // Lets a job wait, without guessing at timing, until the bootstrap has uploaded something.
      const stored = this.objects.get(url.searchParams.get('path') ?? '')?.toString() ?? '';
      return send(response, 200, stored.includes(url.searchParams.get('text') ?? '\0') ? 'yes' : 'no');
    }
    if (url.searchParams.get(SIGNATURE) !== signatureOf(url.pathname) || this.forbidden.has(url.pathname)) {
      return send(response, 403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    }
    if (method === 'PUT') {
      this.objects.set(url.pathname, body);
      return send(response, 200, '');
    }
    if (method === 'DELETE') {
      this.objects.delete(url.pathname);
      return send(response, 204, '');
    }
    const stored = this.objects.get(url.pathname);
    if (method === 'GET' && stored) return send(response, 200, stored);
    const late = this.late.get(url.pathname);
    if (late) {
      this.late.delete(url.pathname);
      this.objects.set(url.pathname, late);
    }
    return send(response, 404, '<Error><Code>NoSuchKey</Code></Error>');
  }

  private metadata(request: IncomingMessage, path: string, response: ServerResponse): void {
    if (path === '/latest/api/token') {
      const asked = request.method === 'PUT' && request.headers['x-aws-ec2-metadata-token-ttl-seconds'];
      return asked ? send(response, 200, TOKEN) : send(response, 400, 'a PUT with a TTL header');
    }
    if (request.headers['x-aws-ec2-metadata-token'] !== TOKEN) return send(response, 401, '');
    if (path === '/latest/meta-data/ami-launch-index') return send(response, 200, String(this.launchIndex));
    if (path === '/latest/meta-data/local-ipv4') return send(response, 200, this.privateAddress);
    return send(response, 404, '');
  }
}

function signatureOf(path: string): string {
  return Buffer.from(path).toString('hex').slice(-32);
}

function send(response: ServerResponse, status: number, body: string | Buffer): void {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
