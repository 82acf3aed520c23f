import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestUser } from '../factories/users.ts';
import { injectAs, login } from './app.ts';

/**
 * Signs a user made by the factories in through the real login route and returns the session
 * token (fastify/demo's `injectWithLogin`, with rows the test made instead of a seeded story).
 */
export function signedInAs(
  app: FastifyInstance,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<string> {
  return login(app, user.email, user.password);
}

type Options = Omit<InjectOptions, 'method' | 'url' | 'payload'>;

/** Requests as one signed-in user: `await as(app, token).get('/api/me')`. */
export interface SignedInClient {
  token: string;
  get(url: string, options?: Options): Promise<LightMyRequestResponse>;
  delete(url: string, options?: Options): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, options?: Options): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown, options?: Options): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown, options?: Options): Promise<LightMyRequestResponse>;
}

/** A {@link SignedInClient} for a token. */
export function as(app: FastifyInstance, token: string): SignedInClient {
  const send =
    (method: 'POST' | 'PATCH' | 'PUT') =>
    (url: string, payload?: unknown, options: Options = {}) =>
      injectAs(app, token, { ...options, method, url, payload: payload as InjectOptions['payload'] });
  return {
    token,
    get: (url, options = {}) => injectAs(app, token, { ...options, method: 'GET', url }),
    delete: (url, options = {}) => injectAs(app, token, { ...options, method: 'DELETE', url }),
    post: send('POST'),
    patch: send('PATCH'),
    put: send('PUT'),
  };
}
