/**
 * The layout of the eco-map: the client at the centre, the members around in sectors by life
 * domain, closeness as distance, and every label in one of two columns (left and right of the
 * circle) stacked so that no two labels overlap, each tied to its member by a leader line.
 * Pure functions, no DOM: the same layout is drawn by `NetworkMap.svelte` and checked by tests.
 */

// Relative, not `$domain`: the layout tests load this file outside SvelteKit.
import type { MemberKind, MemberStatus } from '../../../../../domain/vocabularies.ts';

export interface MapMember {
  id: string;
  kind: MemberKind;
  lifeDomains: readonly string[];
  closeness: number;
  status: MemberStatus;
  hidden: boolean;
}

export interface LabelLine {
  text: string;
  size: number;
  bold?: boolean;
}

export interface NodeLayout {
  id: string;
  x: number;
  y: number;
  /** The sector (life domain, or `other`) the member is drawn in. */
  sector: string;
  side: 'left' | 'right';
  /** Where the label starts (right column) or ends (left column), and its top. */
  labelX: number;
  labelY: number;
  lines: Array<LabelLine & { y: number }>;
  /** The label's box, for hit areas and focus rings. */
  box: Box;
  /** The leader line from the node to the label. */
  leader: Array<[number, number]>;
}

export interface SectorLayout {
  key: string;
  /** Angles in radians, clockwise from the right (SVG), the sector goes from `start` to `end`. */
  start: number;
  end: number;
  /** The wedge, as an SVG path. */
  path: string;
  /** The sector's name, written along an arc of the circle; null when the sector is too narrow. */
  label: { path: string; text: string } | null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MapLayout {
  width: number;
  height: number;
  cx: number;
  cy: number;
  clientRadius: number;
  rings: [number, number, number];
  nodeRadius: number;
  nodes: NodeLayout[];
  sectors: SectorLayout[];
}

export interface LayoutOptions {
  /** The lines of a member's label (name first), already in the user's language. */
  lines: (member: MapMember) => LabelLine[];
  /** The name of a sector. */
  sectorName: (key: string) => string;
  /** The order of the sectors around the circle. */
  sectorOrder: readonly string[];
  /** Text width in px; default: an estimate that errs on the wide side. */
  measure?: (text: string, size: number, bold: boolean) => number;
}

export const MAP_WIDTH = 1100;
const RINGS: [number, number, number] = [100, 170, 240];
const CLIENT_RADIUS = 44;
const LABEL_GAP = 56;
const LINE_GAP = 3;
const LABEL_SPACING = 10;
const MARGIN = 24;
const SECTOR_LABEL_SIZE = 13;
const MIN_NODE_RADIUS = 4;
/** How far inside its ring a node moves when its neighbour is on the same ring. */
const STAGGER = 16;
const MAX_NODE_RADIUS = 14;
/** Sector names run between the second and the third ring, where no node is drawn. */
const SECTOR_LABEL_RADIUS = (RINGS[1] + RINGS[2]) / 2;

/** A wide estimate of a text's width for a sans-serif font (DejaVu Sans is wide). */
export function estimateWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const char of text) {
    if (/[iljtfrI.,:;'!|() ]/.test(char)) units += 0.36;
    else if (/[mwMW@]/.test(char)) units += 0.92;
    else if (/[A-Z0-9]/.test(char)) units += 0.7;
    else units += 0.6;
  }
  return units * size * (bold ? 1.08 : 1);
}

/** Shortens a text with "…" until it fits. */
export function fit(
  text: string,
  width: number,
  size: number,
  bold: boolean,
  measure: NonNullable<LayoutOptions['measure']>,
): string {
  if (measure(text, size, bold) <= width) return text;
  let end = text.length;
  while (end > 1 && measure(`${text.slice(0, end).trimEnd()}…`, size, bold) > width) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * The members of one sector, closest first but taking turns between the rings (1, 2, 3, 1, 2, …),
 * so that neighbours around the circle sit at different distances and have room.
 */
export function interleave<M extends MapMember>(members: readonly M[]): M[] {
  const rings = [1, 2, 3].map((closeness) =>
    members.filter((m) => Math.min(3, Math.max(1, m.closeness)) === closeness),
  );
  const result: M[] = [];
  while (result.length < members.length) {
    for (const ring of rings) {
      const next = ring.shift();
      if (next) result.push(next);
    }
  }
  return result;
}

/** The sector of a member: their first life domain that is a sector, else `other`. */
export function sectorOf(member: MapMember, order: readonly string[]): string {
  return member.lifeDomains.find((d) => order.includes(d)) ?? 'other';
}

/** An arc to write along, clockwise on the top half and anticlockwise on the bottom half, so text is never upside down. */
function textArc(cx: number, cy: number, r: number, a0: number, a1: number): string {
  const p = (a: number) => `${(cx + r * Math.cos(a)).toFixed(1)} ${(cy + r * Math.sin(a)).toFixed(1)}`;
  const large = a1 - a0 > Math.PI ? 1 : 0;
  const bottom = Math.sin((a0 + a1) / 2) > 0;
  return bottom
    ? `M ${p(a1)} A ${r} ${r} 0 ${large} 0 ${p(a0)}`
    : `M ${p(a0)} A ${r} ${r} 0 ${large} 1 ${p(a1)}`;
}

function wedge(cx: number, cy: number, r0: number, r1: number, a0: number, a1: number): string {
  const p = (r: number, a: number) =>
    `${(cx + r * Math.cos(a)).toFixed(1)} ${(cy + r * Math.sin(a)).toFixed(1)}`;
  const large = a1 - a0 > Math.PI ? 1 : 0;
  if (a1 - a0 >= 2 * Math.PI - 1e-6) {
    // A full circle: two half arcs (an SVG arc cannot start and end at the same point).
    return `M ${p(r1, a0)} A ${r1} ${r1} 0 1 1 ${p(r1, a0 + Math.PI)} A ${r1} ${r1} 0 1 1 ${p(r1, a0)} Z`;
  }
  return `M ${p(r0, a0)} L ${p(r1, a0)} A ${r1} ${r1} 0 ${large} 1 ${p(r1, a1)} L ${p(r0, a1)} A ${r0} ${r0} 0 ${large} 0 ${p(r0, a0)} Z`;
}

/**
 * Stacks labels in one column: each as close to its wanted top as it can be, never overlapping
 * the one above, and pulled up from the bottom when the column would run out of room.
 */
export function stack(wanted: number[], heights: number[], top: number, bottom: number): number[] {
  const y = [...wanted];
  for (let i = 0; i < y.length; i += 1) {
    const min = i === 0 ? top : (y[i - 1] ?? top) + (heights[i - 1] ?? 0) + LABEL_SPACING;
    y[i] = Math.max(y[i] ?? top, min);
  }
  for (let i = y.length - 1; i >= 0; i -= 1) {
    const max =
      i === y.length - 1
        ? bottom - (heights[i] ?? 0)
        : (y[i + 1] ?? bottom) - (heights[i] ?? 0) - LABEL_SPACING;
    y[i] = Math.min(y[i] ?? top, max);
  }
  return y;
}

/** Lays out the map of these members. */
export function layoutNetwork(members: readonly MapMember[], options: LayoutOptions): MapLayout {
  const measure = options.measure ?? estimateWidth;
  const width = MAP_WIDTH;
  const [r1, r2, r3] = RINGS;
  const columnOffset = r3 + LABEL_GAP;
  const labelWidth = width / 2 - columnOffset - MARGIN / 2;

  // Sectors in a fixed order, each as wide as its number of members: every member has one slot.
  const order = [...options.sectorOrder, 'other'];
  const groups = new Map<string, MapMember[]>();
  for (const member of members) {
    const key = sectorOf(member, options.sectorOrder);
    groups.set(key, [...(groups.get(key) ?? []), member]);
  }
  const keys = order.filter((key) => groups.has(key));
  const slot = members.length > 0 ? (2 * Math.PI) / members.length : 0;
  // The first sector starts at the top, a little to the left, so that one member is not at 12 o'clock.
  let angle = -Math.PI / 2 - slot / 2;

  const ringOf = (closeness: number) => (closeness <= 1 ? r1 : closeness === 2 ? r2 : r3);

  interface Placed {
    member: MapMember;
    sector: string;
    x: number;
    y: number;
    angle: number;
  }
  const placed: Placed[] = [];
  const sectors: SectorLayout[] = [];
  for (const key of keys) {
    const group = interleave(groups.get(key) ?? []);
    const start = angle;
    const end = start + group.length * slot;
    // Neighbours on the same ring take turns a little inside it, so that they keep apart.
    let staggered = false;
    group.forEach((member, i) => {
      const a = start + (i + 0.5) * slot;
      const previous = group[i - 1];
      staggered = previous !== undefined && previous.closeness === member.closeness && !staggered;
      const r = ringOf(member.closeness) - (staggered ? STAGGER : 0);
      placed.push({ member, sector: key, x: width / 2 + r * Math.cos(a), y: r * Math.sin(a), angle: a });
    });
    const name = options.sectorName(key);
    const arc = (end - start) * SECTOR_LABEL_RADIUS;
    sectors.push({
      key,
      start,
      end,
      path: '',
      label:
        estimateWidth(name, SECTOR_LABEL_SIZE, true) + 16 <= arc && keys.length > 1
          ? { path: '', text: name }
          : null,
    });
    angle = end;
  }

  // Nodes as large as the closest two allow: squares must not touch even corner to corner.
  let closest = Infinity;
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
  }
  const nodeRadius = Math.max(MIN_NODE_RADIUS, Math.min(MAX_NODE_RADIUS, closest / (2 * Math.SQRT2) - 1));

  // Labels: the right column for members on the right half, the left column for the others.
  interface Pending {
    p: Placed;
    lines: LabelLine[];
    height: number;
  }
  const columns: Record<'left' | 'right', Pending[]> = { left: [], right: [] };
  for (const p of placed) {
    const side = Math.cos(p.angle) >= -1e-9 ? 'right' : 'left';
    const lines = options
      .lines(p.member)
      .map((line) => ({ ...line, text: fit(line.text, labelWidth, line.size, line.bold ?? false, measure) }));
    const height = lines.reduce((sum, line) => sum + line.size + LINE_GAP, 0);
    columns[side].push({ p, lines, height });
  }
  for (const side of ['left', 'right'] as const) columns[side].sort((a, b) => a.p.y - b.p.y);

  const tallest = Math.max(
    ...(['left', 'right'] as const).map((side) =>
      columns[side].reduce((sum, item) => sum + item.height + LABEL_SPACING, 0),
    ),
    0,
  );
  const height = Math.ceil(Math.max(2 * (r3 + MARGIN + 16), tallest + 2 * MARGIN));
  const cx = width / 2;
  const cy = height / 2;

  const nodes: NodeLayout[] = [];
  for (const side of ['left', 'right'] as const) {
    const items = columns[side];
    const tops = stack(
      items.map((item) => cy + item.p.y - item.height / 2),
      items.map((item) => item.height),
      MARGIN,
      height - MARGIN,
    );
    items.forEach((item, i) => {
      const top = tops[i] ?? MARGIN;
      const labelX = side === 'right' ? cx + columnOffset : cx - columnOffset;
      let lineY = top;
      const lines = item.lines.map((line) => {
        lineY += line.size;
        const placedLine = { ...line, y: lineY };
        lineY += LINE_GAP;
        return placedLine;
      });
      const textWidth = Math.max(...item.lines.map((l) => measure(l.text, l.size, l.bold ?? false)));
      const box: Box = {
        x: side === 'right' ? labelX - 4 : labelX - textWidth - 4,
        y: top - 2,
        width: textWidth + 8,
        height: item.height + 4,
      };
      const x = item.p.x;
      const y = cy + item.p.y;
      const anchorY = top + (item.lines[0]?.size ?? 14) * 0.65;
      const elbowX = side === 'right' ? cx + r3 + LABEL_GAP / 3 : cx - r3 - LABEL_GAP / 3;
      const sideSign = side === 'right' ? 1 : -1;
      nodes.push({
        id: item.p.member.id,
        x,
        y,
        sector: item.p.sector,
        side,
        labelX,
        labelY: top,
        lines,
        box,
        leader: [
          [x + sideSign * nodeRadius, y],
          [elbowX, anchorY],
          [labelX - sideSign * 6, anchorY],
        ],
      });
    });
  }

  return {
    width,
    height,
    cx,
    cy,
    clientRadius: CLIENT_RADIUS,
    rings: RINGS,
    nodeRadius,
    nodes,
    sectors: sectors.map((s) => ({
      ...s,
      path: wedge(cx, cy, CLIENT_RADIUS + 6, r3 + 22, s.start, s.end),
      label: s.label ? { ...s.label, path: textArc(cx, cy, SECTOR_LABEL_RADIUS, s.start, s.end) } : null,
    })),
  };
}

/** Whether two boxes overlap (touching is fine). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
