/**
 * A stand-in for Context7: a real HTTP server on 127.0.0.1 (port 0 by default)
 * answering `POST /api/v2/add/confluence` with queued or default replies, and
 * checking every request against the OpenAPI document (request schema and
 * bearer security). Plain Node plus ajv, so it also runs inside the VS Code
 * extension host and standalone (./context7-stub-cli).
 *
 * Control API for other processes:
 *   POST /__stub/enqueue   body: a StubReply or an array of them
 *   POST /__stub/default   body: a StubReply (the reply when the queue is empty)
 *   GET  /__stub/requests  the recorded requests (Authorization values masked)
 *   POST /__stub/reset     clears queue, default, recorded requests
 *
 * Authorization values are never printed: log lines and the control API mask them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { redact } from '../../src/core/redact';
import { addConfluenceContract, serverBasePath, type OperationContract } from './openapi';

export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (content type text/plain unless `headers` say otherwise). */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Cut the connection: before any response, or after the headers and half the body. */
  drop?: 'before-headers' | 'mid-body';
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or `undefined` when the body is not JSON. */
  body: unknown;
  rawBody: string;
  /** OpenAPI request-schema and security violations; empty when the request is valid. */
  contractErrors: string[];
}

export interface StubOptions {
  port?: number;
  host?: string;
  /** Receives one line per request (Authorization masked). Silent by default. */
  log?: (line: string) => void;
  /** Path to the OpenAPI document (found automatically by default). */
  openapiPath?: string;
}

type DefaultReply = StubReply | ((req: RecordedRequest) => StubReply);

const MAX_BODY_BYTES = 1024 * 1024;

/** The initial default: 200 with a library name derived from the space key. */
export function defaultSuccessReply(req: RecordedRequest): StubReply {
  const body = req.body as { spaceKey?: unknown } | undefined;
  const key = typeof body?.spaceKey === 'string' && body.spaceKey !== '' ? body.spaceKey.toLowerCase() : 'unknown';
  return { status: 200, body: { libraryName: `/confluence/${key}`, message: 'Confluence space submitted successfully' } };
}

/** Masks Authorization-like header values for printing. */
export function maskHeaders(headers: RecordedRequest['headers']): RecordedRequest['headers'] {
  const out: RecordedRequest['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    if (/^(?:authorization|proxy-authorization|cookie|x-api-key)$/i.test(name) && value !== undefined) {
      const mask = (v: string) => {
        const scheme = /^(\w+)\s+/.exec(v)?.[1];
        return scheme ? `${scheme} ***` : '***';
      };
      out[name] = Array.isArray(value) ? value.map(mask) : mask(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

export class Context7Stub {
  readonly url: string;
  readonly apiUrl: string;
  readonly requests: RecordedRequest[] = [];
  /** When a request breaks the contract, answer 400 validation_error instead of the queued reply. */
  enforceContract = true;

  private readonly queue: StubReply[] = [];
  private defaultReply: DefaultReply = defaultSuccessReply;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly waiters = new Set<() => void>();
  private readonly endpointPath: string;

  private constructor(
    private readonly server: http.Server,
    private readonly contract: OperationContract,
    basePath: string,
    private readonly log: (line: string) => void,
  ) {
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${address.port}`;
    this.apiUrl = `${this.url}${basePath}`;
    this.endpointPath = `${basePath}${contract.path}`;
  }

  static async start(opts: StubOptions = {}): Promise<Context7Stub> {
    const contract = addConfluenceContract(opts.openapiPath);
    const basePath = serverBasePath(opts.openapiPath) || '/api';
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const stub = new Context7Stub(server, contract, basePath, opts.log ?? (() => undefined));
    server.on('request', (req, res) => {
      stub.handle(req, res).catch((err: unknown) => {
        stub.log(`stub error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'The Context7 stand-in failed.' });
        else res.destroy();
      });
    });
    return stub;
  }

  /** Replies for the next requests to the endpoint, consumed in order. */
  enqueue(...replies: StubReply[]): void {
    this.queue.push(...replies);
  }

  /** The reply when the queue is empty. */
  setDefault(reply: DefaultReply): void {
    this.defaultReply = reply;
  }

  get pendingReplies(): number {
    return this.queue.length;
  }

  /** Clears queue, recorded requests and default reply; contract enforcement back on. */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.defaultReply = defaultSuccessReply;
    this.enforceContract = true;
  }

  /** Resolves once `count` requests to the endpoint have been recorded. */
  waitForRequests(count: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length >= count) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(this.requests.slice());
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Context7 stand-in: expected ${count} request(s), got ${this.requests.length}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://stub.invalid').pathname;

    if (path.startsWith('/__stub/')) return this.control(method, path, req, res);

    if (path !== this.endpointPath) {
      await readBody(req);
      this.log(`${method} ${path} -> 404`);
      return sendJson(res, 404, { error: 'not_found', message: `The Context7 stand-in has no route ${method} ${path}` });
    }
    if (method !== this.contract.method) {
      await readBody(req);
      this.log(`${method} ${path} -> 405`);
      return sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${this.contract.method} ${path}` }, { Allow: this.contract.method });
    }

    const rawBody = await readBody(req);
    const headers: RecordedRequest['headers'] = { ...req.headers };
    const contractErrors: string[] = [];
    let body: unknown;
    const contentType = String(req.headers['content-type'] ?? '');
    if (!contentType.toLowerCase().includes(this.contract.requestContentType)) {
      contractErrors.push(`Content-Type is ${contentType || 'missing'}, expected ${this.contract.requestContentType}`);
    }
    try {
      body = JSON.parse(rawBody);
      contractErrors.push(...this.contract.validateRequestBody(body));
    } catch {
      body = undefined;
      contractErrors.push('body is not valid JSON');
    }
    contractErrors.push(...this.contract.checkSecurity(headers));

    const recorded: RecordedRequest = { method, path, headers, body, rawBody, contractErrors };
    this.requests.push(recorded);
    for (const waiter of [...this.waiters]) waiter();

    let reply: StubReply;
    if (contractErrors.length > 0 && this.enforceContract) {
      reply = {
        status: 400,
        body: { error: 'validation_error', message: `Request does not match the OpenAPI contract: ${contractErrors.join('; ')}` },
      };
    } else {
      const next = this.queue.shift();
      reply = next ?? (typeof this.defaultReply === 'function' ? this.defaultReply(recorded) : this.defaultReply);
    }
    const auth = maskHeaders({ authorization: headers.authorization }).authorization ?? 'none';
    this.log(
      redact(
        `${method} ${path} (Authorization: ${String(auth)}) -> ${reply.drop ? `drop ${reply.drop}` : reply.status}` +
          (contractErrors.length > 0 ? ` [contract: ${contractErrors.join('; ')}]` : ''),
      ),
    );
    await this.reply(reply, res);
  }

  private async reply(reply: StubReply, res: http.ServerResponse): Promise<void> {
    if (reply.delayMs && reply.delayMs > 0) {
      const waited = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          res.off('close', onClose);
          resolve(true);
        }, reply.delayMs);
        const onClose = () => {
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve(false);
        };
        this.timers.add(timer);
        res.once('close', onClose);
      });
      if (!waited || res.destroyed) return;
    }
    if (reply.drop === 'before-headers') {
      res.socket?.destroy();
      return;
    }

    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    const hasHeader = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    let payload = '';
    if (typeof reply.body === 'string') {
      payload = reply.body;
      if (!hasHeader('content-type')) headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      if (!hasHeader('content-type')) headers['Content-Type'] = 'application/json';
    }
    const bytes = Buffer.from(payload, 'utf8');
    headers['Content-Length'] = String(bytes.length);
    res.writeHead(reply.status, headers);

    if (reply.drop === 'mid-body') {
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      res.write(half, () => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          res.socket?.destroy();
        }, 10);
        this.timers.add(timer);
      });
      return;
    }
    res.end(bytes);
  }

  private async control(method: string, path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    const parse = (): unknown => {
      try {
        return JSON.parse(raw || 'null');
      } catch {
        return undefined;
      }
    };
    switch (route) {
      case 'POST /__stub/enqueue': {
        const value = parse();
        const replies = Array.isArray(value) ? value : [value];
        if (!replies.every(isStubReply)) return sendJson(res, 400, { error: 'bad_stub_reply', message: 'Expected a StubReply ({status, headers?, body?, delayMs?, drop?}) or an array of them.' });
        this.enqueue(...replies);
        return sendJson(res, 200, { queued: this.queue.length });
      }
      case 'POST /__stub/default': {
        const value = parse();
        if (!isStubReply(value)) return sendJson(res, 400, { error: 'bad_stub_reply', message: 'Expected a StubReply.' });
        this.setDefault(value);
        return sendJson(res, 200, { ok: true });
      }
      case 'GET /__stub/requests':
        return sendJson(
          res,
          200,
          this.requests.map((r) => ({ ...r, headers: maskHeaders(r.headers) })),
        );
      case 'POST /__stub/reset':
        this.reset();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: 'not_found', message: `No stub control route ${route}` });
    }
  }
}

function isStubReply(value: unknown): value is StubReply {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<StubReply>;
  return (
    typeof r.status === 'number' &&
    Number.isInteger(r.status) &&
    r.status >= 100 &&
    r.status <= 999 &&
    (r.headers === undefined || (typeof r.headers === 'object' && r.headers !== null)) &&
    (r.delayMs === undefined || typeof r.delayMs === 'number') &&
    (r.drop === undefined || r.drop === 'before-headers' || r.drop === 'mid-body')
  );
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), ...headers });
  res.end(payload);
}
