import { randomUUID } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import type { Entry, PlanResources } from './resources.ts';

/** The media type of FHIR's JSON format. */
export const FHIR_JSON = 'application/fhir+json';

type AnyEntry = Entry;

/** The bounded entries of a plan's bundle, in reading order: who, the plan, its team, goals, consent. */
export function boundedEntries(resources: PlanResources): AnyEntry[] {
  return [
    resources.patient,
    resources.carePlan,
    ...(resources.careTeam ? [resources.careTeam] : []),
    ...resources.goals,
    ...resources.consents,
  ];
}

/**
 * A `collection` Bundle written piece by piece: the head, then each entry as it comes (the
 * bounded resources, then the access log page by page), then the tail. Never more than one page
 * of entries is held; the text is exactly `JSON.stringify` of the whole bundle.
 */
export async function* bundleText(
  bounded: readonly AnyEntry[],
  pages: AsyncIterable<readonly AnyEntry[]>,
  now: Date,
): AsyncGenerator<string> {
  const head: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'collection',
    timestamp: now.toISOString(),
  };
  const json = JSON.stringify(head);
  let first = true;
  const entries = (items: readonly AnyEntry[]) => {
    const text = items.map((item) => JSON.stringify(item)).join(',');
    const joined = first || text === '' ? text : `,${text}`;
    if (text !== '') first = false;
    return joined;
  };
  // A bundle always holds the Patient and the CarePlan, so `entry` is never an empty array.
  yield `${json.slice(0, -1)},"entry":[${entries(bounded)}`;
  for await (const page of pages) {
    const text = entries(page);
    if (text !== '') yield text;
  }
  yield ']}';
}
