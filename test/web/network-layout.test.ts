import { describe, expect, it } from 'vitest';
import { LIFE_DOMAINS } from '../../domain/vocabularies.ts';
import {
  estimateWidth,
  layoutNetwork,
  overlaps,
  stack,
  type MapMember,
} from '../../web/src/lib/components/network/layout.ts';

// The eco-map must stay readable with 25 members: no two labels overlap, no two nodes overlap,
// each member sits in its life domain's sector at the distance of its closeness.

function members(count: number): Array<MapMember & { name: string; relation: string }> {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    name: `Member with a rather long name ${i}`,
    relation: 'Psychiatre de l’unité d’admission (lors des hospitalisations)',
    kind: i % 3 === 0 ? 'informal' : 'professional',
    // Crowd one domain on purpose: health gets a third of everyone.
    lifeDomains: i % 3 === 0 ? ['health'] : [LIFE_DOMAINS[i % LIFE_DOMAINS.length] ?? 'housing'],
    closeness: (i % 3) + 1,
    status: i % 7 === 0 ? 'past' : 'current',
    hidden: i % 5 === 0,
  }));
}

function layout(list: ReturnType<typeof members>) {
  return layoutNetwork(list, {
    sectorOrder: LIFE_DOMAINS,
    sectorName: (key) => key,
    lines: (m) => {
      const member = list.find((x) => x.id === m.id);
      return [
        { text: member?.name ?? '', size: 15, bold: true },
        { text: member?.relation ?? '', size: 13 },
        { text: 'CGG Noordwest Brussel vzw', size: 13 },
      ];
    },
  });
}

describe('network map layout', () => {
  it.each([1, 2, 5, 12, 25, 40])('places %i members without overlapping labels or nodes', (count) => {
    const result = layout(members(count));
    expect(result.nodes).toHaveLength(count);
    for (const [i, a] of result.nodes.entries()) {
      // Labels stay inside the drawing.
      expect(a.box.x).toBeGreaterThanOrEqual(0);
      expect(a.box.x + a.box.width).toBeLessThanOrEqual(result.width);
      expect(a.box.y).toBeGreaterThanOrEqual(0);
      expect(a.box.y + a.box.height).toBeLessThanOrEqual(result.height);
      for (const b of result.nodes.slice(i + 1)) {
        expect(overlaps(a.box, b.box), `labels of ${a.id} and ${b.id}`).toBe(false);
        // Nodes are squares (professionals) or circles: apart on at least one axis.
        const apart = Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y));
        expect(apart, `nodes of ${a.id} and ${b.id}`).toBeGreaterThan(result.nodeRadius * 2);
      }
    }
  });

  it('puts closer members nearer to the client, each in the sector of its life domain', () => {
    const list = members(25);
    const result = layout(list);
    for (const node of result.nodes) {
      const member = list.find((m) => m.id === node.id);
      // On its ring, or a little inside it when its neighbour is on the same ring.
      const distance = Math.hypot(node.x - result.cx, node.y - result.cy);
      const ring = result.rings[(member?.closeness ?? 1) - 1] ?? 0;
      expect(distance).toBeLessThanOrEqual(ring + 1e-6);
      expect(distance).toBeGreaterThanOrEqual(ring - 16 - 1e-6);
      expect(node.sector).toBe(member?.lifeDomains[0]);
      const sector = result.sectors.find((s) => s.key === node.sector);
      const angle = Math.atan2(node.y - result.cy, node.x - result.cx);
      // Compare on the circle: the node's angle lies within its sector's span.
      const turns = (value: number) =>
        (((value - (sector?.start ?? 0)) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      expect(turns(angle)).toBeLessThanOrEqual((sector?.end ?? 0) - (sector?.start ?? 0) + 1e-9);
    }
  });

  it('keeps nodes large enough to see and to hit', () => {
    // The whole label is the target too; the node itself stays at least 16 px wide.
    expect(layout(members(25)).nodeRadius).toBeGreaterThanOrEqual(8);
  });

  it('shortens labels that do not fit their column', () => {
    const list = members(3).map((m) => ({ ...m, name: 'A'.repeat(80) }));
    const result = layout(list);
    const name = result.nodes[0]?.lines[0]?.text ?? '';
    expect(name.endsWith('…')).toBe(true);
    expect(estimateWidth(name, 15, true)).toBeLessThanOrEqual(result.width / 2);
  });

  it('stacks a column without overlap, within its bounds', () => {
    const tops = stack([100, 100, 100, 790], [40, 40, 40, 40], 20, 800);
    expect(tops).toEqual([100, 150, 200, 760]);
  });
});
