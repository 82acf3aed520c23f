import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Runs `build` and returns every route the Fastify instances it creates register: an onRoute hook
 * is added the moment an instance is created (Fastify's `fastify.initialization` diagnostics
 * channel), before any route. Tests use it so that a new route that is not covered fails them.
 */
export async function collectRoutes<T>(
  build: () => Promise<T>,
): Promise<{ result: T; routes: RegisteredRoute[] }> {
  const routes: RegisteredRoute[] = [];
  const onInitialization = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
    });
  };
  subscribe('fastify.initialization', onInitialization);
  try {
    return { result: await build(), routes };
  } finally {
    unsubscribe('fastify.initialization', onInitialization);
  }
}
