/** A failure the API answers with a given status as RFC 9457 problem details. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

/** What the user may not know exists answers exactly like what does not exist. */
export class NotFound extends HttpProblem {
  constructor(detail = 'There is nothing here, or you do not have access to it.') {
    super(404, 'not-found', 'Not found', detail);
  }
}

export class BadRequest extends HttpProblem {
  constructor(detail: string) {
    super(400, 'bad-request', 'Bad request', detail);
  }
}

/**
 * A one-time code or link that opens nothing: wrong, expired, used, revoked or blocked all get
 * this one answer, which never says which.
 */
export class InvalidCode extends HttpProblem {
  constructor(detail: string) {
    super(400, 'invalid-code', 'This code or link does not work', detail);
  }
}

export class UnsupportedMediaType extends HttpProblem {
  constructor(detail: string) {
    super(415, 'unsupported-media-type', 'Unsupported content type', detail);
  }
}

export class Unauthorized extends HttpProblem {
  constructor(detail = 'Please sign in.') {
    super(401, 'unauthorized', 'Not signed in', detail);
  }
}

export class Forbidden extends HttpProblem {
  constructor(detail = 'You are not allowed to do this.') {
    super(403, 'forbidden', 'Not allowed', detail);
  }
}

export class Conflict extends HttpProblem {
  constructor(detail: string) {
    super(409, 'conflict', 'Conflict', detail);
  }
}

export class PreconditionFailed extends HttpProblem {
  constructor(detail = 'Someone else changed this in the meantime. Reload it and try again.') {
    super(412, 'stale-version', 'Changed in the meantime', detail);
  }
}

export class PreconditionRequired extends HttpProblem {
  constructor(detail = 'Send the If-Match header with the version you are changing.') {
    super(428, 'if-match-required', 'If-Match required', detail);
  }
}

export class Unprocessable extends HttpProblem {
  constructor(slug: string, title: string, detail: string) {
    super(422, slug, title, detail);
  }
}

export class TooManyRequests extends HttpProblem {
  constructor(retryAfterSeconds: number, detail: string) {
    super(429, 'too-many-requests', 'Too many attempts', detail, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class ServiceUnavailable extends HttpProblem {
  constructor(detail = 'The database is not reachable. Try again in a moment.') {
    super(503, 'service-unavailable', 'Service unavailable', detail, { 'retry-after': '5' });
  }
}

/** The stable `type` URI of a problem. */
export function problemType(slug: string): string {
  return `urn:liaison:problem:${slug}`;
}
