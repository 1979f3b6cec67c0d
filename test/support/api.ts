import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import supertest from 'supertest';
import { expect } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';

/**
 * The API's contract: every answer an API test receives is checked against the OpenAPI document
 * the service serves (its status is documented for the operation, its content type is the
 * documented one, its body validates against the documented schema with JSON Schema 2020-12, as
 * OpenAPI 3.1 specifies). A drift between the code and the document fails the test that saw it.
 */

type Doc = ReturnType<typeof openApiDocument>;
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
let documentAdded = false;
const validators = new Map<string, ValidateFunction>();

/** The schema validator of a reference into the document (compiled once). */
function validatorFor(schema: unknown): ValidateFunction {
  if (!documentAdded) {
    ajv.addSchema({ $id: 'owabi-api', components: openApiDocument().components }, 'owabi-api');
    documentAdded = true;
  }
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    // The document's references are local (#/components/...): resolve them in the added document.
    const rebased = JSON.parse(key.replaceAll('"#/components/', '"owabi-api#/components/')) as object;
    v = ajv.compile(rebased);
    validators.set(key, v);
  }
  return v;
}

function operationOf(doc: Doc, method: string, url: string): { template: string; op: Operation } | undefined {
  const path = url.replace(/^\/api\/v1/, '').split('?')[0]!;
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = (item as Record<string, Operation | undefined>)[method.toLowerCase()];
    if (re.test(path) && op) return { template, op };
  }
  return undefined;
}

export interface ContractAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** The reasons this answer breaks the document (empty: it keeps it). */
export function contractViolations(method: string, url: string, res: ContractAnswer): string[] {
  const found = operationOf(openApiDocument(), method, url);
  // A path the API does not have still answers with a problem.
  if (!found && res.status === 404) return problemViolations(res);
  if (!found) return [`${method} ${url}: no such operation in the document`];
  const response = found.op.responses?.[String(res.status)];
  if (!response) return [`${method} ${found.template}: status ${res.status} is not documented`];
  const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!response.content)
    return type && res.status !== 204 ? [`${res.status}: a body where none is documented`] : [];
  const media = response.content[type];
  if (!media)
    return [`${method} ${found.template} ${res.status}: content type ${type || '(none)'} is not documented`];
  const validate = validatorFor(media.schema);
  return validate(res.body)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

function problemViolations(res: ContractAnswer): string[] {
  const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type !== 'application/problem+json') return [`${res.status}: ${type} instead of a problem`];
  const validate = validatorFor({ $ref: '#/components/schemas/Problem' });
  return validate(res.body)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export interface Call {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  lang?: string;
}

/** An API client of the app whose every answer must keep the contract. */
export class ApiClient {
  constructor(private readonly app: Express) {}

  async send(method: 'get' | 'post' | 'delete', url: string, call: Call = {}) {
    let req = supertest(this.app)[method](url);
    if (call.token) req = req.set('Authorization', `Bearer ${call.token}`);
    if (call.lang) req = req.set('Accept-Language', call.lang);
    for (const [k, v] of Object.entries(call.headers ?? {})) req = req.set(k, v);
    const res = call.body === undefined ? await req : await req.send(call.body as object);
    const body = /json/.test(res.headers['content-type'] ?? '')
      ? (JSON.parse(res.text || 'null') as unknown)
      : undefined;
    expect(
      contractViolations(method, url, { status: res.status, headers: res.headers, body }),
      `${method} ${url}`,
    ).toEqual([]);
    return Object.assign(res, { json: body as any }); // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  get = (url: string, call?: Call) => this.send('get', url, call);
  post = (url: string, call?: Call) => this.send('post', url, call);
  delete = (url: string, call?: Call) => this.send('delete', url, call);
}
