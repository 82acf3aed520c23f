import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config.ts';

/** Pino's options, as Fastify takes them. */
type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Where log lines go: one JSON document per `write`. */
export interface LogStream {
  write(line: string): void;
}

const REDACTED = '[redacted]';

/**
 * Path segments that are secrets: the one-time tokens of e-mailed links and session ids (a
 * device's id is its session's). What follows them in a URL is never logged.
 */
const SECRET_SEGMENT = /(\/(?:invitations|password-reset|sessions)\/)[^/?#]+/gi;

/** Query parameters whose values may be logged; every other value (search words: names) is not. */
const PLAIN_QUERY_KEYS = new Set(['limit', 'cursor', 'phase', 'sector', 'language', 'memberId']);

/** A request URL as it may be logged: no link token, no session id, no search words. */
function loggableUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt < 0 ? url : url.slice(0, queryAt)).replace(SECRET_SEGMENT, `$1${REDACTED}`);
  if (queryAt < 0) return path;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals < 0 ? pair : pair.slice(0, equals);
      return equals < 0 || PLAIN_QUERY_KEYS.has(key) ? pair : `${key}=${REDACTED}`;
    });
  return `${path}?${query.join('&')}`;
}

/** A JSON web token (header.payload.signature, base64url); ours start with `eyJ`. */
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/**
 * Text of a log message or an error message as it may be logged: drizzle appends a failed
 * statement's parameters (`\nparams: …`), PostgreSQL quotes the offending value at the end of
 * some messages (`invalid input syntax for type uuid: "…"`); URLs carry link tokens.
 */
function redactText(text: string, fromDatabase = false): string {
  let result = text
    .replace(/\nparams: [\s\S]*$/, '')
    .replace(JWT, REDACTED)
    .replace(SECRET_SEGMENT, `$1${REDACTED}`);
  if (fromDatabase) result = result.replace(/: ".*"$/s, `: "${REDACTED}"`);
  return result;
}

/** The PostgreSQL error code (SQLSTATE) of a failed statement; drizzle keeps the driver's error as `cause`. */
function sqlStateOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (
    let e: unknown = error;
    e && typeof e === 'object' && !seen.has(e);
    e = (e as { cause?: unknown }).cause
  ) {
    seen.add(e);
    const code = (e as { code?: unknown; sqlState?: unknown }).sqlState ?? (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** What is logged of an error. */
interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

/**
 * An error as it may be logged, whatever carries it: its kind, its message without parameters or
 * quoted values, its codes and its stack frames. Everything else an error may hold is left out:
 * postgres.js errors carry the statement's `parameters` (plan content, session ids) and the
 * database's `detail` (the values of a violated key), Node's parser errors the raw request bytes
 * (`rawPacket`: cookies), mail errors the SMTP exchange.
 */
function serializeError(error: unknown): LoggedError {
  if (!error || typeof error !== 'object') return { type: typeof error, message: '', stack: '' };
  const e = error as Record<string, unknown>;
  const sqlState = sqlStateOf(error);
  const name = typeof e.type === 'string' ? e.type : typeof e.name === 'string' ? e.name : 'Error';
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const result: LoggedError = {
    type: name,
    message: typeof e.message === 'string' ? redactText(e.message, sqlState !== undefined) : '',
    stack: stack
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n'),
  };
  if (sqlState) result.sqlState = sqlState;
  if (typeof e.code === 'string' || typeof e.code === 'number') result.code = e.code;
  if (typeof e.statusCode === 'number') result.statusCode = e.statusCode;
  const cause = e.cause;
  if (cause && cause !== error && typeof cause === 'object') {
    const { type, message, code } = serializeError(cause);
    result.cause = { type, message, ...(code === undefined ? {} : { code }) };
  }
  return result;
}

/** The request as logged: method, URL without secrets, and who sent it. Never headers nor body. */
function serializeRequest(request: FastifyRequest | { method?: string; url?: string }) {
  const fastifyRequest = request as Partial<FastifyRequest>;
  return {
    method: request.method,
    url: typeof request.url === 'string' ? loggableUrl(request.url) : undefined,
    remoteAddress: fastifyRequest.ip,
  };
}

/** The answer as logged: its status only. Never headers (Set-Cookie) nor body. */
function serializeReply(reply: { statusCode: number }) {
  return { statusCode: reply.statusCode };
}

/**
 * Request log lines: one per request, when it is answered (method, URL, status, time), and the
 * arrival only at `debug`; a request answered 500 also has the error handler's line.
 */
class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, 'route not found');
  }
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** What a readable line leaves out: what every line has, or what it shows in its own way. */
const SHOWN_APART = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'reqId',
  'msg',
  'err',
  'req',
  'res',
  'responseTime',
]);

const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * The development log: one readable line per request (`12:03:04 GET /api/plans/… 200 12 ms`), and
 * for anything else its time, level, message and fields, with an error's stack under it.
 */
function readableLogStream(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): LogStream {
  const color = (code: number, text: string) => (out.isTTY ? `\u001b[${code}m${text}\u001b[39m` : text);
  return {
    write(json: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(json) as Record<string, unknown>;
      } catch {
        out.write(json);
        return;
      }
      const at = new Date(typeof entry.time === 'number' ? entry.time : Date.now());
      const time = `${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`;
      const level = typeof entry.level === 'number' ? entry.level : 30;
      const req = entry.req as { method?: string; url?: string } | undefined;
      const res = entry.res as { statusCode?: number } | undefined;
      let line: string;
      if (req && res && typeof entry.responseTime === 'number') {
        const status = res.statusCode ?? 0;
        const statusText = color(status >= 500 ? 31 : status >= 400 ? 33 : 32, String(status));
        line = `${time} ${req.method} ${req.url} ${statusText} ${Math.round(entry.responseTime)} ms`;
      } else {
        const levelName = LEVELS[level] ?? String(level);
        const fields = Object.entries(entry)
          .filter(([key]) => !SHOWN_APART.has(key))
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
        if (req) fields.unshift(`${req.method} ${req.url}`);
        const head = `${time} ${color(level >= 50 ? 31 : level >= 40 ? 33 : 36, levelName)} ${String(entry.msg ?? '')}`;
        line = [head, ...fields].join(' ');
      }
      const err = entry.err as
        { type?: string; message?: string; sqlState?: string; stack?: string } | undefined;
      if (err) {
        line += `\n  ${err.type ?? 'Error'}: ${err.message ?? ''}${err.sqlState ? ` (SQLSTATE ${err.sqlState})` : ''}`;
        if (err.stack) line += `\n${err.stack.replace(/^\s*/gm, '    ')}`;
      }
      out.write(`${line}\n`);
    },
  };
}

/**
 * Fastify's logger for Liaison: `LOG_LEVEL`; readable lines outside production, JSON in
 * production (or to `stream`, when given: tests); never a request or response body, header,
 * link token, session id, password or statement parameter, at any level.
 */
export function loggerOptions(config: AppConfig, stream?: LogStream): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    // A second line of defence, for objects logged by hand.
    redact: {
      paths: [
        'password',
        'token',
        'cookie',
        'authorization',
        'body',
        'parameters',
        'headers',
        '*.password',
        '*.token',
        '*.cookie',
        '*.authorization',
        '*.body',
        '*.parameters',
        '*.headers',
      ],
      censor: REDACTED,
    },
    hooks: {
      // Messages are text: Fastify writes URLs into some of them, and pino takes an error's own
      // message as the line's message when the error is logged alone.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        const logged =
          first instanceof Error
            ? [{ err: first }, ...(rest.length > 0 ? rest : [serializeError(first).message])]
            : (args as unknown[]);
        method.apply(
          this,
          logged.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
    ...(stream ? { stream } : config.NODE_ENV === 'production' ? {} : { stream: readableLogStream() }),
  };
}

/** The request log lines (see {@link RequestLog}). */
export function requestLogController(): LogController {
  return new RequestLog();
}
