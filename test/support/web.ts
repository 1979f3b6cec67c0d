import type { Express } from 'express';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

/** Pulls the CSRF token out of a rendered form, as a browser would submit it. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

/** A customer's browser: keeps cookies, fetches each form before posting it. */
export class CustomerBrowser {
  readonly agent: TestAgent;
  constructor(
    app: Express,
    readonly slug: string,
  ) {
    this.agent = supertest.agent(app);
  }

  async token(path: string): Promise<string> {
    const res = await this.agent.get(path);
    return csrfFrom(res.text);
  }

  async login(registrationCode: string, loginKey: string) {
    const _csrf = await this.token(`/c/${this.slug}/login`);
    return this.agent.post(`/c/${this.slug}/login`).type('form').send({ _csrf, registrationCode, loginKey });
  }

  async confirm(form: Record<string, string>) {
    const _csrf = await this.token(`/c/${this.slug}/my`);
    return this.agent
      .post(`/c/${this.slug}/my/confirm`)
      .type('form')
      .send({ _csrf, ...form });
  }

  async complete(form: Record<string, string>, csrf?: string) {
    const _csrf = csrf ?? (await this.token(`/c/${this.slug}/my`));
    return this.agent
      .post(`/c/${this.slug}/my/complete`)
      .type('form')
      .send({ _csrf, action: 'complete', ...form });
  }

  my() {
    return this.agent.get(`/c/${this.slug}/my`);
  }
}
