import fp from 'fastify-plugin';
import type { AppConfig } from '../config.ts';
import {
  activationPolicy,
  LoginThrottle,
  passwordResetPolicy,
  signInPolicy,
} from '../services/login-throttle.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The throttles of the doors into Liaison, counting in PostgreSQL (server/services/login-throttle.ts). */
    throttles: {
      signIn: LoginThrottle;
      activation: LoginThrottle;
      passwordReset: LoginThrottle;
    };
  }
}

/**
 * Makes the sign-in, activation and password-reset throttles available as `app.throttles`. Their
 * state is in the database, so every instance on it counts together; `now` is their clock (tests
 * move it instead of sleeping).
 */
export default fp<{ config: AppConfig; now?: (() => Date) | undefined }>(
  async function throttlePlugin(app, { config, now }) {
    app.decorate('throttles', {
      signIn: new LoginThrottle(app.db, signInPolicy(config), now),
      activation: new LoginThrottle(app.db, activationPolicy(config), now),
      passwordReset: new LoginThrottle(app.db, passwordResetPolicy(), now),
    });
  },
  { name: 'throttle', dependencies: ['db'] },
);
