import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcceptInvitationSchema,
  ActivateSchema,
  ChangePasswordSchema,
  CreateInvitationSchema,
  DeviceListSchema,
  DeviceParamsSchema,
  InvitationDetailsSchema,
  InvitationSchema,
  LinkTokenParamsSchema,
  PasswordResetRequestSchema,
  PasswordResetSchema,
  SignedInSchema,
} from '../../domain/schemas/accounts.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import type { AppConfig } from '../config.ts';
import { publicUrlOf } from '../mail/links.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { activateAccount } from '../services/access-letters.ts';
import { acceptInvitation, invitationDetails, inviteFromDirectory } from '../services/invitations.ts';
import {
  changePassword,
  listDevices,
  requestPasswordReset,
  resetPassword,
  signOutDevice,
  signOutEverywhere,
} from '../services/passwords.ts';
import { answerWithSession } from './session-answer.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * How people get in and keep their access (DESIGN.md, "Accounts"): activating an access letter,
 * accepting an invitation, changing and resetting a password, signed-in devices.
 */
const accountRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  const urls = publicUrlOf(config);
  const mail = { mailer: app.mailer, urls };
  const session = (userAgent: string | undefined) => ({
    userAgent: userAgent ?? null,
    ttlSeconds: config.SESSION_TTL_SECONDS,
  });

  app.post(
    '/activate',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Activate an account with the sign-in name and code of an access letter, choosing a password',
        body: ActivateSchema,
        response: { 200: SignedInSchema, 400: ProblemSchema, 422: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const opened = await activateAccount(app.db, app.throttles.activation, {
        ...request.body,
        address: request.ip,
        ...session(request.headers['user-agent']),
      });
      return { ...(await answerWithSession(reply, config, opened)), planId: opened.planId };
    },
  );

  app.post(
    '/invitations',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Invite a professional of a directory organisation by e-mail (outside any plan)',
        body: CreateInvitationSchema,
        response: { 201: InvitationSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return inviteFromDirectory(request.context, request.body, mail);
    },
  );

  app.get(
    '/invitations/:token',
    {
      schema: {
        tags: ['accounts'],
        summary: 'What an invitation link is for, before accepting it (never anything about a client)',
        params: LinkTokenParamsSchema,
        response: { 200: InvitationDetailsSchema, 400: ProblemSchema },
      },
    },
    async (request) => invitationDetails(app.db, request.params.token),
  );

  app.post(
    '/invitations/:token/accept',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Accept an invitation: create the account and sign in',
        params: LinkTokenParamsSchema,
        body: AcceptInvitationSchema,
        response: { 200: SignedInSchema, 400: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const opened = await acceptInvitation(
        app.db,
        request.params.token,
        request.body,
        session(request.headers['user-agent']),
      );
      return { ...(await answerWithSession(reply, config, opened)), planId: opened.planId };
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your password (your other devices are signed out)',
        body: ChangePasswordSchema,
        response: { 204: z.null(), 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await changePassword(request.context, request.body, request.sessionId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password-reset',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for a password reset link by e-mail (the same answer whether the address has an account or not)',
        body: PasswordResetRequestSchema,
        response: { 202: z.null(), 400: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(
        app.db,
        app.throttles.passwordReset,
        { email: request.body.email, address: request.ip },
        mail,
        (error) => request.log.error({ err: error }, 'the password reset e-mail could not be sent'),
      );
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/password-reset/:token',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Choose a new password with a reset link; every session of the account ends',
        params: LinkTokenParamsSchema,
        body: PasswordResetSchema,
        response: { 204: z.null(), 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      await resetPassword(app.db, request.params.token, request.body.password);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Where you are signed in',
        response: { 200: DeviceListSchema, 401: ProblemSchema },
      },
    },
    async (request) => listDevices(request.context, request.sessionId),
  );

  app.delete(
    '/me/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out everywhere, this device included',
        response: { 204: z.null(), 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      await signOutEverywhere(request.context);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/me/sessions/:sessionId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign one of your devices out',
        params: DeviceParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await signOutDevice(request.context, request.params.sessionId);
      return reply.code(204).send(null);
    },
  );
};

export default accountRoutes;
