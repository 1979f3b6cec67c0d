import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { openApiDocument } from '../src/api/openapi.js';
import supertest from 'supertest';
import { contractViolations } from './support/api.js';
import { useTestDeps } from './support/context.js';

const deps = useTestDeps();
const app = createApp(deps);

const problem = {
  type: '/api/v1/problems/unauthenticated',
  title: 't',
  status: 401,
  detail: 'd',
  code: 'unauthenticated',
};
const answer = (status: number, body: unknown, type = 'application/json') => ({
  status,
  headers: { 'content-type': `${type}; charset=utf-8` },
  body,
});
const session = { token: 'eyJ', tokenType: 'Bearer', expiresAt: '2026-11-30T01:02:03.000Z' };

describe('the OpenAPI document and the contract check every API test runs', () => {
  it('when the document is fetched, then it is the OpenAPI 3.1 document generated from the zod schemas, and every schema compiles as JSON Schema 2020-12', async () => {
    const res = await supertest(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text) as ReturnType<typeof openApiDocument>;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining(['/campaigns/{slug}/session', '/me', '/me/redemption', '/ops/suppression']),
    );
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      expect(
        () => ajv.compile({ $id: name, ...(schema as object), components: doc.components }),
        name,
      ).not.toThrow();
  });

  it('when an answer keeps the document, then no violation; when it drifts (a field more, a wrong type, an undocumented status or content type), then the check says so', () => {
    expect(contractViolations('post', '/api/v1/campaigns/x/session', answer(201, session))).toEqual([]);
    expect(contractViolations('get', '/api/v1/me', answer(401, problem, 'application/problem+json'))).toEqual(
      [],
    );
    expect(
      contractViolations('post', '/api/v1/campaigns/x/session', answer(201, { ...session, extra: 1 })),
    ).not.toEqual([]);
    expect(
      contractViolations(
        'post',
        '/api/v1/campaigns/x/session',
        answer(201, { ...session, expiresAt: 'soon' }),
      ),
    ).not.toEqual([]);
    expect(contractViolations('post', '/api/v1/campaigns/x/session', answer(418, session))).not.toEqual([]);
    expect(contractViolations('get', '/api/v1/me', answer(401, problem))).not.toEqual([]);
    expect(contractViolations('get', '/api/v1/nowhere', answer(200, {}))).not.toEqual([]);
    expect(contractViolations('get', '/api/v1/me', answer(200, { ...problem }))).not.toEqual([]);
  });
});
