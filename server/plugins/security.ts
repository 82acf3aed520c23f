import fastifyHelmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** Security headers on every answer; the single-page fallback adds its script hashes itself. */
export default fp(
  async function securityPlugin(app) {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      // As `frame-ancestors 'none'` says, for browsers that only read X-Frame-Options.
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'security' },
);
