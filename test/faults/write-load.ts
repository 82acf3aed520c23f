import postgres from 'postgres';

// A steady write load on a running Liaison over HTTP, and the comparison of what it acknowledged
// with what the database holds (test/faults/under-load.test.ts).

/** Where one writer writes: a section collection of a plan, as a user who may add to it. */
export interface WriteTarget {
  token: string;
  planId: string;
  section: 'goals' | 'actions';
}

/** A write answered 2xx: the id the server returned and the unique text it was sent with. */
export interface Acknowledged {
  id: string;
  marker: string;
  section: WriteTarget['section'];
  /** When the answer came (Date.now()). */
  at: number;
}

export interface LoadReport {
  sent: number;
  acknowledged: Acknowledged[];
  /** Answers by status, e.g. { 201: 480, 503: 12 }. */
  statuses: Record<number, number>;
  /** No answer within the request timeout: a hang. */
  timeouts: number;
  /** The longest time a request waited for its answer (ms). */
  slowest: number;
  /** No answer because the connection was refused: the server was not listening. */
  refused: number;
  /** No answer because the connection closed after the request was sent (node died, or closed it). */
  dropped: number;
  /**
   * Answers that are neither 2xx nor a problem+json 503 (the database was unavailable; the write
   * may still have been stored when the backend died right after its commit): what was sent and
   * what came back.
   */
  unexpected: string[];
}

export interface Load {
  /** Stops sending, waits for the requests in flight, and reports. */
  stop: () => Promise<LoadReport>;
  /** What was reported so far (the load goes on). */
  report: () => LoadReport;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseId(text: string): unknown {
  try {
    return (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    return undefined;
  }
}

function bodyFor(section: WriteTarget['section'], marker: string): Record<string, string> {
  return section === 'goals' ? { lifeDomain: 'housing', title: marker } : { title: marker };
}

/**
 * Starts one writer per target; each sends one write at a time, each with a unique marker as its
 * title, until stopped. A writer pauses briefly after a refusal, so that a server that is down is
 * not hammered, and goes on.
 */
export function startLoad(
  base: () => string,
  targets: readonly WriteTarget[],
  options: { markerPrefix: string; timeoutMs?: number },
): Load {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const report: LoadReport = {
    sent: 0,
    acknowledged: [],
    statuses: {},
    timeouts: 0,
    slowest: 0,
    refused: 0,
    dropped: 0,
    unexpected: [],
  };
  let stopped = false;

  const writer = async (target: WriteTarget, index: number) => {
    for (let n = 0; !stopped; n++) {
      const marker = `${options.markerPrefix}-w${index}-${n}`;
      report.sent += 1;
      const sentAt = Date.now();
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base()}/api/plans/${target.planId}/${target.section}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(bodyFor(target.section, marker)),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text(); // the timeout covers the body too
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        if ((error as { name?: string }).name === 'TimeoutError') report.timeouts += 1;
        else if (cause?.code === 'ECONNREFUSED') report.refused += 1;
        else report.dropped += 1;
        await sleep(100);
        continue;
      }
      report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      report.slowest = Math.max(report.slowest, Date.now() - sentAt);
      if (response.ok) {
        const id = parseId(text);
        if (typeof id === 'string')
          report.acknowledged.push({ id, marker, section: target.section, at: Date.now() });
        else report.unexpected.push(`${response.status} without an id for ${marker}: ${text}`);
        continue;
      }
      const problem = response.headers.get('content-type')?.startsWith('application/problem+json');
      // A 503 while the server closes is problem+json too (server/app.ts), like every refusal.
      if (response.status !== 503 || !problem) {
        report.unexpected.push(
          `${response.status} ${response.headers.get('content-type')} for ${marker}: ${text}`,
        );
      }
      await sleep(50);
    }
  };

  const running = targets.map((target, index) => writer(target, index));
  return {
    report: () => report,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
      return report;
    },
  };
}

export interface StoredComparison {
  /** Acknowledged writes whose row is missing or holds another text. */
  lost: Acknowledged[];
  /** Acknowledged writes without their `create` audit event. */
  withoutAuditEvent: Acknowledged[];
  /** Rows with this run's markers that were never acknowledged (the answer was lost: allowed). */
  storedNotAcknowledged: number;
  /** Rows with this run's markers, acknowledged or not, without their `create` audit event. */
  rowsWithoutAuditEvent: number;
  /** `create` audit events of this run's rows. */
  createEvents: number;
}

/**
 * Compares acknowledged writes with the rows (by id and marker) and their audit events, through
 * the owner's connection.
 */
export async function compareWithStored(
  ownerUrl: string,
  markerPrefix: string,
  acknowledged: readonly Acknowledged[],
): Promise<StoredComparison> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const pattern = `${markerPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`;
    const rows = await sql<{ id: string; title: string; audited: boolean }[]>`
      select r.id, r.title,
             exists (select 1 from audit_events e
                      where e.action = 'create' and e.subject_id = r.id and e.plan_id = r.plan_id) as audited
        from (select id, title, plan_id from goals where title like ${pattern}
              union all
              select id, title, plan_id from actions where title like ${pattern}) r`;
    const stored = new Map(rows.map((row) => [row.id, row]));
    const acknowledgedIds = new Set(acknowledged.map((write) => write.id));
    return {
      lost: acknowledged.filter((write) => stored.get(write.id)?.title !== write.marker),
      withoutAuditEvent: acknowledged.filter((write) => stored.get(write.id)?.audited !== true),
      storedNotAcknowledged: rows.filter((row) => !acknowledgedIds.has(row.id)).length,
      rowsWithoutAuditEvent: rows.filter((row) => !row.audited).length,
      createEvents: rows.filter((row) => row.audited).length,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
