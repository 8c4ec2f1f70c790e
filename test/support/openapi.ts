/**
 * The Context7 OpenAPI document (test/fixtures/openapi.json), loaded at run time
 * so tests follow the document instead of a hand-copied schema.
 *
 * Exposes, for `POST /v2/add/confluence`: the request body schema and an ajv
 * validator for it, the security requirement, and every documented response
 * example (for table-driven tests). Works from the compiled location
 * (out/test/support) and from inside the VS Code extension host; set
 * `C7_OPENAPI_PATH` to use another copy of the document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const FIXTURE = path.join('test', 'fixtures', 'openapi.json');

/** Finds test/fixtures/openapi.json by walking up from `start` (the compiled file's folder by default). */
export function findOpenApiPath(start: string = __dirname): string {
  const fromEnv = process.env.C7_OPENAPI_PATH;
  if (fromEnv && fs.existsSync(fromEnv)) return path.resolve(fromEnv);
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, FIXTURE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`Cannot find ${FIXTURE} above ${start} (set C7_OPENAPI_PATH to its location).`);
}

const docs = new Map<string, JsonObject>();

export function loadOpenApi(file: string = findOpenApiPath()): JsonObject {
  let doc = docs.get(file);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
    docs.set(file, doc);
  }
  return doc;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local JSON pointer such as `#/components/schemas/Error`. */
export function pointer(doc: JsonObject, ref: string): Json {
  if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported: ${ref}`);
  let node: Json = doc;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = node[key];
  }
  return node;
}

/** A deep copy of `node` with every local `$ref` replaced by its target (cycles are left as `$ref`). */
export function resolveRefs(node: Json, doc: JsonObject, stack: readonly string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => resolveRefs(item, doc, stack));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (stack.includes(ref)) return node;
    return resolveRefs(pointer(doc, ref), doc, [...stack, ref]);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = resolveRefs(value, doc, stack);
  return out;
}

/**
 * Turns an OpenAPI 3.0 schema object into JSON Schema for ajv: `nullable` becomes
 * a `null` type, boolean `exclusiveMinimum/Maximum` become numbers, and
 * OpenAPI-only annotations (`example`, `xml`, `discriminator`, `externalDocs`) are dropped.
 */
export function toJsonSchema(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'example':
      case 'xml':
      case 'discriminator':
      case 'externalDocs':
      case 'nullable':
        break;
      case 'properties':
      case 'patternProperties':
        out[key] = isObject(value)
          ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]))
          : value;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = Array.isArray(value) ? value.map(toJsonSchema) : value;
        break;
      case 'items':
      case 'additionalProperties':
      case 'not':
        out[key] = toJsonSchema(value);
        break;
      default:
        out[key] = value;
    }
  }
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const flag = out[`exclusive${bound}`];
    if (typeof flag === 'boolean') {
      const limit = out[bound.toLowerCase()];
      delete out[`exclusive${bound}`];
      if (flag && typeof limit === 'number') {
        out[`exclusive${bound}`] = limit;
        delete out[bound.toLowerCase()];
      }
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export interface SecurityScheme {
  name: string;
  type: string;
  scheme?: string;
  in?: string;
  /** Header name, for apiKey schemes. */
  headerName?: string;
}

/** Alternatives (any one suffices), each a set of schemes (all required). */
export type SecurityRequirement = SecurityScheme[];

export interface ResponseExample {
  status: number;
  /** Key in `examples`, or `example` for a single example. */
  name: string;
  summary?: string;
  /** The response's description. */
  description: string;
  contentType: string;
  /** Header values given as examples in the document (none for Context7's 429 today). */
  headers: Record<string, string>;
  /** The headers the document declares for this response. */
  headerDefinitions: Record<string, { description?: string; schema?: Json }>;
  body: Json;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface OperationContract {
  method: string;
  path: string;
  requestContentType: string;
  /** The request body schema as JSON Schema ($refs resolved). */
  requestSchema: JsonObject;
  requestRequired: boolean;
  /** The document's request example, if any. */
  requestExample?: Json;
  validateRequestBody(body: unknown): string[];
  security: SecurityRequirement[];
  /** Errors when none of the security alternatives is satisfied by the request headers. */
  checkSecurity(headers: RequestHeaders): string[];
  documentedStatuses: number[];
  responseExamples: ResponseExample[];
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(', ') : value;
}

function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath === '' ? 'body' : `body${e.instancePath.replace(/\//g, '.')}`;
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
    return `${at} ${e.message ?? e.keyword}${extra}`;
  });
}

function firstExample(node: JsonObject): Json | undefined {
  if ('example' in node) return node.example;
  if (isObject(node.examples)) {
    const first = Object.values(node.examples)[0];
    if (isObject(first) && 'value' in first) return first.value;
  }
  if (isObject(node.schema) && 'example' in node.schema) return node.schema.example;
  return undefined;
}

const contracts = new Map<string, OperationContract>();

/** The contract of one operation of the document, e.g. `operationContract('post', '/v2/add/confluence')`. */
export function operationContract(method: string, pathKey: string, file?: string): OperationContract {
  const doc = loadOpenApi(file);
  const cacheKey = `${file ?? ''}|${method}|${pathKey}`;
  const cached = contracts.get(cacheKey);
  if (cached) return cached;

  const paths = doc.paths;
  const item = isObject(paths) ? paths[pathKey] : undefined;
  const op = isObject(item) ? resolveRefs(item[method.toLowerCase()] ?? null, doc) : null;
  if (!isObject(op)) throw new Error(`The OpenAPI document has no ${method.toUpperCase()} ${pathKey}`);

  // Request body.
  const requestBody = isObject(op.requestBody) ? op.requestBody : {};
  const content = isObject(requestBody.content) ? requestBody.content : {};
  const requestContentType = Object.keys(content).find((t) => /json/i.test(t)) ?? 'application/json';
  const media = isObject(content[requestContentType]) ? (content[requestContentType] as JsonObject) : {};
  const requestSchema = toJsonSchema(isObject(media.schema) ? media.schema : {}) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate: ValidateFunction = ajv.compile(requestSchema);

  // Security: the operation's own, else the document's.
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const rawSecurity = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  const security: SecurityRequirement[] = rawSecurity.filter(isObject).map((requirement) =>
    Object.keys(requirement).map((name) => {
      const scheme = resolveRefs(schemes[name] ?? null, doc);
      if (!isObject(scheme)) throw new Error(`Unknown security scheme ${name}`);
      return {
        name,
        type: String(scheme.type),
        ...(typeof scheme.scheme === 'string' ? { scheme: scheme.scheme.toLowerCase() } : {}),
        ...(typeof scheme.in === 'string' ? { in: scheme.in } : {}),
        ...(typeof scheme.name === 'string' ? { headerName: scheme.name } : {}),
      };
    }),
  );

  const checkScheme = (scheme: SecurityScheme, headers: RequestHeaders): string | undefined => {
    if (scheme.type === 'http') {
      const auth = header(headers, 'authorization');
      const wanted = scheme.scheme === 'basic' ? 'Basic' : 'Bearer';
      if (auth === undefined) return `missing Authorization header (${scheme.name}: ${wanted})`;
      if (!new RegExp(`^${wanted} +\\S+$`, 'i').test(auth)) return `Authorization header is not "${wanted} <credentials>" (${scheme.name})`;
      return undefined;
    }
    if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.headerName) {
      return header(headers, scheme.headerName) ? undefined : `missing ${scheme.headerName} header (${scheme.name})`;
    }
    return undefined; // other scheme types are not checked
  };

  // Responses.
  const responses = isObject(op.responses) ? op.responses : {};
  const documentedStatuses = Object.keys(responses)
    .filter((s) => /^\d{3}$/.test(s))
    .map(Number)
    .sort((a, b) => a - b);
  const responseExamples: ResponseExample[] = [];
  for (const status of documentedStatuses) {
    const response = responses[String(status)];
    if (!isObject(response)) continue;
    const description = typeof response.description === 'string' ? response.description : '';
    const headerDefinitions: ResponseExample['headerDefinitions'] = {};
    const headers: Record<string, string> = {};
    if (isObject(response.headers)) {
      for (const [name, def] of Object.entries(response.headers)) {
        if (!isObject(def)) continue;
        headerDefinitions[name] = {
          ...(typeof def.description === 'string' ? { description: def.description } : {}),
          ...(def.schema !== undefined ? { schema: def.schema } : {}),
        };
        const value = firstExample(def);
        if (value !== undefined && value !== null) headers[name] = String(value);
      }
    }
    const responseContent = isObject(response.content) ? response.content : {};
    for (const [contentType, mediaNode] of Object.entries(responseContent)) {
      if (!isObject(mediaNode)) continue;
      const base = { status, description, contentType, headers, headerDefinitions };
      if ('example' in mediaNode) responseExamples.push({ ...base, name: 'example', body: mediaNode.example });
      if (isObject(mediaNode.examples)) {
        for (const [name, ex] of Object.entries(mediaNode.examples)) {
          if (!isObject(ex) || !('value' in ex)) continue;
          responseExamples.push({
            ...base,
            name,
            ...(typeof ex.summary === 'string' ? { summary: ex.summary } : {}),
            body: ex.value,
          });
        }
      }
    }
  }

  const contract: OperationContract = {
    method: method.toUpperCase(),
    path: pathKey,
    requestContentType,
    requestSchema,
    requestRequired: requestBody.required === true,
    ...(firstExample(media) !== undefined ? { requestExample: firstExample(media) } : {}),
    validateRequestBody(body: unknown): string[] {
      return validate(body) ? [] : formatAjvErrors(validate.errors);
    },
    security,
    checkSecurity(headers: RequestHeaders): string[] {
      if (security.length === 0) return [];
      const problems: string[] = [];
      for (const requirement of security) {
        const failures = requirement.map((s) => checkScheme(s, headers)).filter((p): p is string => p !== undefined);
        if (failures.length === 0) return [];
        problems.push(...failures);
      }
      return problems;
    },
    documentedStatuses,
    responseExamples,
  };
  contracts.set(cacheKey, contract);
  return contract;
}

export const ADD_CONFLUENCE_PATH = '/v2/add/confluence';

/** The contract of `POST /v2/add/confluence`. */
export function addConfluenceContract(file?: string): OperationContract {
  return operationContract('post', ADD_CONFLUENCE_PATH, file);
}

/** The API's base path from `servers[0].url` (`/api` for https://context7.com/api). */
export function serverBasePath(file?: string): string {
  const servers = loadOpenApi(file).servers;
  const first = Array.isArray(servers) && isObject(servers[0]) ? servers[0].url : undefined;
  if (typeof first !== 'string') return '';
  try {
    return new URL(first).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}
