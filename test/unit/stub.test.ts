import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Context7Stub, maskHeaders, type RecordedRequest } from '../support/context7-stub';
import { addConfluenceContract, findOpenApiPath, resolveRefs, toJsonSchema, loadOpenApi } from '../support/openapi';

const KEY = 'ctx7sk-stub-test-0011223344';
const VALID_BODY = {
  cloudId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  siteUrl: 'https://acme.atlassian.net',
  spaceKey: 'ENG',
  spaceName: 'Engineering',
  title: 'Eng',
  description: 'Engineering docs',
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

describe('OpenAPI support', () => {
  it('finds the fixture from the compiled location', () => {
    assert.match(findOpenApiPath(), /test[\\/]fixtures[\\/]openapi\.json$/);
  });

  it('exposes the request schema, bearer security and every response example of POST /v2/add/confluence', () => {
    const contract = addConfluenceContract();
    assert.deepEqual(contract.requestSchema.required, ['cloudId', 'siteUrl', 'spaceKey', 'spaceName', 'title', 'description']);
    assert.deepEqual(contract.security, [[{ name: 'bearerAuth', type: 'http', scheme: 'bearer' }]]);
    assert.equal(contract.responseExamples.length, 11);
    assert.ok(contract.responseExamples.every((e) => typeof e.body === 'object' && e.body !== null));
    assert.deepEqual(contract.checkSecurity({ authorization: 'Bearer x' }), []);
    assert.equal(contract.checkSecurity({}).length, 1);
    assert.equal(contract.checkSecurity({ Authorization: 'Basic abc' }).length, 1);
    assert.equal(contract.validateRequestBody({ ...VALID_BODY, pageIds: [1] }).length, 1);
  });

  it('resolves $refs and converts OpenAPI-only keywords', () => {
    const doc = loadOpenApi();
    const resolved = resolveRefs({ $ref: '#/components/responses/UnauthorizedError' }, doc) as Record<string, unknown>;
    assert.equal(JSON.stringify(resolved).includes('$ref'), false);
    assert.deepEqual(toJsonSchema({ type: 'string', nullable: true, example: 'x' }), { type: ['string', 'null'] });
    assert.deepEqual(toJsonSchema({ type: 'number', minimum: 1, exclusiveMinimum: true }), { type: 'number', exclusiveMinimum: 1 });
    assert.deepEqual(toJsonSchema({ type: 'object', properties: { example: { type: 'string', example: 'e' } } }), {
      type: 'object',
      properties: { example: { type: 'string' } },
    });
  });
});

describe('Context7Stub', () => {
  let stub: Context7Stub;
  const lines: string[] = [];
  const endpoint = () => `${stub.apiUrl}/v2/add/confluence`;

  before(async () => {
    stub = await Context7Stub.start({ log: (line) => lines.push(line) });
  });
  after(async () => {
    await stub.close();
  });
  afterEach(() => stub.reset());

  it('listens on 127.0.0.1 with an /api base path', () => {
    assert.match(stub.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(stub.apiUrl, `${stub.url}/api`);
  });

  it('answers the default 200 from the space key and records the request', async () => {
    const res = await post(endpoint(), VALID_BODY);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { libraryName: '/confluence/eng', message: 'Confluence space submitted successfully' });
    assert.equal(stub.requests.length, 1);
    const [req] = stub.requests;
    assert.equal(req.path, '/api/v2/add/confluence');
    assert.deepEqual(req.body, VALID_BODY);
    assert.deepEqual(req.contractErrors, []);
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  });

  it('replies from the queue in order, then from the default (object or function)', async () => {
    stub.enqueue({ status: 429, headers: { 'Retry-After': '7' }, body: { error: 'rate_limit_exceeded', message: 'x' } }, { status: 418, body: 'teapot' });
    stub.setDefault((req: RecordedRequest) => ({ status: 201, body: { echoed: (req.body as { title: string }).title } }));
    const first = await fetch(endpoint(), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' }, body: JSON.stringify(VALID_BODY) });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');
    await first.text();
    const second = await post(endpoint(), VALID_BODY);
    assert.equal(second.status, 418);
    assert.equal(second.text, 'teapot');
    const third = await post(endpoint(), VALID_BODY);
    assert.deepEqual([third.status, third.json], [201, { echoed: 'Eng' }]);
  });

  it('answers 400 validation_error for a request that breaks the contract, and records why', async () => {
    stub.enqueue({ status: 200, body: { libraryName: '/x/y', message: 'not used' } });
    const res = await post(endpoint(), { siteUrl: 5 }, { Authorization: '' });
    assert.equal(res.status, 400);
    assert.equal((res.json as { error: string }).error, 'validation_error');
    const errors = stub.requests[0].contractErrors;
    assert.ok(errors.some((e) => /cloudId/.test(e)));
    assert.ok(errors.some((e) => /siteUrl.*string/.test(e)));
    assert.ok(errors.some((e) => /Authorization/.test(e)));
    assert.equal(stub.pendingReplies, 1, 'the queued reply is kept for a valid request');
  });

  it('flags non-JSON bodies and wrong content types', async () => {
    const res = await post(endpoint(), 'not json', { 'Content-Type': 'text/plain' });
    assert.equal(res.status, 400);
    assert.ok(stub.requests[0].contractErrors.some((e) => /Content-Type/.test(e)));
    assert.ok(stub.requests[0].contractErrors.some((e) => /not valid JSON/.test(e)));
  });

  it('answers 404 JSON for unknown paths and 405 for other methods', async () => {
    const notFound = await fetch(`${stub.url}/api/v2/nothing`);
    assert.equal(notFound.status, 404);
    assert.equal(((await notFound.json()) as { error: string }).error, 'not_found');
    const wrongMethod = await fetch(endpoint());
    assert.equal(wrongMethod.status, 405);
    await wrongMethod.text();
    assert.equal(stub.requests.length, 0);
  });

  it('has an HTTP control API for other processes, which masks Authorization', async () => {
    const queued = await post(`${stub.url}/__stub/enqueue`, [{ status: 409, body: { error: 'duplicate_repo', message: 'dup' } }, { status: 500 }]);
    assert.deepEqual(queued.json, { queued: 2 });
    assert.equal((await post(endpoint(), VALID_BODY)).status, 409);
    const listed = (await (await fetch(`${stub.url}/__stub/requests`)).json()) as RecordedRequest[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0].headers.authorization, 'Bearer ***');
    assert.equal((await post(`${stub.url}/__stub/enqueue`, { nope: true })).status, 400);
    assert.equal((await post(`${stub.url}/__stub/default`, { status: 202, body: { libraryName: '/d/d', message: 'd' } })).status, 200);
    assert.equal((await post(`${stub.url}/__stub/reset`, {})).status, 200);
    assert.equal(stub.requests.length, 0);
    assert.equal(stub.pendingReplies, 0);
    assert.equal((await post(endpoint(), VALID_BODY)).status, 200, 'reset restores the initial default');
  });

  it('never prints Authorization values', async () => {
    await post(endpoint(), VALID_BODY);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(KEY), line);
    assert.deepEqual(maskHeaders({ authorization: 'Bearer abc', Cookie: 'a=b', accept: 'x' }), { authorization: 'Bearer ***', Cookie: '***', accept: 'x' });
  });

  it('can delay, and drop the connection before headers or mid-body', async () => {
    stub.enqueue({ status: 200, delayMs: 150, body: { libraryName: '/a/b', message: 'm' } });
    const started = Date.now();
    assert.equal((await post(endpoint(), VALID_BODY)).status, 200);
    assert.ok(Date.now() - started >= 140);

    stub.enqueue({ status: 200, drop: 'before-headers' });
    await assert.rejects(post(endpoint(), VALID_BODY), /fetch failed/);

    stub.enqueue({ status: 200, drop: 'mid-body', body: { libraryName: '/a/b', message: 'a long enough message' } });
    const res = await fetch(endpoint(), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' }, body: JSON.stringify(VALID_BODY) });
    assert.equal(res.status, 200);
    await assert.rejects(res.text(), /terminated/);
  });

  it('waits for requests', async () => {
    const waiting = stub.waitForRequests(2, 2000);
    await post(endpoint(), VALID_BODY);
    await post(endpoint(), VALID_BODY);
    assert.equal((await waiting).length, 2);
    await assert.rejects(stub.waitForRequests(5, 50), /expected 5 request/);
  });

  it('closes with a reply still delayed', async () => {
    const other = await Context7Stub.start();
    other.enqueue({ status: 200, delayMs: 60_000 });
    const pending = post(`${other.apiUrl}/v2/add/confluence`, VALID_BODY).catch((e: unknown) => e);
    await other.waitForRequests(1);
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 2000);
    assert.ok((await pending) instanceof Error);
  });

  it('runs standalone and prints its address', async function () {
    this.timeout(8000);
    const cli = path.resolve(__dirname, '../support/context7-stub-cli.js');
    const child = spawn(process.execPath, [cli], { env: { ...process.env, C7_STUB_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Context7 stand-in listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const res = await post(`${url}/api/v2/add/confluence`, VALID_BODY);
      assert.equal(res.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
